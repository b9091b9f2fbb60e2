"""The copies of Material's templates in overrides/ are Material's, with only the changes they
say they make: when Material is upgraded and its template changes, this fails, so the copy is
brought in step instead of silently keeping the old theme's markup."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

REPO = Path(__file__).resolve().parents[1]
THEME = Path(material.__file__).parent / "templates"
_LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)


def without_leading_comment(text: str) -> str:
    return _LEADING_COMMENT.sub("", text, count=1)


def changed(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, f"Material's template no longer has {old!r}: bring the copy in step"
        text = text.replace(old, new)
    return text


TOC_TOGGLE = '      <input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">\n'
CHANGES = {
    "base.html": [
        ('id="__drawer" autocomplete="off">', 'id="__drawer">'),
        ('id="__search" autocomplete="off">', 'id="__search">'),
    ],
    "partials/nav-item.html": [
        ('id="{{ path }}_label" tabindex="{{ tabindex }}">', 'id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>'),
        (TOC_TOGGLE, ""),
        ("      {% if toc %}\n        <label class=\"md-nav__link md-nav__link--active\" for=\"__toc\">",
         "      {% if toc %}\n  " + TOC_TOGGLE + "        <label class=\"md-nav__link md-nav__link--active\" for=\"__toc\">"),
    ],
    "partials/header.html": [
        ('<nav class="md-header__inner md-grid" aria-label="{{ lang.t(\'header\') }}">\n',
         '<nav class="md-header__inner md-grid" aria-label="{{ lang.t(\'header\') }}">\n'
         '    {% include "partials/amparo-exit.html" %}\n'),
    ],
    "partials/search.html": [
        ('role="dialog">', 'role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
        ('<form class="md-search__form" name="search">', '<form class="md-search__form" name="search" method="dialog">'),
        ('data-md-component="search-query" required>\n',
         'data-md-component="search-query" required>\n'
         '      <button type="submit" class="amparo-search__submit" tabindex="-1">{{ lang.t("search") }}</button>\n'),
    ],
}


@pytest.mark.parametrize("template", CHANGES)
def test_the_copy_is_materials_template_with_its_stated_changes(template):
    ours = without_leading_comment((REPO / "overrides" / template).read_text(encoding="utf-8"))
    theirs = without_leading_comment((THEME / template).read_text(encoding="utf-8"))
    assert ours == changed(theirs, *CHANGES[template])

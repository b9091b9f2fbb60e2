"""Rendering: content is text, never markup; pages carry what readers and NGOs rely on."""

import dataclasses
import re
from pathlib import Path

import markdown
import pytest

from amparo.project import read_project
from amparo.content.loader import load_content, map_texts
from amparo.content.models import Text
from amparo.render.markdown_pages import Inline, Renderer, escape, render_pages

REPO = Path(__file__).resolve().parents[1]
EXTENSIONS = ["attr_list", "admonition", "tables", "toc"]


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.fixture(scope="module")
def content():
    project = read_project(REPO / "mkdocs.yml")
    return load_content(project.content_dir, project.sources_dir)


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[pulsa aquí](javascript:alert(1))",
    "**negrita** _cursiva_ `código`",
    "# no soy un título",
    "1. no soy una lista",
    "texto {: onclick=alert(1) }",
    "&lt;b&gt; y &amp;",
    "a | b | c",
    "<!-- comentario -->",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_escaped_text_renders_as_the_same_characters(attack):
    html = to_html(escape(attack))
    assert "<script" not in html and "<img" not in html and "<a " not in html and "<strong>" not in html
    assert not re.search(r"<[^>]*\bon\w+=", html)
    # What the reader sees is exactly what was written.
    visible = re.sub(r"<[^>]+>", "", html)
    import html as html_module
    assert html_module.unescape(visible).strip() == attack


def test_markup_that_slipped_into_content_is_inert_on_the_page(content):
    # Validation refuses markup; this proves rendering would not run it anyway.
    def poison(text: Text) -> Text:
        poisoned = Text("<script>alert('x')</script> " + text)
        poisoned.context, poisoned.origin = text.context, text.origin
        return poisoned

    guide = map_texts(content.guides[0], poison)
    pages = render_pages(Renderer(dataclasses.replace(content, guides=[guide, *content.guides[1:]]), "es"))
    html = to_html(pages[f"guias/{guide.id}.md"].markdown)
    assert "<script" not in html
    assert "&lt;script&gt;alert" in html


def test_every_value_a_page_template_prints_is_escaped(content):
    # Every text of every guide, and every interface word the templates print, carries markup.
    def poison(text: Text) -> Text:
        poisoned = Text("<b onclick=x>*a*</b> " + text)
        poisoned.context, poisoned.origin = text.context, text.origin
        return poisoned

    poisoned = dataclasses.replace(content, guides=[map_texts(guide, poison) for guide in content.guides],
                                   interface={key: poison(text) for key, text in content.interface.items()})
    for language in ("es", "en"):
        pages = render_pages(Renderer(poisoned, language))
        for guide in content.guides:
            html = to_html(pages[f"guias/{guide.id}.md"].markdown)
            assert not re.search(r"<b[\s>]", html) and "onclick=x>" not in html and "<em>a</em>" not in html, guide.id
            assert html.count("&lt;b onclick=x&gt;*a*&lt;/b&gt;") > 10, guide.id


def test_glossary_terms_are_linked_once_per_page(content):
    entry = content.glossary[0]
    phrase = str(entry.matches[0])
    inline = Inline(content.glossary, "glosario.md")
    first = inline(Text(f"Pide la {phrase} ya."))
    second = inline(Text(f"Otra vez {phrase}."))
    assert f"(glosario.md#{entry.id})" in first
    assert "glosario.md" not in second


def test_guide_pages_have_stable_section_anchors_and_source(content):
    pages = render_pages(Renderer(content, "es"))
    page = pages["guias/espana-victimas-trata.md"].markdown
    html = to_html(page)
    for anchor in ("resumen", "pasos", "documentos", "tasa", "plazos", "familia", "retorno-asistido", "base-legal", "fuente"):
        assert f'id="{anchor}"' in html, anchor
    assert "mayo de 2025" in html
    assert 'id="paso-solicitar-tie"' in html


def test_english_pages_say_they_are_translations(content):
    from amparo.publish.generated_pages import build_site
    project = read_project(REPO / "mkdocs.yml")
    site = build_site(project.content_dir, project.sources_dir, project.settings())
    english = site.pages["guias/espana-victimas-trata.md"]["en"].markdown
    assert "translation" in english.lower()
    assert "May 2025" in english
    assert english != site.pages["guias/espana-victimas-trata.md"]["es"].markdown


# --- what the pages tell readers about time ----------------------------------------------------


def _guide_pages(day: str, max_age: int = 12):
    from datetime import date

    from amparo.publish.generated_pages import build_site

    project = read_project(REPO / "mkdocs.yml")
    settings = dataclasses.replace(project.settings(), languages=["es", "en"], today=date.fromisoformat(day),
                                   max_source_age_months=max_age)
    return build_site(project.content_dir, project.sources_dir, settings).pages


@pytest.mark.parametrize("day, max_age, stale", [
    ("2025-06-15", 12, False),   # one month after the Spanish sheets' last update
    ("2026-05-31", 12, False),   # twelve months: not yet more than the limit
    ("2026-06-01", 12, True),    # thirteen months
    ("2026-11-23", 24, False),   # a site that allows two years
])
def test_an_old_source_makes_its_pages_say_the_information_may_have_changed(day, max_age, stale):
    pages = _guide_pages(day, max_age)
    spain = pages["guias/espana-victimas-trata.md"]
    assert ("Puede haber cambiado" in spain["es"].markdown) is stale
    assert ("It may have changed" in spain["en"].markdown) is stale
    if stale:
        assert "mayo de 2025" in spain["es"].markdown.split("Puede haber cambiado", 1)[1]
    # The Chilean page gives no date: nothing to count from, so no such notice.
    assert "Puede haber cambiado" not in pages["guias/chile-victimas-trata.md"]["es"].markdown


def test_a_minimum_duration_is_not_listed_as_a_deadline(content):
    page = render_pages(Renderer(content, "es"))["guias/espana-victimas-trata.md"].markdown
    assert "**Duración:** al menos 90 días" in page
    deadlines = page.split("{#plazos}", 1)[1].split("\n## ", 1)[0]
    assert "90" not in deadlines and "48 horas" in deadlines


def test_haitian_creole_dates_use_haitian_creole_month_names():
    from amparo.render.markdown_pages import month_year

    assert month_year("2025-05", "ht") == "me 2025"
    assert month_year("2025-05", "es") == "mayo de 2025"


def test_glossary_terms_are_linked_in_scripts_without_spaces(content):
    entry = next(e for e in content.glossary if e.id == "trata")
    phrase = Text("人口贩运")
    chinese = dataclasses.replace(content, glossary=[entry.model_copy(update={"matches": [phrase]})])
    linked = Inline(chinese.glossary, "glosario.md")("你是人口贩运的受害者。")
    assert "[人口贩运](glosario.md#trata)" in linked
    # In scripts with spaces, a term inside a longer word is still not a match.
    spanish = Inline(content.glossary, "glosario.md")("Se trata de personasextrañas.")
    assert "glosario.md#trata" not in spanish


@pytest.mark.parametrize("language, written", [("es", ", "), ("ar", "، "), ("zh", "，")])
def test_the_parts_of_a_fee_line_are_joined_by_the_languages_own_comma(content, language, written):
    # Words and names stay those of the content: only the comma between the parts is the language's.
    page = Renderer(content, language).guide(next(g for g in content.guides if getattr(g, "fee", None)
                                                  and getattr(g.fee, "code", None)))
    line = next(row for row in page.splitlines() if row.startswith("- **") and "790" in row and "052" in row)
    assert written in line
    assert (", " in line) == (written == ", "), line


@pytest.mark.parametrize("language, written", [("es", ". "), ("zh", "。")])
def test_a_deadline_and_where_it_is_counted_from_are_two_sentences_in_the_languages_own_way(content, language, written):
    # A step's or a fee's time limit: «Plazo: 10 días hábiles. Se cuenta desde: …».
    guide = next(g for g in content.guides if any(getattr(step, "time_limit", None) for step in getattr(g, "steps", ())))
    page = Renderer(content, language).guide(guide)
    counted = Renderer(content, language).words("counted-from")
    lines = [row for row in page.splitlines() if f"{counted}:" in row]
    assert lines and all(f"{written}{counted}:" in row for row in lines), lines
    if written != ". ":
        assert not any(f". {counted}:" in row for row in lines), lines

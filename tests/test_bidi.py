"""Left-to-right runs in right-to-left HTML are isolated in <bdi dir="ltr">, brackets and quotes
included, without changing anything else (the browser test, tests/browser/test_right_to_left.py,
checks what Chromium lays out)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from amparo.i18n.bidi_isolation import isolate_body, isolate_ltr_runs

CASES = [
    # (HTML, what it must become)
    ("<p>يمكن لـ Delegado o Subdelegado del Gobierno أن يقرر</p>",
     '<p>يمكن لـ <bdi dir="ltr" lang="es">Delegado o Subdelegado del Gobierno</bdi> أن يقرر</p>'),
    # The brackets or quotes that enclose a name go inside, with the number after it.
    ("<p>إلى (Delegación o Subdelegación del Gobierno) في</p>",
     '<p>إلى <bdi dir="ltr" lang="es">(Delegación o Subdelegación del Gobierno)</bdi> في</p>'),
    ("<p>النشرة «Hoja informativa 38». و</p>", '<p>النشرة <bdi dir="ltr">«Hoja informativa 38»</bdi>. و</p>'),
    ('<p>النموذج EX-10 و</p>', '<p>النموذج <bdi dir="ltr">EX-10</bdi> و</p>'),
    ("<p>الفقرة 2.3.2.b) هنا</p>", '<p>الفقرة <bdi dir="ltr">2.3.2.b)</bdi> هنا</p>'),
    # A bracket opened in a run closes in it.
    ("<p>ملف PDF (A4) هنا</p>", '<p>ملف <bdi dir="ltr">PDF (A4)</bdi> هنا</p>'),
    # Brackets around Arabic and Latin stay in the Arabic line; only the Latin is isolated.
    ("<p>(SERMIG، المصلحة الوطنية)</p>", '<p>(<bdi dir="ltr">SERMIG</bdi>، المصلحة الوطنية)</p>'),
    # A name inside a link, its quotes outside: the <bdi> goes around all three.
    ('<p>مؤسسة «<a href="/g/#m" title="x>y">Mesa Intersectorial sobre Trata de Personas</a>» هي</p>',
     '<p>مؤسسة <bdi dir="ltr" lang="es">«<a href="/g/#m" title="x>y">Mesa Intersectorial sobre Trata de Personas</a>»</bdi> هي</p>'),
    # Character references count as the characters they stand for.
    ("<p>هنا Public Prosecutor&#x27;s Office هنا</p>", '<p>هنا <bdi dir="ltr">Public Prosecutor&#x27;s Office</bdi> هنا</p>'),
]


@pytest.mark.parametrize("before, after", CASES)
def test_left_to_right_runs_are_isolated(before, after):
    assert isolate_ltr_runs(before) == after


LEFT_ALONE = [
    "<p>نص عربي فقط، بلا أسماء.</p>",
    '<p><span lang="es" dir="ltr">Ya aislado</span> عربي</p>',           # it says its direction already
    "<p><code>tests/test_x.py</code> عربي</p>",                            # code
    '<script>var x = "<p>Delegación</p>";</script>',                        # scripts
    "<title>Amparo</title>",                                               # cannot hold markup
    '<select><option>Français</option></select>',
    "<!-- <p>Delegación</p> -->",
]


@pytest.mark.parametrize("page", LEFT_ALONE)
def test_what_must_not_change_is_left_alone(page):
    assert isolate_ltr_runs(page) == page


def test_a_left_to_right_page_changes_only_inside_its_right_to_left_parts():
    page = '<p>Hola (Delegación)</p><section dir="rtl"><p>مؤسسة (Mesa Intersectorial) هي</p></section><p>Adiós (y)</p>'
    assert isolate_ltr_runs(page, right_to_left=False) == \
        '<p>Hola (Delegación)</p><section dir="rtl"><p>مؤسسة <bdi dir="ltr">(Mesa Intersectorial)</bdi> هي</p></section>' \
        "<p>Adiós (y)</p>"
    assert isolate_ltr_runs("<p>Hola (Delegación)</p>", right_to_left=False) == "<p>Hola (Delegación)</p>"


def test_only_the_body_of_a_page_and_nothing_else_changes():
    page = ('<!doctype html><html dir="rtl"><head><title>Amparo</title><meta content="Amparo Guía"></head>'
            '<body><h1>دليل Amparo</h1><p data-x="Delegación">نص (Delegación o Subdelegación del Gobierno) نص</p></body></html>')
    isolated = isolate_body(page, True)
    assert isolated.split("<body>")[0] == page.split("<body>")[0]
    assert re.sub(r"</?bdi[^>]*>", "", isolated) == page, "only <bdi> tags may be added"
    assert isolate_body(isolated, True) == isolated, "a second pass changes nothing"


class _Nesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()


@pytest.mark.parametrize("page", [
    "<p>عربي <em>Delegación</em> y <strong>Gobierno</strong> عربي</p>",
    "<p>عربي <em>نص Delegación</em> Gobierno) عربي</p>",
    "<p>«<a href='x'><em>Mesa</em> Intersectorial</a>» <a href='y'>sobre</a> Trata عربي</p>",
    "<ul><li>عربي (Uno</li><li>Dos) عربي</li></ul>",
])
def test_the_tags_it_adds_always_nest(page):
    checker = _Nesting()
    checker.feed(isolate_ltr_runs(page))
    assert checker.open == []

"""Spanish names inside Arabic lines read right: on the rendered page, not in the markup.

Official names stay in Spanish in the Arabic guides («Delegación o Subdelegación del Gobierno»).
Without isolation, the brackets and quotes around such a name take the direction of the Arabic
line: on one line they sit on the wrong side of the name, and when the name wraps they land at
the far ends of each part («… del)» / «Gobierno(»). For every bracketed or quoted Latin name in
the Arabic guides and leaflets, at phone width (390 px) and at the width of a printed A4 sheet,
Chromium must lay the opening mark just left of the name's first letter and the closing mark just
right of its last (measured with Range.getClientRects on the characters). The same pages with the
isolation taken out of the DOM must fail: the check can fail.
"""

from __future__ import annotations

import pytest

from pathlib import Path

from amparo.content.loader import load_content
from amparo.project import read_project

pytestmark = pytest.mark.browser

PROJECT = read_project(Path(__file__).resolve().parents[2] / "mkdocs.yml")
GUIDES = [guide.id for guide in load_content(PROJECT.content_dir, PROJECT.sources_dir).guides]
PAGES = [f"/ar/guias/{guide}/" for guide in GUIDES] + [f"/ar/imprimir/{guide}/" for guide in GUIDES]
# 390 px: a phone. 703 px in print: an A4 sheet, 210 mm less print.css's two 12 mm margins, at 96 px per inch.
WIDTHS = {"phone": (390, "screen"), "a4": (703, "print")}

MEASURE = r"""
(unwrap) => {
  if (unwrap) {
    for (const bdi of document.querySelectorAll('bdi[dir="ltr"]')) bdi.replaceWith(...bdi.childNodes);
  }
  const root = document.querySelector('.amparo-print') || document.querySelector('article');
  const block = (node) => node.parentElement.closest('p, li, td, th, h1, h2, h3, h4, dd, dt, div, section, article');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement.closest('script, style, code, pre, svg, [hidden]')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const nodes = [], starts = [];
  let text = '', previous = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (previous && block(previous) !== block(node)) text += '\n';   // no name across two blocks
    nodes.push(node); starts.push(text.length); text += node.data; previous = node;
  }
  const rect = (at) => {
    let i = starts.length - 1;
    while (i > 0 && starts[i] > at) i--;
    const range = document.createRange();
    range.setStart(nodes[i], at - starts[i]);
    range.setEnd(nodes[i], at - starts[i] + 1);
    const rects = range.getClientRects();
    return rects.length ? rects[0] : null;
  };
  const sameLine = (a, b) => Math.abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2) < Math.min(a.height, b.height) / 2;
  const names = [];
  const pattern = /([(«“"])([A-Za-z\u00C0-\u024F][^()«»“”"\n\u0590-\u08FF]*?[A-Za-z\u00C0-\u024F0-9.])([)»”"])/g;
  for (const m of text.matchAll(pattern)) {
    const open = m.index, first = open + 1, last = first + m[2].length - 1, close = last + 1;
    const [o, f, l, c] = [rect(open), rect(first), rect(last), rect(close)];
    if (!o || !f || !l || !c || !o.width) continue;   // not shown (a closed part of the page)
    const openOk = sameLine(o, f) && Math.abs(o.right - f.left) <= 1.5;
    const closeOk = sameLine(c, l) && Math.abs(c.left - l.right) <= 1.5;
    names.push({name: m[0], ok: openOk && closeOk, wraps: !sameLine(f, l),
                open: [Math.round(o.left), Math.round(o.right), Math.round(o.top)],
                first: [Math.round(f.left), Math.round(f.right), Math.round(f.top)],
                last: [Math.round(l.left), Math.round(l.right), Math.round(l.top)],
                close: [Math.round(c.left), Math.round(c.right), Math.round(c.top)]});
  }
  return names;
}
"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("path", PAGES)
def test_brackets_and_quotes_stay_around_a_latin_name_in_arabic(reading_page, path, width):
    pixels, media = WIDTHS[width]
    page, guard = reading_page(viewport={"width": pixels, "height": 900})
    page.emulate_media(media=media)
    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == 200, path
    names = page.evaluate(MEASURE, False)
    wrong = [name for name in names if not name["ok"]]
    assert not wrong, f"{path} at {width}: {len(wrong)} of {len(names)} names lose their marks: {wrong[:5]}"

    page.reload(wait_until="load")
    without = page.evaluate(MEASURE, True)
    assert len(without) == len(names)
    if names:
        # The control: the same names without <bdi> read wrong, so the check above can fail.
        assert any(not name["ok"] for name in without), f"{path} at {width}: nothing fails without isolation"


def test_the_arabic_guides_have_bracketed_and_quoted_latin_names_to_check(reading_page):
    # Not an empty check: dozens of names, and at phone width some of them wrap over two lines.
    page, guard = reading_page(viewport={"width": 390, "height": 900})
    page.emulate_media(media="screen")
    names = []
    for path in PAGES:
        page.goto(path, wait_until="load")
        names += page.evaluate(MEASURE, False)
    assert len(names) >= 40, len(names)
    assert sum(name["wraps"] for name in names) >= 3, [name["name"] for name in names if name["wraps"]]

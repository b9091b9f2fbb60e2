"""Left-to-right runs inside right-to-left pages, isolated so that they read right.

Official names stay in Spanish in every translation («Delegación o Subdelegación del Gobierno»).
In an Arabic line, a Latin name is laid out left to right, but the brackets and quotes around it
take the direction of the Arabic around them: when the name wraps over two lines they land at the
far ends of each part («… del)» / «Gobierno(»), and a number after a name («Hoja informativa 38»)
moves before it. Each such run, with the brackets or quotes that enclose it, is wrapped in
`<bdi dir="ltr">` (with `lang="es"` when it is recognisably Spanish, for screen readers), so the
browser lays it out as one left-to-right unit inside the right-to-left line: its opening mark just
left of its first letter, its closing mark just right of its last, on every line it spans.

It works on finished HTML, so every page is covered the same way, whoever wrote it (guides,
hand-written pages, quiz screens, leaflets, posters): only text is read, and only `<bdi>` tags are
added. Code, scripts, titles and other elements that cannot hold markup are left alone, and so is
any element that already says it is left to right (`dir="ltr"` or `"auto"`), which makes it idempotent.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

# Elements whose text flows inline with their parent's: a run may go through them.
_INLINE = frozenset({"a", "abbr", "b", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small", "span", "strong",
                     "sub", "sup", "time", "u", "var", "kbd"})
# Elements whose text is not reader text, or cannot hold a <bdi>: never touched.
_SKIP = frozenset({"script", "style", "textarea", "title", "option", "select", "optgroup", "datalist", "code", "pre",
                   "svg", "math", "template", "head", "noscript", "bdi", "bdo", "iframe", "object"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_PAIRS = {"(": ")", "[": "]", "«": "»", "“": "”", "„": "“", "‘": "’", '"': '"', "'": "'", "‹": "›"}
_CLOSERS = {closer: opener for opener, closer in _PAIRS.items() if opener != closer}
# Recognisably Spanish: its accented letters, or its short words between two others.
_SPANISH = re.compile(r"[áéíóúñü¿¡]|\w \b(?:de|del|la|las|los|el|y|o|por|para|sobre|con|en)\b \w", re.IGNORECASE)
# A letter of a left-to-right script: Latin (and Chinese, Cyrillic… whose letters are left to right too).
_LEFT_TO_RIGHT = re.compile(r"[^\W\d_\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class _Kinds(dict):
    """For str.translate: each character → L (a left-to-right letter), R (a right-to-left one), N
    (a digit) or a space (anything else), computed once per character."""

    def __missing__(self, code: int) -> str:
        kind = unicodedata.bidirectional(chr(code))
        self[code] = found = "L" if kind == "L" else "R" if kind in ("R", "AL") else "N" if kind == "EN" else " "
        return found


_KINDS = _Kinds()


@dataclass
class _Chars:
    """A flow's characters: each one decoded, its place in the HTML (a character reference is one
    character), and the inline element it is directly in (an index in the flow's elements; -1 for
    the block)."""

    text: str
    kinds: str
    starts: list[int]
    ends: list[int]
    elements: list[int]


@dataclass
class _Flow:
    """A block's text, through its inline elements: what the bidi algorithm lays out as one paragraph."""

    # each piece of text: (decoded, its start and end in the HTML, the inline element it is in)
    pieces: list[tuple[str, int, int, int]] = field(default_factory=list)
    # each inline element: (its start tag's start, its end tag's end, its parent element)
    elements: list[list[int]] = field(default_factory=list)

    def chars(self) -> _Chars:
        """Its characters (made only for the flows with a left-to-right letter)."""
        starts: list[int] = []
        ends: list[int] = []
        elements: list[int] = []
        for decoded, start, end, element in self.pieces:
            if len(decoded) == end - start:   # plain text: one character per place
                starts += range(start, end)
                ends += range(start + 1, end + 1)
            else:                             # a character reference
                starts += [start] * len(decoded)
                ends += [end] * len(decoded)
            elements += [element] * len(decoded)
        text = "".join(decoded for decoded, _, _, _ in self.pieces)
        return _Chars(text, text.translate(_KINDS), starts, ends, elements)

    def has_left_to_right(self) -> bool:
        return any(_LEFT_TO_RIGHT.search(decoded) for decoded, _, _, _ in self.pieces)


# One token of HTML: a comment, a tag, a character reference, or text.
_TOKEN = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w:-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>|<!\w[^>]*>|&#?\w+;|[^<&]+|[<&]",
                    re.DOTALL)
_DIR = re.compile(r"""\bdir\s*=\s*["']?([a-zA-Z]+)""")


class _Reader:
    """The page's text as flows (what the bidi algorithm lays out as one paragraph): a block's text
    through its inline elements, each character with its place in the HTML."""

    def __init__(self, text: str, right_to_left: bool):
        self.text = text
        self.flows: list[_Flow] = [_Flow()]
        self.inline: list[int] = []     # open inline elements of the current flow (indexes)
        self.skipping: list[str] = []   # open elements whose content is left alone
        # Open elements with dir="rtl" in a left-to-right page (a panel of the poster in every
        # language): [tag, how many of that tag are open]. Text is read only right to left.
        self.right_to_left = right_to_left
        self.rtl_elements: list[list] = []
        self.raw: str | None = None     # inside <script> or <style>: everything up to its end tag is text

    def read(self) -> list[_Flow]:
        for match in _TOKEN.finditer(self.text):
            token = match.group()
            if self.raw is not None:
                if match.group(2) and match.group(1) and match.group(2).lower() == self.raw:
                    tag, self.raw = self.raw, None
                    self._end(tag, match.end())
                continue
            if token.startswith("<!"):
                continue
            if match.group(2):
                tag = match.group(2).lower()
                if match.group(1):
                    self._end(tag, match.end())
                else:
                    self._start(tag, match.group(3), match.start())
                    if tag in ("script", "style", "textarea", "title") and not match.group(3).rstrip().endswith("/"):
                        self.raw = tag
            elif token.startswith("&") and len(token) > 1:
                self._add(html.unescape(token), match.start(), match.end())
            else:
                self._add(token, match.start(), match.end())
        return self.flows

    def _break(self) -> None:
        if self.flows[-1].pieces:
            self.flows.append(_Flow())
        self.inline = []

    def _start(self, tag: str, attributes: str, start: int) -> None:
        void = tag in _VOID or attributes.rstrip().endswith("/")
        if self.skipping:
            if not void:
                self.skipping.append(tag)
            return
        found = _DIR.search(attributes) if "dir" in attributes else None
        direction = found.group(1).lower() if found else None
        if tag in _SKIP or direction not in (None, "rtl"):
            self._break()
            if not void:
                self.skipping.append(tag)
            return
        if self.rtl_elements and self.rtl_elements[-1][0] == tag:
            self.rtl_elements[-1][1] += 1
        if direction == "rtl" and not void:
            self._break()
            self.rtl_elements.append([tag, 1])
            return
        if tag in _INLINE and not void:
            flow = self.flows[-1]
            flow.elements.append([start, -1, self.inline[-1] if self.inline else -1])
            self.inline.append(len(flow.elements) - 1)
            return
        if tag not in _INLINE:
            self._break()

    def _end(self, tag: str, end: int) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
                if not self.skipping:
                    self._break()
            return
        if self.rtl_elements and self.rtl_elements[-1][0] == tag:
            self.rtl_elements[-1][1] -= 1
            if not self.rtl_elements[-1][1]:
                self.rtl_elements.pop()
                self._break()
                return
        if tag in _INLINE and self.inline:
            self.flows[-1].elements[self.inline.pop()][1] = end
            return
        if tag not in _INLINE:
            self._break()

    def _add(self, decoded: str, start: int, end: int) -> None:
        if self.skipping or not (self.right_to_left or self.rtl_elements):
            return
        self.flows[-1].pieces.append((decoded, start, end, self.inline[-1] if self.inline else -1))


def _runs(chars: _Chars) -> list[tuple[int, int]]:
    """(first, last) character indexes of each left-to-right run, with the digits that follow it
    («Hoja informativa 38», «EX-10») and the brackets or quotes that enclose it or open in it."""
    runs = []
    text, kinds = chars.text, chars.kinds
    index = kinds.find("L")
    while index != -1:
        segment_start = kinds.rfind("R", 0, index) + 1
        probe = kinds.find("R", index)
        probe = len(kinds) if probe == -1 else probe
        first, last = index, kinds.rfind("L", index, probe)
        last = _with_number(text, kinds, last)
        while first > 0 and (kinds[first - 1] == "N" or (text[first - 1] in "./-" and first > 1
                                                          and kinds[first - 2] == "N")):
            first -= 1    # a number written onto the run's first word: «2.3.2.b)»
        first, last = _balanced(text, first, last, segment_start, probe)
        # Enclosing marks: «(name)», «"name"», «(«name»)».
        while first > 0 and last + 1 < len(text) and _PAIRS.get(text[first - 1]) == text[last + 1]:
            first, last = first - 1, last + 1
        runs.append((first, last))
        index = kinds.find("L", probe)
    return runs


def _with_number(text: str, kinds: str, last: int) -> int:
    """The run's end, moved over a number that belongs to its last word: «Hoja informativa 38»,
    «EX-10», «RD 1155/2024» (a space or a hyphen, then digits and their separators)."""
    at = last + 1
    if at < len(text) and text[at] in " \u00a0-":
        at += 1
    if at >= len(text) or kinds[at] != "N":
        return last
    while at + 1 < len(text) and (kinds[at + 1] == "N" or (text[at + 1] in "./,-" and at + 2 < len(text)
                                                          and kinds[at + 2] == "N")):
        at += 1
    return at


def _balanced(text: str, first: int, last: int, low: int, high: int) -> tuple[int, int]:
    """The run grown (within [low, high), where there is no right-to-left letter) so that a bracket
    or quote opened in it closes in it, and one closed in it opens in it: «PDF (A4)», not «PDF (A4»."""
    open_marks: list[str] = []
    unopened: list[str] = []
    symmetric: dict[str, int] = {}
    for mark in text[first:last + 1]:
        if mark in _PAIRS and _PAIRS[mark] == mark:
            symmetric[mark] = symmetric.get(mark, 0) + 1
        elif mark in _PAIRS:
            open_marks.append(mark)
        elif mark in _CLOSERS:
            if open_marks and open_marks[-1] == _CLOSERS[mark]:
                open_marks.pop()
            else:
                unopened.append(_CLOSERS[mark])
    wanted = [_PAIRS[mark] for mark in reversed(open_marks)] + [mark for mark, count in symmetric.items() if count % 2]
    for closer in wanted:
        found = text.find(closer, last + 1, high)
        if found != -1:
            last = found
    for opener in unopened:
        found = text.rfind(opener, low, first)
        if found != -1:
            first = found
    # A closing mark right after the run that nothing opens is the run's: «epígrafe 2.3.2.b)».
    after = text[last + 1] if last + 1 < len(text) else ""
    if after in _CLOSERS and _CLOSERS[after] not in text[low:last + 1]:
        last += 1
    return first, last


def _spans(flow: _Flow, chars: _Chars) -> dict[int, tuple[int, int]]:
    """Each inline element's first and last character (its descendants' included)."""
    spans: dict[int, tuple[int, int]] = {}
    previous = -2
    for index, element in enumerate(chars.elements):
        if element == previous == -1:
            continue
        previous = element
        while element != -1:
            first, _ = spans.get(element, (index, index))
            spans[element] = (first, index)
            element = flow.elements[element][2]
    return spans


def _points(flow: _Flow, spans: dict[int, tuple[int, int]], chars: _Chars, first: int,
            last: int) -> tuple[int, int] | None:
    """Where to put <bdi> and </bdi> so that they nest: the run's first and last characters'
    places, moved out of the inline elements the run covers from their start (or to their end)."""
    elements = flow.elements
    start, end = chars.starts[first], chars.ends[last]
    start_in, end_in = chars.elements[first], chars.elements[last]
    while start_in != -1 and spans[start_in][0] >= first and not _inside(flow, end_in, start_in):
        start, start_in = elements[start_in][0], elements[start_in][2]
    while end_in != -1 and spans[end_in][1] <= last and not _inside(flow, start_in, end_in):
        end, end_in = elements[end_in][1], elements[end_in][2]
    if start_in != end_in or end < 0:
        return None
    return start, end


def _inside(flow: _Flow, element: int, ancestor: int) -> bool:
    while element != -1:
        if element == ancestor:
            return True
        element = flow.elements[element][2]
    return ancestor == -1


def isolate_ltr_runs(page: str, right_to_left: bool = True) -> str:
    """`page` (HTML, or a fragment of it) with every left-to-right run of its right-to-left text
    wrapped in <bdi dir="ltr">, brackets and quotes included. Its text is right to left where
    `right_to_left` says the page is, and inside any element with dir="rtl"."""
    if not right_to_left and 'dir="rtl"' not in page:
        return page
    inserts: list[tuple[int, int, str]] = []   # (place, order, text): an end before a start at one place
    for flow in _Reader(page, right_to_left).read():
        if not flow.has_left_to_right():
            continue
        chars = flow.chars()
        spans = _spans(flow, chars)
        for first, last in _runs(chars):
            points = _points(flow, spans, chars, first, last)
            if points is None:
                continue
            start, end = points
            words = chars.text[first:last + 1]
            lang = ' lang="es"' if _SPANISH.search(words) else ""
            inserts.append((start, 1, f'<bdi dir="ltr"{lang}>'))
            inserts.append((end, 0, "</bdi>"))
    if not inserts:
        return page
    pieces, previous = [], 0
    for place, _, tag in sorted(inserts, key=lambda item: (item[0], item[1])):
        pieces += [page[previous:place], tag]
        previous = place
    pieces.append(page[previous:])
    return "".join(pieces)


def isolate_body(page: str, right_to_left: bool) -> str:
    """A whole page: only what is inside <body>."""
    match = re.search(r"<body\b[^>]*>", page)
    if not match:
        return isolate_ltr_runs(page, right_to_left)
    end = page.rfind("</body>")
    end = end if end > match.end() else len(page)
    return page[:match.end()] + isolate_ltr_runs(page[match.end():end], right_to_left) + page[end:]

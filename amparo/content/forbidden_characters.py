"""Characters no content, translation or hand-written page may hold, found before anything reads them.

Control characters (NUL and the rest, but tab and line ends) have no place in reader-facing text
and break the tools that read it. Invisible direction controls can make a text *read* differently
from what a reviewer saw in a pull request (the "Trojan Source" trick): the embeddings, overrides
and isolates (U+202A–U+202E, U+2066–U+2069) are refused everywhere, since the pages set text
direction themselves (`dir`). The direction *marks* (U+200E, U+200F, U+061C) only move neutral
characters (punctuation, digits) next to them: a translator into a right-to-left language may need
them beside a Latin word, so they are allowed there and refused in left-to-right text, where they
can only reorder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Languages written right to left: the one table of them (pages, quiz screens, leaflets take their
# direction from it), and where the direction marks have a use.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"})

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_DIRECTION_MARKS = "\u200e\u200f\u061c"
_STRICT = re.compile(f"[{_CONTROL}{_DIRECTION_CONTROLS}{_DIRECTION_MARKS}]")
_RIGHT_TO_LEFT = re.compile(f"[{_CONTROL}{_DIRECTION_CONTROLS}]")
_DIRECTION = re.compile(f"[{_DIRECTION_CONTROLS}{_DIRECTION_MARKS}]")

_NAMES = {"\x00": "NUL", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE"}


@dataclass(frozen=True)
class Found:
    line: int      # 1-based
    column: int    # 1-based
    character: str

    @property
    def message(self) -> str:
        return describe(self.character, f" at column {self.column}")


def describe(character: str, where: str = "") -> str:
    code = f"U+{ord(character):04X}"
    name = unicodedata.name(character, "") or _NAMES.get(character, "unnamed")
    if _DIRECTION.match(character):
        return (f"contains an invisible direction control ({code} {name}){where}: it can make the text read "
                "differently from what a reviewer sees; remove it")
    return f"contains a control character ({code} {name}){where}: remove it"


def pattern_for(language: str | None) -> re.Pattern:
    return _RIGHT_TO_LEFT if language in RIGHT_TO_LEFT else _STRICT


def find_forbidden(text: str, language: str | None = None, first_line: int = 1) -> list[Found]:
    """Every forbidden character in `text`, with its line and column (tab, LF and CR are fine)."""
    pattern = pattern_for(language)
    found = []
    if not pattern.search(text):
        return found
    for number, line in enumerate(text.split("\n"), start=first_line):
        for match in pattern.finditer(line.rstrip("\r")):
            found.append(Found(number, match.start() + 1, match.group()))
    return found


def first_forbidden(text: str, language: str | None = None) -> str | None:
    """The message for the first forbidden character in a value (from an escape, say), or None."""
    match = pattern_for(language).search(text)
    return describe(match.group()) if match else None


def decode_utf8(data: bytes) -> tuple[str | None, int, str]:
    """The text, or None with the line of the first byte that is not UTF-8 and why."""
    try:
        return data.decode("utf-8"), 0, ""
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, line, f"is not UTF-8 text (byte 0x{data[error.start]:02X}: {error.reason}); save it as UTF-8"


# Arabic short vowels and other marks a writer may or may not put, and the elongation stroke.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_ALEFS = str.maketrans("أإآٱ", "اااا")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def fold(text: str, language: str | None = None) -> str:
    """The form in which two spellings of the same words compare equal: Unicode NFC, case folded,
    one kind of space and apostrophe, and in Arabic without the optional short vowels and with one
    alef («إذا» and «اذا»). Never changes letters otherwise: «você» and «voce» stay different."""
    text = unicodedata.normalize("NFC", text).casefold().replace("\u2019", "'").replace("\u02bc", "'")
    if language in RIGHT_TO_LEFT or language is None:
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_ALEFS)
    return _SPACES.sub(" ", text)

"""How easy the Spanish reader text is to read: INFLESZ (the Szigriszt-Pazos perspicuity index)
per page, and the sentences that are too long.

A reader in a hurry, reading in her second language, needs short sentences in common words. The
report scores the words the reader reads: not the exact official names (`official_name`, laws,
a fee's heading), which are shown labelled as quotes, nor quotes from the sources («…»), nor
addresses. `amparo check` prints it as a warning (never a failure: an index is a guide for
editors, not a rule); `make bench` records it.

INFLESZ scale (Barrio-Cantalejo et al., 2008): < 40 muy difícil, 40–55 algo difícil,
55–65 normal, 65–80 bastante fácil, > 80 muy fácil. The target is ≥ 65 for every guide and no
sentence over 25 words. The index comes from `textstat` (the `readability` extra); without it
the report says so and scores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..content.interface_words import ORGANISATION_WORDS, QUIZ_WORDS
from ..content.loader import iter_texts
from ..content.models import Passage, Procedure, Text
from ..i18n.handwritten_pages import STUB_MARKER

try:  # the `readability` extra: without it, the report says it was skipped
    import textstat
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    textstat = None

TARGET = 65.0
MAX_WORDS = 25
# Exact legal words, shown labelled ("Nombre oficial: …") or as a quote: not the reader's prose.
OFFICIAL_FIELDS = frozenset({"official_name", "law", "articles", "heading_name", "legal_name", "matches", "passages",
                             "form", "code", "heading"})
_QUOTE = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[¿¡«\"(]?[A-ZÁÉÍÓÚÑÜ0-9])")


@dataclass
class LongSentence:
    origin: tuple[str, int] | None
    words: int
    text: str

    def where(self) -> str:
        return f"{self.origin[0]}:{self.origin[1]}" if self.origin else "?"


@dataclass
class PageScore:
    page: str
    kind: str                     # guide, page (hand-written) or quiz
    words: int
    inflesz: float | None
    long_sentences: list[LongSentence] = field(default_factory=list)

    @property
    def meets_target(self) -> bool:
        return self.kind != "guide" or (self.inflesz is not None and self.inflesz >= TARGET)


def reader_text(text: str) -> str:
    """The words a reader reads as prose: quotes and addresses left out."""
    return " ".join(_URL.sub("", _QUOTE.sub("", text)).split())


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(reader_text(text)) if _WORD.search(part)]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def model_texts(model: Any) -> Iterator[Text]:
    """Every reader-facing Spanish text of a model, the official names and quotes left out."""
    return iter_texts(model, OFFICIAL_FIELDS, (Passage,))


_MARKDOWN = re.compile(r"^\s{0,3}(#+|[-*+]|\d+\.|>)\s*|\[([^\]]*)\]\([^)]*\)|[*_`]|\{:[^}]*\}|<[^>]+>", re.M)


def markdown_texts(path: Path, display: str) -> Iterator[Text]:
    """The paragraphs and headings of a hand-written page, its markup left out."""
    front = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == "---":
            front = not front if number == 1 or front else front
            continue
        # Tables (on these pages, the sources' official titles) are not prose.
        if front or not line.strip() or line.lstrip().startswith("|"):
            continue
        plain = _MARKDOWN.sub(lambda m: m.group(2) or "", line).strip()
        if _WORD.search(plain):
            text = Text(plain)
            text.origin = (display, number)
            yield text


def score(page: str, kind: str, texts: list[Text]) -> PageScore:
    pieces = []
    long = []
    for text in texts:
        for sentence in sentences(str(text)):
            count = word_count(sentence)
            if count > MAX_WORDS:
                long.append(LongSentence(text.origin, count, sentence))
        plain = reader_text(str(text))
        if plain:
            # A heading or a list item is a sentence of its own.
            pieces.append(plain if plain[-1] in ".!?…:" else plain + ".")
    joined = " ".join(pieces)
    return PageScore(page, kind, word_count(joined), inflesz(joined), long)


def inflesz(text: str) -> float | None:
    if textstat is None or not _WORD.search(text):
        return None
    textstat.set_lang("es")
    return round(float(textstat.szigriszt_pazos(text)), 1)


def available() -> bool:
    return textstat is not None


def report(content, docs_dir: Path) -> list[PageScore]:
    """Every Spanish page a reader reads: the guides, the glossary, the hand-written pages, the quiz."""
    scores = []
    for guide in content.guides:
        kind = "guide" if isinstance(guide, Procedure) else "page"
        scores.append(score(f"guias/{guide.id}/", kind, list(model_texts(guide))))
    scores.append(score("guias/glosario/", "page", list(model_texts(content.glossary))))
    for path in sorted(Path(docs_dir).glob("*.md")):
        # Generated pages (the translation status, the organisations page) are scored from their words.
        if path.stem.count(".") == 0 and not path.read_text(encoding="utf-8").startswith(STUB_MARKER):
            name = "" if path.stem == "index" else f"{path.stem}/"
            scores.append(score(name or "/", "page", list(markdown_texts(path, f"{Path(docs_dir).name}/{path.name}"))))
    scores.append(score("organizaciones/", "page",
                        [content.interface[key] for key in ORGANISATION_WORDS if key in content.interface]))
    quiz_words = [content.interface[key] for key in QUIZ_WORDS if key in content.interface and key != "date-format"]
    scores.append(score("cuestionario/", "quiz", list(model_texts(content.quiz)) + quiz_words))
    return scores


def warnings(scores: list[PageScore]) -> list[str]:
    lines = []
    for page in scores:
        if page.inflesz is not None and not page.meets_target:
            lines.append(f"Readability: {page.page} has INFLESZ {page.inflesz:.1f}, below {TARGET:.0f} "
                         "(«bastante fácil»): shorter sentences and common words help.")
        for sentence in page.long_sentences:
            lines.append(f"Readability: {sentence.where()}: a sentence of {sentence.words} words (more than "
                         f"{MAX_WORDS}): «{sentence.text[:70]}…»")
    return lines


def table(scores: list[PageScore]) -> str:
    rows = ["| page | kind | words | INFLESZ | sentences > 25 words |", "|---|---|---|---|---|"]
    for page in scores:
        index = f"{page.inflesz:.1f}" if page.inflesz is not None else "n/a"
        rows.append(f"| {page.page} | {page.kind} | {page.words} | {index} | {len(page.long_sentences)} |")
    return "\n".join(rows)

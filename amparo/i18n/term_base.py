"""The term base (`procedures/locale/terms.yml`): what every translation must say as the Spanish says it.

Two kinds of entries, both written by people who read the languages (see CONTRIBUTING.md,
"Translating"):

- **terms**: a Spanish term that carries legal meaning or certainty («al menos», «si tú estás de
  acuerdo», «trata de seres humanos»), with, per language, the renderings one of which the
  translation must have wherever the Spanish has the term (`use`), and the forms it must not have
  there (`avoid`: the errors the entry was written against);
- **variants**: the one register and regional variant each language is written in, with the forms
  of the others, which no text of that language may have (Portugal's «telemóvel» in Brazilian
  Portuguese, «dumneavoastră» in a Romanian that says «tu»).

A pattern is words as written, compared without regard to case, to the kind of space or
apostrophe, or (in Arabic) to the optional short vowels; `*` stands for the letters a word may
add («autoriza*»). Patterns match whole words, except in languages written without spaces.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..content.errors import ContentError, Problem
from ..content.forbidden_characters import fold
from ..content.loader import parse_file
from ..content.memo import Memo
from ..content.models import SOURCE_LANGUAGE, Term, TermsFile, Variant
from ..content.yaml_lines import YamlDocument
from .numbers import UNSPACED

TERMS_FILE = "terms.yml"
# Arabic writes «and», «so», «with», «for», «like», «will» and «the» joined to the next word
# («بموافقتك», «وربما», «لتهريب»): a pattern finds its word with them.
_ARABIC_PROCLITICS = "(?:[وف])?(?:[بكلس])?(?:ال|ل)?"


@functools.lru_cache(maxsize=None)
def compile_pattern(pattern: str, language: str) -> re.Pattern:
    """A term base pattern as a regular expression over `fold`ed text."""
    parts = []
    for piece in re.split(r"(\*)", fold(pattern, language)):
        parts.append(r"\w*" if piece == "*" else re.escape(piece))
    body = "".join(parts)
    if language in UNSPACED:
        return re.compile(body)
    if language == "ar" and not pattern.startswith("*"):
        body = _ARABIC_PROCLITICS + body
    return re.compile(rf"(?<!\w){body}(?!\w)")


@functools.lru_cache(maxsize=None)
def _any_of(patterns: tuple[str, ...], language: str) -> re.Pattern:
    """The term base's patterns as one alternation, tried in their order: it finds what any of them
    would find, and only that."""
    return re.compile("|".join(f"(?:{compile_pattern(pattern, language).pattern})" for pattern in patterns) or "(?!)")


def _spanish_regex(patterns: tuple[str, ...]) -> re.Pattern:
    """Every use of a term in Spanish: its forms longest first, so that «trata de seres humanos»
    counts once, not also as «de trata»."""
    return _any_of(tuple(sorted(patterns, key=lambda pattern: -len(pattern))), SOURCE_LANGUAGE)


def _applies(term: Term, context: str | None) -> bool:
    if term.only_in and (context is None or not any(fnmatch.fnmatchcase(context, glob) for glob in term.only_in)):
        return False
    return not (context is not None and any(fnmatch.fnmatchcase(context, glob) for glob in term.not_in))


def _first_match(patterns: list[str], folded: str, language: str) -> str | None:
    for pattern in patterns:
        match = compile_pattern(pattern, language).search(folded)
        if match:
            return match.group()
    return None


def _words(patterns) -> str:
    return " / ".join(f"«{pattern}»" for pattern in patterns)


@dataclass
class TermBase:
    file: TermsFile = field(default_factory=lambda: TermsFile(kind="terms"))
    display: str = f"procedures/locale/{TERMS_FILE}"
    lines: dict[tuple, int] = field(default_factory=dict)   # ("terms", id) / ("variants", language, form) → line
    sha256: str = ""   # of the file it was read from ("": none)
    # What each text was found to lack or break, kept while the term base is the same file: a
    # rebuild (`make serve`) or a second check in one process asks again for most texts.
    _answers: Memo[list] = field(default_factory=lambda: Memo(65536), repr=False, compare=False)

    @classmethod
    def load(cls, content_root: Path, languages: list[str] | None = None) -> "TermBase":
        """The term base beside the catalogs, or an empty one if there is none; a ContentError
        with file and line for an entry that is wrong, or that names a language not in `languages`
        (the project's: a build of some of them applies what concerns those)."""
        path = Path(content_root) / "locale" / TERMS_FILE
        display = f"{Path(content_root).name}/locale/{TERMS_FILE}"
        if not path.exists():
            return cls(display=display)
        return _loaded(path, display, path.read_bytes(), None if languages is None else tuple(languages))

    @classmethod
    def _parsed(cls, path: Path, display: str, languages: tuple[str, ...] | None, data: bytes) -> "TermBase":
        model, document = parse_file(path, display, ("terms",), data)
        base = cls(model, display, _lines(model, document), document.sha256)
        problems = base._contradictions()
        if languages is not None:
            problems += base._language_problems(document, [language for language in languages if language != SOURCE_LANGUAGE])
        if problems:
            raise ContentError(problems)
        return base

    def _language_problems(self, document: YamlDocument, languages: list[str]) -> list[Problem]:
        problems = []
        known = ", ".join(languages)
        for language in self.file.variants:
            if language not in languages:
                problems.append(Problem(self.display, document.line_of(("variants", language)), f"variants.{language}",
                                        f"names a language the site does not translate into (it has: {known})"))
        for index, term in enumerate(self.file.terms):
            for language in term.translations:
                if language not in languages:
                    problems.append(Problem(self.display, document.line_of(("terms", index, "translations", language)),
                                            f"terms[{index}].translations.{language}",
                                            f"names a language the site does not translate into (it has: {known})"))
        return problems

    def _contradictions(self) -> list[Problem]:
        """A required rendering that a forbidden form would refuse can never pass: say so at once."""
        problems = []
        for term in self.file.terms:
            for language, rendering in term.translations.items():
                variant = self.file.variants.get(language)
                forbidden = list(rendering.avoid) + (list(variant.avoid) if variant else [])
                for wanted in rendering.use:
                    sample = fold(wanted.replace("*", ""), language)
                    clash = next((form for form in forbidden if compile_pattern(form, language).search(sample)), None)
                    if clash:
                        line = self.lines.get(("use", term.id, language), self.lines[("terms", term.id)])
                        problems.append(Problem(self.display, line, f"{term.id}.translations.{language}",
                                                f"requires «{wanted}», which the forbidden form «{clash}» refuses: "
                                                "change one of them"))
        return problems

    # --- checks ----------------------------------------------------------------------------------

    def term_problems(self, spanish: str, translated: str, language: str, context: str | None = None) -> list[str]:
        """A term of the Spanish without its rendering in the translation, or with a form the term
        base forbids. `context` is the catalog entry's (None for a hand-written page)."""
        return list(self._answers.get(("terms", spanish, translated, language, context),
                                      lambda: self._term_problems(spanish, translated, language, context)))

    def _term_problems(self, spanish: str, translated: str, language: str, context: str | None) -> list[str]:
        found = []
        text = fold(translated, language)
        for term, spanish_uses in self._spanish_uses(spanish):
            rendering = term.translations.get(language)
            if rendering is None or not _applies(term, context):
                continue
            where = f"{self.display}:{self.lines[('terms', term.id)]}"
            wrong = _first_match(rendering.avoid, text, language)
            if wrong is not None:
                instead = f": write {_words(rendering.use)}" if rendering.use else ""
                found.append(f"renders «{spanish_uses[0]}» as «{wrong}», which the term base forbids (term '{term.id}', "
                             f"{where}){instead}")
                continue
            if not rendering.use or _first_match(rendering.use, text, language) is not None:
                continue
            kept = len(_spanish_regex(tuple(term.es)).findall(text))
            if term.spanish_alone_counts and kept >= len(spanish_uses):
                continue   # an official name kept in Spanish, every time the Spanish uses the term
            found.append(f"lacks the rendering of «{spanish_uses[0]}» (term '{term.id}', {where}): write "
                         f"{_words(rendering.use)}")
        return found

    def _spanish_uses(self, spanish: str) -> list[tuple[Term, list[str]]]:
        """The terms a Spanish text uses, each with its uses: found once for the seven languages
        that translate the text."""
        return self._answers.get(("uses", spanish), lambda: self._find_spanish_uses(spanish))

    def _find_spanish_uses(self, spanish: str) -> list[tuple[Term, list[str]]]:
        source = fold(spanish, SOURCE_LANGUAGE)
        found = [(term, _spanish_regex(tuple(term.es)).findall(source)) for term in self.file.terms]
        return [(term, uses) for term, uses in found if uses]

    def variant_problems(self, translated: str, language: str) -> list[str]:
        return list(self._answers.get(("variant", translated, language), lambda: self._variant_problems(translated, language)))

    def _variant_problems(self, translated: str, language: str) -> list[str]:
        variant = self.file.variants.get(language)
        if variant is None:
            return []
        text = fold(translated, language)
        found: list[str] = []
        if not _any_of(tuple(variant.avoid), language).search(text):
            return found   # most texts have none of the forms: one search instead of one per form
        for form, instead in variant.avoid.items():
            match = compile_pattern(form, language).search(text)
            if match:
                found.append(f"has «{match.group()}», which is not {variant.name} "
                             f"({self.display}:{self.lines[('variants', language, form)]}): write «{instead}»")
        return found

    FORBIDDEN = " (forbidden form)"

    def found(self, text: str, language: str) -> frozenset[str]:
        """The terms a text has (what `amparo changes` compares, to show a reviewer the texts whose
        terms changed): by their Spanish in Spanish; in a translation, a term's id where it has a
        rendering, and the id with FORBIDDEN where it has a forbidden form."""
        folded = fold(text, language)
        ids = set()
        for term in self.file.terms:
            if language == SOURCE_LANGUAGE:
                if _first_match(term.es, folded, language) is not None:
                    ids.add(term.id)
                continue
            rendering = term.translations.get(language)
            if rendering is None:
                continue
            if _first_match(rendering.use, folded, language) is not None:
                ids.add(term.id)
            if _first_match(rendering.avoid, folded, language) is not None:
                ids.add(term.id + self.FORBIDDEN)
        return frozenset(ids)

    def unused(self, spanish_texts: list[str]) -> list[Problem]:
        """Terms whose Spanish no text has: an entry must earn its place (a warning, not an error)."""
        folded = [fold(text, SOURCE_LANGUAGE) for text in spanish_texts]
        return [Problem(self.display, self.lines[("terms", term.id)], term.id,
                        "is in no Spanish text: remove the entry, or correct its `es` forms")
                for term in self.file.terms
                if not any(_first_match(term.es, text, SOURCE_LANGUAGE) for text in folded)]

    def variant(self, language: str) -> Variant | None:
        return self.file.variants.get(language)

    @property
    def terms(self) -> list[Term]:
        return self.file.terms


_LOADED: Memo[TermBase] = Memo(4)


def _loaded(path: Path, display: str, data: bytes, languages: tuple[str, ...] | None) -> TermBase:
    """The term base `path` holds (`data`): one per file content, name and languages, so that it
    keeps its answers (a copy of the project with the same file gets the same one)."""
    return _LOADED.get((display, data, languages), lambda: TermBase._parsed(path, display, languages, data))


def _lines(model: TermsFile, document: YamlDocument) -> dict[tuple, int]:
    lines = {}
    for index, term in enumerate(model.terms):
        lines[("terms", term.id)] = document.line_of(("terms", index))
        for language in term.translations:
            lines[("use", term.id, language)] = document.line_of(("terms", index, "translations", language, "use"))
    for language, variant in model.variants.items():
        for form in variant.avoid:
            lines[("variants", language, form)] = document.line_of(("variants", language, "avoid", form))
    return lines

"""Translations as gettext catalogs: one template, one PO file per language.

The message id is the Spanish text and the message context is the field's path
(`<guide id>.steps.<step id>.text`), so two equal Spanish strings with
different meanings are translated apart, and a changed Spanish text no longer matches
its old translation: `amparo translations update` marks it fuzzy, and until a translator
confirms it the page shows the Spanish text.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from pydantic_core import PydanticCustomError

from ..content.errors import ContentError, Problem
from ..content.forbidden_characters import decode_utf8, find_forbidden
from ..content.loader import find_urls
from ..content.memo import Memo
from ..content.models import Text
from .numbers import lost_numbers, numbers_in, sort_key
from .term_base import TermBase

TEMPLATE_NAME = "amparo.pot"
# A fixed date keeps the template byte-stable, so CI can tell when it is out of date.
_STABLE_DATE = datetime(2025, 1, 1, tzinfo=timezone.utc)


def locale_dir(content_root: Path) -> Path:
    return Path(content_root) / "locale"


def build_template(texts) -> Catalog:
    return _template(_template_entries(texts))


def _template_entries(texts) -> tuple[tuple[str, str, tuple | None], ...]:
    """What the template is made from: each text's context, its Spanish and where it is written."""
    return tuple((text.context, str(text), text.origin) for text in texts)


def _template(entries: tuple[tuple[str, str, tuple | None], ...]) -> Catalog:
    catalog = Catalog(project="Amparo", version="1", creation_date=_STABLE_DATE,
                      revision_date=_STABLE_DATE, fuzzy=False, charset="utf-8")
    for context, spanish, origin in entries:
        catalog.add(spanish, context=context, locations=[origin] if origin else ())
    return catalog


def catalog_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No "#| msgid" lines: Babel writes them but reads them back as comments, which then pile up.
    write_po(buffer, catalog, width=0, include_previous=False, sort_output=False)
    return buffer.getvalue()


_PO_STRING = re.compile(r'"(?:[^"\\]|\\[\\"ntr])*"')
_PO_KEYWORD = re.compile(r"(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+(.*)")
_PO_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}


def _po_unescape(string: str) -> str:
    return re.sub(r"\\(.)", lambda m: _PO_ESCAPES[m.group(1)], string[1:-1])


def po_syntax_problems(text: str, name: str) -> list[Problem]:
    """What gettext's syntax does not allow, line by line: Babel's reader skips such lines or
    guesses, so a broken line would silently lose or change a translation."""
    reader = _PoSyntax(name)
    for number, raw in enumerate(text.split("\n"), start=1):
        reader.read(number, raw.strip())
    reader.finish()
    return reader.problems


class _PoSyntax:
    """Reads a PO file line by line, as gettext does, noting each line it does not allow."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, str], int] = {}
        self.entry: dict[str, str] = {}
        self.entry_line = self.msgid_line = 0
        self.current: str | None = None

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, self.entry.get("msgctxt", ""), message))

    def finish(self) -> None:
        """The entry read so far is whole: check it, and start a new one."""
        entry, self.entry = self.entry, {}
        if not entry:
            return
        context = entry.get("msgctxt", "")
        if "msgid" not in entry:
            self.problems.append(Problem(self.name, self.entry_line, context, "has a msgctxt without its msgid"))
        elif not any(key.startswith("msgstr") for key in entry):
            self.problems.append(Problem(self.name, self.msgid_line, context, "has a msgid without its msgstr"))
        else:
            key = (context, entry["msgid"])
            if key in self.seen:
                self.problems.append(Problem(self.name, self.entry_line, context,
                                             f"is a second entry for the same text (the first is on line {self.seen[key]}): keep one"))
            else:
                self.seen[key] = self.entry_line

    def read(self, number: int, line: str) -> None:
        if line.startswith("#~") or not line:
            return   # an obsolete entry: kept for translators, never read
        if line.startswith("#"):
            # A comment ends the entry before it (as gettext and Babel read it): no string may follow.
            if "msgid" in self.entry:
                self.finish()
            self.current = None
        elif line.startswith('"'):
            self._string(number, line)
        else:
            self._keyword(number, line)

    def _string(self, number: int, line: str) -> None:
        if self.current is None:
            self._problem(number, "has a string that belongs to no msgid or msgstr")
        elif not _PO_STRING.fullmatch(line):
            self._problem(number, _bad_string(line))
        else:
            self.entry[self.current] += _po_unescape(line)

    def _keyword(self, number: int, line: str) -> None:
        match = _PO_KEYWORD.fullmatch(line)
        if not match:
            self._problem(number, f"is not PO syntax: {line[:40]!r} (a line is a #comment, a keyword like msgid "
                                  f'followed by a "quoted string", or a "quoted string")')
            self.current = None
            return
        keyword, string = match.groups()
        if keyword in ("msgctxt", "msgid") and "msgid" in self.entry:
            self.finish()
        if not self.entry:
            self.entry_line = number
        if keyword == "msgid":
            self.msgid_line = number
        if keyword in self.entry:
            self._problem(number, f"has {keyword} twice in one entry")
        if not _PO_STRING.fullmatch(string):
            self._problem(number, _bad_string(string))
            string = '""'
        self.entry[keyword] = _po_unescape(string)
        self.current = keyword


def _bad_string(string: str) -> str:
    if not string.startswith('"'):
        return f"has text that is not in quotes: {string[:40]!r}"
    if not string.endswith('"') or len(string) < 2:
        return "has a string without its closing quote"
    return 'has a quote or backslash inside a string that is not written \\" or \\\\, or an unknown escape'


def read_catalog(path: Path, locale: str | None = None, display: str | None = None, data: bytes | None = None) -> Catalog:
    """A PO file (`data`, if it has been read), or a ContentError naming each line a translator must fix."""
    name = display or str(path)
    text, bad_line, why = decode_utf8(Path(path).read_bytes() if data is None else data)
    if text is None:
        raise ContentError([Problem(name, bad_line, "", why)])
    if not text.strip():
        raise ContentError([Problem(name, 1, "", "is empty: run `make translations` to write it again")])
    problems = [Problem(name, found.line, "", found.message) for found in find_forbidden(text, locale)]
    problems += po_syntax_problems(text, name)
    if problems:
        raise ContentError(problems)
    try:
        catalog = read_po(io.StringIO(text), locale=locale, abort_invalid=True)
    except PoFileError as error:   # what the checks above let through and Babel still refuses
        raise ContentError([Problem(name, error.lineno + 1, "", f"is not a catalog Babel can read: {error}")]) from None
    for message in catalog:
        # Previous-msgid lines written by older versions of this tool, read back as comments.
        message.user_comments = [comment for comment in message.user_comments if not comment.startswith("|")]
    return catalog


def update_catalogs(texts, root: Path, languages: list[str]) -> list[Path]:
    """Write the template and merge it into each language's PO file."""
    folder = locale_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    template = build_template(texts)
    # Every catalog read before any is written: a broken one stops the update with nothing changed.
    catalogs = {}
    for language in languages:
        path = folder / f"{language}.po"
        if path.exists():
            catalogs[language] = read_catalog(path, language, f"{Path(root).name}/locale/{language}.po")
        else:
            catalogs[language] = Catalog(locale=language, project="Amparo", version="1", creation_date=_STABLE_DATE,
                                         revision_date=_STABLE_DATE, fuzzy=False)
    written = [folder / TEMPLATE_NAME]
    (folder / TEMPLATE_NAME).write_bytes(catalog_bytes(template))
    for language, catalog in catalogs.items():
        path = folder / f"{language}.po"
        catalog.update(template, update_creation_date=False)
        catalog.obsolete.clear()
        path.write_bytes(catalog_bytes(catalog))
        written.append(path)
    return written


@dataclass
class LanguageStatus:
    """Each text counted once, by its context, even where a shared text appears on several pages."""

    language: str
    current: dict[str, None] = field(default_factory=dict)    # translated, and up to date
    outdated: dict[str, None] = field(default_factory=dict)   # fuzzy: the Spanish changed since
    missing: dict[str, None] = field(default_factory=dict)    # never translated

    @property
    def translated(self) -> int:
        return len(self.current)

    @property
    def total(self) -> int:
        return len(self.current) + len(self.outdated) + len(self.missing)


@dataclass
class Translations:
    language: str
    path: Path | None
    messages: dict[tuple[str, str], str]
    fuzzy: set[tuple[str, str]]
    lines: dict[tuple[str, str], int]        # every text the catalog lists (translated or not) → its line
    problems: list[Problem] = field(default_factory=list)   # why the file could not be read
    sha256: str = ""   # of the file's bytes ("": no file)

    @classmethod
    def load(cls, root: Path, language: str) -> "Translations":
        """`language`'s catalog, as read (never changed after: the same file's content gives the same one)."""
        path = locale_dir(root) / f"{language}.po"
        if not path.exists():
            return cls(language, None, {}, set(), {})
        display = f"{Path(root).name}/locale/{language}.po"
        data = path.read_bytes()
        loaded = _TRANSLATIONS.get((language, display, data), lambda: cls._read(path, language, display, data))
        return replace(loaded, path=path)

    @classmethod
    def _read(cls, path: Path, language: str, display: str, data: bytes) -> "Translations":
        sha256 = hashlib.sha256(data).hexdigest()
        try:
            catalog = read_catalog(path, language, display, data)
        except ContentError as error:
            # Nothing of an unreadable catalog is used: every text falls back to Spanish.
            return cls(language, path, {}, set(), {}, error.problems, sha256)
        messages, fuzzy, lines = {}, set(), {}
        for message in catalog:
            if not message.id:
                continue
            key = (message.context or "", message.id)
            lines[key] = message.lineno or 1
            if message.fuzzy:
                fuzzy.add(key)
            elif message.string:
                messages[key] = message.string
        return cls(language, path, messages, fuzzy, lines, sha256=sha256)


_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _broken(spanish: str, translated: str) -> str | None:
    """What a translation breaks: the placeholders the page fills in, or the addresses it links."""
    if sorted(_PLACEHOLDER.findall(spanish)) != sorted(_PLACEHOLDER.findall(translated)):
        wanted = " ".join(sorted(set(_PLACEHOLDER.findall(spanish)))) or "none"
        return f"changes the placeholders: keep exactly {wanted}, untranslated"
    if sorted(find_urls(spanish)) != sorted(find_urls(translated)):
        wanted = " ".join(find_urls(spanish)) or "none"
        return f"changes a web address: keep exactly {wanted}"
    return None


def number_problem(lost: list[tuple[str, str]], translated: str, language: str) -> str:
    said = ", ".join(value if value == written else f"{value} («{written}»)" for value, written in lost)
    have = ", ".join(sorted(numbers_in(translated, language), key=sort_key)) or "none"
    return (f"loses or changes a number of the Spanish: {said} (the translation has: {have}); "
            "write every number the Spanish has, in digits or in words")


def meaning_problems(spanish: str, translated: str, language: str, terms: TermBase, context: str | None = None) -> list[str]:
    """Where a translation does not say what the Spanish says: a number lost or changed, a term of
    the term base without its rendering or with a forbidden one. `context`: the catalog entry's."""
    lost = lost_numbers(spanish, translated, language)
    found = [number_problem(lost, translated, language)] if lost else []
    return found + terms.term_problems(spanish, translated, language, context)


def unfaithful(spanish: str, translated: str, language: str, terms: TermBase, context: str | None = None) -> list[str]:
    """Meaning problems, and forms of another variant or register than the language's."""
    return meaning_problems(spanish, translated, language, terms, context) + terms.variant_problems(translated, language)


class Localizer:
    """Turns Spanish Texts into another language's, noting what fell back to Spanish."""

    def __init__(self, translations: Translations, display_root: Path, terms: TermBase | None = None):
        self.translations = translations
        self.terms = terms if terms is not None else TermBase()
        self.status = LanguageStatus(translations.language)
        self.problems: list[Problem] = list(translations.problems)
        self._display_root = display_root
        self._origins: dict[str, tuple[str, int]] = {}

    def __call__(self, text: Text) -> Text:
        key = (text.context, str(text))
        found = self.translations.messages.get(key)
        if text.origin:
            self._origins[text.context] = text.origin
        if found is None:
            (self.status.outdated if key in self.translations.fuzzy else self.status.missing)[text.context] = None
            fallback = Text(text)
            fallback.context, fallback.origin, fallback.fallback = text.context, text.origin, True
            return fallback
        try:
            translated = Text.check(found)
            broken = _broken(str(text), str(translated))
            wrong = [broken] if broken else unfaithful(str(text), str(translated), self.translations.language, self.terms,
                                                      text.context)
        except PydanticCustomError as error:  # a translation may not smuggle in markup either
            translated, wrong = Text(text), [error.message()]
        if wrong:
            # The reader gets the Spanish rather than a translation that says something else.
            line = self.translations.lines.get(key, 1)
            self.problems += [Problem(self._po_name(), line, text.context, message) for message in wrong]
            translated = Text(text)
        self.status.current[text.context] = None
        translated.context, translated.origin, translated.fallback = text.context, text.origin, False
        return translated

    def _po_name(self) -> str:
        path = self.translations.path
        if path is None:
            return f"{self._display_root.name}/locale/{self.translations.language}.po"
        try:
            return str(path.relative_to(self._display_root.parent))
        except ValueError:
            return str(path)

    def require_complete(self, shown: int = 12) -> None:
        """For languages we publish as complete, any untranslated text is an error, not a fallback."""
        problems = list(self.problems)
        if self.translations.problems:
            # An unreadable catalog: every text is "untranslated" only because of it. Say why, once.
            raise ContentError(problems)
        po = self._po_name()
        untranslated = [(context, "has no translation") for context in self.status.missing]
        untranslated += [(context, "has an outdated (fuzzy) translation") for context in self.status.outdated]
        origins = self._origins
        for context, what in untranslated[:shown]:
            file, line = origins.get(context, (po, 1))
            problems.append(Problem(file, line, context, f"{what} in {po}: run `make translations`, then translate it"))
        if len(untranslated) > shown:
            problems.append(Problem(po, 1, "", f"and {len(untranslated) - shown} more texts without a current translation"))
        if problems:
            raise ContentError(problems)


# A catalog's content → what it says: one per language, and a few more for a catalog being edited.
_TRANSLATIONS: Memo["Translations"] = Memo(16)


def _entries(catalog: Catalog) -> dict[tuple[str, str], object]:
    return {(message.context or "", message.id): message for message in catalog if message.id}


def _template_differences(template: Catalog, committed: Catalog, path: str) -> list[Problem]:
    """What the project relies on in the template: each message, its context, where its Spanish
    is (the `#:` reference) and its flags. The header is the tool's (Babel writes its own version
    and dates there), so it never makes a catalog out of date.
    """
    wanted, have = _entries(template), _entries(committed)
    problems = []
    by_context = {context: message for (context, _), message in have.items()}
    for key, message in wanted.items():
        found = have.get(key)
        if found is None:
            old = by_context.get(key[0])
            what = "has another Spanish text than the content" if old is not None else "is missing a text of the content"
            problems.append(Problem(path, (old.lineno if old is not None else 1) or 1, key[0], what))
        elif list(found.locations) != list(message.locations) or set(found.flags) != set(message.flags):
            problems.append(Problem(path, found.lineno or 1, key[0], "has another reference or flag than the content"))
    for key, message in have.items():
        if key not in wanted and key[0] not in {context for context, _ in wanted}:
            problems.append(Problem(path, message.lineno or 1, key[0], "lists a text the content no longer has"))
    return problems


_RERUN = ": the catalog is out of date, run `make translations` and commit the result"


def _template_check(entries: tuple, template_path: Path, display: str,
                    data: bytes | None) -> tuple[tuple[Problem, ...], frozenset]:
    """The committed template's problems (`data`: its bytes, None if it is missing), and the texts it must list."""
    template = _template(entries)
    wanted = frozenset(_entries(template))
    if data is None:
        return (Problem(f"{display}/{TEMPLATE_NAME}", 1, "", "is missing" + _RERUN),), wanted
    try:
        committed = read_catalog(template_path, None, f"{display}/{TEMPLATE_NAME}", data)
    except ContentError as error:
        return tuple(error.problems), wanted
    differences = _template_differences(template, committed, f"{display}/{TEMPLATE_NAME}")
    return tuple(Problem(p.file, p.line, p.field, f"{p.message}{_RERUN}") for p in differences), wanted


# The template's check, for the content as it is and a few edits of it.
_TEMPLATE_CHECKS: Memo[tuple[tuple[Problem, ...], frozenset]] = Memo(4)


def stale_catalogs(texts, root: Path, languages: list[str]) -> list[Problem]:
    """Problems if the committed catalogs no longer match the Spanish content."""
    folder = locale_dir(root)
    template_path = folder / TEMPLATE_NAME
    display = f"{root.name}/locale"
    entries = _template_entries(texts)
    data = template_path.read_bytes() if template_path.exists() else None
    template_problems, wanted = _TEMPLATE_CHECKS.get((entries, display, data),
                                                     lambda: _template_check(entries, template_path, display, data))
    problems = list(template_problems)
    for language in languages:
        path = folder / f"{language}.po"
        if not path.exists():
            problems.append(Problem(f"{display}/{language}.po", 1, "", "is missing: run `make translations`"))
            continue
        # The catalog as the build reads it (read once for both): every text it lists, translated or not.
        translations = Translations.load(root, language)
        if translations.problems:
            problems += translations.problems
            continue
        have = set(translations.lines)
        if have != wanted:
            problems.append(Problem(f"{display}/{language}.po", 1, "", f"does not list the same texts as the template ({len(wanted - have)} new, {len(have - wanted)} removed): run `make translations`"))
    return problems

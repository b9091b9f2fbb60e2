"""Load and check everything in procedures/: each file alone, then the references between them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import models
from .errors import ContentError, Problem, closest, unknown_hint
from .forbidden_characters import decode_utf8
from .interface_words import word_problems
from .memo import Memo, digest
from .models import (
    AnyFile,
    ContentReview,
    CountriesFile,
    Country,
    GlossaryEntry,
    GlossaryFile,
    Guidance,
    InterfaceFile,
    Procedure,
    Review,
    ReviewsFile,
    SharedFile,
    SharedRef,
    SharedText,
    Source,
    SourcesFile,
    Text,
)
from .passages import PassageUse, collect, passage_problems
from .quiz_checks import country_criterion_problems, deadline_fact_problems, quiz_problems, resolve_countries
from .quiz_models import QuizFile
from .time_limit_facts import time_limit_facts
from .yaml_lines import YamlDocument, dotted, load_yaml

_any_file = TypeAdapter(AnyFile)
_quiz_file = TypeAdapter(QuizFile)
_URL = re.compile(r"https?://[^\s«»\"'<>]+[^\s«»\"'<>.,;:)]")

COUNTRIES_FILE = "countries.yml"
SINGLETONS = {"sources.yml": "sources", "shared.yml": "shared", COUNTRIES_FILE: "countries", "glossary.yml": "glossary",
              "interface.yml": "interface", "locale/reviews.yml": "reviews"}
GUIDES_DIR = "guides"
QUIZ_FILE = "quiz.yml"


@dataclass
class Content:
    """Everything the site is built from, checked and with shared pieces resolved."""

    root: Path
    sources: dict[str, Source]
    shared: SharedFile
    guides: list[Procedure | Guidance]
    glossary: list[GlossaryEntry]
    interface: dict[str, Text]
    quiz: QuizFile
    reviews: dict[str, Review] = field(default_factory=dict)   # language → its review
    source_texts: dict[str, str] = field(repr=False, default_factory=dict)
    passages: list[PassageUse] = field(repr=False, default_factory=list)
    content_reviews: list[ContentReview] = field(default_factory=list)   # oldest first
    countries: list[Country] = field(default_factory=list)   # in the order the site shows them
    # A digest of the files the content was read from, and how: equal digests, equal content (what
    # is made from it can be kept, memo.py). "": not known (content made or changed by hand).
    read_from: str = field(default="", compare=False)

    def source_version(self, source_id: str) -> str:
        return source_version(self.source_texts.get(source_id, ""))

    def content_review(self, guide_id: str) -> ContentReview | None:
        """The latest record that the guide was checked against its source as it is now."""
        guide = next((g for g in self.guides if g.id == guide_id), None)
        if guide is None:
            return None
        current = self.source_version(guide.source)
        found = [review for review in self.content_reviews if review.guide == guide_id and review.source_version == current]
        return max(found, key=lambda review: review.date) if found else None

    def outdated_reviews(self) -> list[ContentReview]:
        """Latest records per guide that name an earlier version of the source: check the guide again."""
        latest: dict[str, ContentReview] = {}
        for review in self.content_reviews:
            if review.guide not in latest or review.date >= latest[review.guide].date:
                latest[review.guide] = review
        return [review for guide_id, review in latest.items() if self.content_review(guide_id) is None]

    def texts(self) -> Iterator[Text]:
        """Every translatable text once, in file order (shared pieces where they are written)."""
        seen: set[int] = set()
        countries = CountriesFile.model_construct(kind="countries", countries=self.countries, situations=[])
        for model in (SourcesFile(kind="sources", sources=list(self.sources.values())), self.shared, countries,
                      GlossaryFile(kind="glossary", entries=self.glossary), *self.guides, self.quiz):
            for text in iter_texts(model):
                if id(text) not in seen:
                    seen.add(id(text))
                    yield text
        yield from self.interface.values()


def source_version(text: str) -> str:
    """What a content review names as the version of a source: the start of its file's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def iter_texts(value: Any, skip_fields: frozenset[str] = frozenset(), skip_models: tuple[type, ...] = ()) -> Iterator[Text]:
    """Every Text in a model, in field order; fields named in `skip_fields` and models of the
    `skip_models` types are left out."""
    if isinstance(value, Text):
        yield value
    elif isinstance(value, BaseModel) and not isinstance(value, skip_models):
        for name in type(value).model_fields:
            if name not in skip_fields:
                yield from iter_texts(getattr(value, name), skip_fields, skip_models)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from iter_texts(item, skip_fields, skip_models)
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_texts(item, skip_fields, skip_models)


def map_texts(value: Any, change: Callable[[Text], Text]) -> Any:
    """A copy of `value` with every Text replaced by `change(text)`."""
    if isinstance(value, Text):
        return change(value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: map_texts(getattr(value, name), change) for name in type(value).model_fields})
    if isinstance(value, list):
        return [map_texts(item, change) for item in value]
    if isinstance(value, tuple):
        return tuple(map_texts(item, change) for item in value)
    if isinstance(value, dict):
        return {key: map_texts(item, change) for key, item in value.items()}
    return value


def _label_texts(value: Any, context: list[str], location: tuple, document: YamlDocument, display: str) -> None:
    """Give every Text its message context (a path of ids that survives reordering) and origin."""
    if isinstance(value, Text):
        value.context = ".".join(context)
        value.origin = (display, document.line_of(location))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _label_texts(getattr(value, name), context + [name], location + (name,), document, display)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            key = getattr(item, "id", None) or str(index)
            _label_texts(item, context + [key], location + (index,), document, display)
    elif isinstance(value, dict):
        for key, item in value.items():
            _label_texts(item, context + [str(key)], location + (key,), document, display)


_PLAIN_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field",
    "string_type": "must be text (put it in quotes if it looks like a number, date or yes/no)",
    "int_type": "must be a whole number",
    "list_type": "must be a list (lines starting with '- ')",
    "model_type": "must be a group of fields (key: value lines)",
    "dict_type": "must be a group of fields (key: value lines)",
    "literal_error": "must be one of: {expected}",
    "string_pattern_mismatch": "has the wrong form: {hint}",
    "too_short": "must have at least {min_length} item(s)",
    "string_too_short": "is empty: write it",
    "greater_than": "must be greater than {gt}",
}

_PATTERN_HINTS = {
    r"^\d{4}-(0[1-9]|1[0-2])$": "write a year and month like 2025-05",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "ids use lowercase letters, digits and single hyphens, like solicitar-tie",
    r"^[0-9a-f]{64}$": "a SHA-256 is 64 digits and letters a-f, as `sha256sum FILE` prints it",
    r"^[A-Z]{2}$": "a country code is two capital letters, like FR (the codes of countries.yml)",
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "a language code is two or three lowercase letters, like es, en or ht",
}


def _problems_from(error: ValidationError, document: YamlDocument, display: str, model_fields: Callable[[tuple], list[str]]) -> list[Problem]:
    problems = []
    for item in error.errors():
        location = tuple(item["loc"])
        # A tagged union puts the chosen tag first ('procedure', ...); it is not a field.
        if location and isinstance(document.data, dict) and location[0] == document.data.get("kind"):
            location = location[1:]
        # So do the inline-or-shared unions; no field has these names.
        location = tuple(part for part in location if part not in ("inline", "ref"))
        kind = item["type"]
        message = _PLAIN_MESSAGES.get(kind, item["msg"])
        ctx = item.get("ctx") or {}
        if kind == "string_pattern_mismatch":
            message = message.format(hint=_PATTERN_HINTS.get(ctx.get("pattern", ""), f"must match {ctx.get('pattern')}"))
        elif kind == "literal_error":
            message = message.format(expected=ctx.get("expected", ""))
        elif kind in ("too_short", "greater_than"):
            message = message.format(**ctx)
        elif kind in ("markup_in_text", "empty_text", "duplicate_id", "passage_empty", "passage_lines", "fee_free",
                      "fee_empty", "criterion_question", "term_pattern", "term_empty"):
            message = item["msg"]
        if kind == "extra_forbidden":
            known = model_fields(location[:-1])
            message += unknown_hint(str(location[-1]), known, "known fields here")
        if kind == "union_tag_invalid" or kind == "union_tag_not_found":
            message = ("must say which kind of file this is: kind: procedure, guidance, sources, shared, countries, "
                       "glossary, interface, reviews or terms")
            location = ("kind",)
        problems.append(Problem(display, document.line_of(location), dotted(location), message))
    return problems


def _fields_at(data: Any, location: tuple) -> list[str]:
    """Field names allowed at a location, for 'did you mean' hints."""
    kind = data.get("kind") if isinstance(data, dict) else None
    model: Any = {
        "procedure": models.Procedure, "guidance": models.Guidance, "sources": models.SourcesFile,
        "shared": models.SharedFile, "countries": models.CountriesFile, "glossary": models.GlossaryFile,
        "interface": models.InterfaceFile, "reviews": models.ReviewsFile, "terms": models.TermsFile,
    }.get(kind)
    return _fields_of(model, location)


def _fields_of(model: Any, location: tuple) -> list[str]:
    for part in location:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            return []
        model = _first_model(info.annotation)
    return sorted(getattr(model, "model_fields", {}))


def _first_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _first_model(arg)
        if found is not None and found is not SharedRef:
            return found
    return None


def parse_file(path: Path, display: str, expected_kinds: tuple[str, ...] = (), data: bytes | None = None) -> tuple[Any, YamlDocument]:
    """A content file (`data`, if it has been read) read and checked on its own: its model and where
    each value is. Read only (each file's content is parsed once in a process: `make serve`'s
    rebuilds parse the changed one)."""
    data = path.read_bytes() if data is None else data
    key = (display, path.parent.name, path.name, data, expected_kinds)
    return _PARSED.get(key, lambda: _parse_file(path, display, expected_kinds, data))


_PARSED: Memo[tuple[Any, YamlDocument]] = Memo(64)   # every file of procedures/, and a few edited ones


def _parse_file(path: Path, display: str, expected_kinds: tuple[str, ...], data: bytes) -> tuple[Any, YamlDocument]:
    document = load_yaml(path, display, data)
    kind = document.data.get("kind") if isinstance(document.data, dict) else None
    if expected_kinds and kind not in expected_kinds and isinstance(kind, str):
        # Checked first: with the wrong kind every other field would look wrong too.
        wanted = " or ".join(f"'{k}'" for k in expected_kinds)
        raise ContentError([Problem(display, document.line_of(("kind",)), "kind", f"must be {wanted} in {path.parent.name}/{path.name}")])
    try:
        model = _any_file.validate_python(document.data)
    except ValidationError as error:
        raise ContentError(_problems_from(error, document, display, lambda loc: _fields_at(document.data, loc))) from None
    top = getattr(model, "id", None) or Path(display).stem
    _label_texts(model, [top], (), document, display)
    return model, document


def load_quiz(path: Path, display: str | None = None) -> QuizFile:
    """Read and check quiz.yml on its own, with the countries of the countries.yml beside it (its
    country question offers them); raise ContentError naming file, line and field."""
    path = Path(path)
    display = display or str(path)
    countries_path = path.parent / COUNTRIES_FILE
    countries_display = str(Path(display).parent / COUNTRIES_FILE)
    if not countries_path.exists():
        raise ContentError([Problem(countries_display, 1, "", "is missing: the quiz's country question offers its countries")])
    countries, _ = parse_file(countries_path, countries_display, ("countries",))
    return _parse_quiz(path, display, countries=countries.countries)[0]


def _parse_quiz(path: Path, display: str, check_rules: bool = True,
                countries: list[Country] | None = None) -> tuple[QuizFile, YamlDocument]:
    """quiz.yml, with its country question and country criteria filled in from `countries`
    (read only, as parse_file's)."""
    listed = None if countries is None else tuple(country.model_dump_json() for country in countries)
    data = path.read_bytes()
    key = (display, data, check_rules, listed)
    return _PARSED_QUIZ.get(key, lambda: _read_quiz(path, display, check_rules, countries, data))


_PARSED_QUIZ: Memo[tuple[QuizFile, YamlDocument]] = Memo(4)


def _read_quiz(path: Path, display: str, check_rules: bool, countries: list[Country] | None,
               data: bytes) -> tuple[QuizFile, YamlDocument]:
    document = load_yaml(path, display, data)
    try:
        quiz = _quiz_file.validate_python(document.data)
    except ValidationError as error:
        raise ContentError(_problems_from(error, document, display, lambda loc: _fields_of(QuizFile, loc))) from None
    _label_texts(quiz, [Path(display).stem], (), document, display)
    problems: list[Problem] = []
    if countries is not None:
        quiz, problems = resolve_countries(quiz, countries, document, display)
    if check_rules and not problems:
        problems = quiz_problems(quiz, document, display)
    if problems:
        raise ContentError(problems)
    return quiz, document


def load_content(root: Path, sources_dir: Path, check_passages: bool = True, earlier: bool = False) -> Content:
    """Read procedures/ (at `root`); raise ContentError listing every problem found.

    With `check_passages=False` a quote missing from its source is not a problem (so that
    `amparo changes` can report it); `passage_problems(content.passages, …)` finds them.
    `earlier=True` reads the content of an earlier revision for comparison: with today's
    models, but without the checks added since (quiz rules, addresses, passages)."""
    check_passages = check_passages and not earlier
    root = Path(root)
    parsed, countries_file, quiz, quiz_doc = _parse_files(root, earlier)
    quiz_name = _display(root, root / QUIZ_FILE)
    by_kind: dict[str, list[tuple[str, Any, YamlDocument]]] = {}
    for name, (model, document) in parsed.items():
        by_kind.setdefault(model.kind, []).append((name, model, document))
    sources_file: SourcesFile = by_kind["sources"][0][1]
    shared: SharedFile = by_kind["shared"][0][1]
    sources = {source.id: source for source in sources_file.sources}
    problems: list[Problem] = []
    source_texts, source_digests = _source_texts(sources_file, by_kind["sources"][0], root, sources_dir, earlier, problems)
    guides = _guides_in_order(by_kind, countries_file)
    shared, resolved, guide_ids = _resolve_guides(guides, shared, by_kind["shared"][0], sources, countries_file, earlier,
                                                  problems)
    glossary: GlossaryFile = by_kind["glossary"][0][1]
    _check_references(by_kind, glossary, sources, shared, resolved, quiz, quiz_doc, quiz_name, earlier, problems)
    reviews_file: ReviewsFile = by_kind["reviews"][0][1]
    reviews = _reviews(reviews_file, by_kind["reviews"][0], guide_ids, problems)
    passages = _passages(parsed, quiz, quiz_doc, quiz_name)
    if check_passages:
        problems.extend(passage_problems(passages, source_texts, sources))

    interface: InterfaceFile = by_kind["interface"][0][1]
    interface_name, _, interface_doc = by_kind["interface"][0]
    if not earlier:
        problems.extend(word_problems(interface, interface_doc, interface_name))
    # One table: the page words and the quiz's, each key once (word_problems checks it).
    words = {**interface.strings, **interface.quiz}
    content = Content(root, sources, shared, resolved, glossary.entries, words, quiz, reviews, source_texts,
                      passages, list(reviews_file.content), list(countries_file.countries),
                      _read_from(parsed, quiz_doc, source_digests, check_passages, earlier))
    if not earlier:
        problems.extend(_check_urls(content))
    if problems:
        raise ContentError(problems)
    return content


def _read_from(parsed: dict[str, tuple[Any, YamlDocument]], quiz_doc: YamlDocument, source_digests: dict[str, str],
               *how: bool) -> str:
    """Content.read_from: each file by its shown name and the digest of its bytes, and the official texts'."""
    files = sorted((name, document.sha256) for name, (_, document) in parsed.items())
    return digest([files, quiz_doc.sha256, sorted(source_digests.items()), how])


def _display(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _parse_files(root: Path, earlier: bool) -> tuple[dict[str, tuple[Any, YamlDocument]], CountriesFile, QuizFile, YamlDocument]:
    """Each file of procedures/ read and checked on its own, by its shown name; raise ContentError
    if any cannot be read."""
    problems: list[Problem] = []
    parsed: dict[str, tuple[Any, YamlDocument]] = {}

    def display(path: Path) -> str:
        return _display(root, path)

    files = [root / name for name in SINGLETONS] + sorted((root / GUIDES_DIR).glob("*.y*ml"))
    for path in files:
        name = display(path)
        singleton = SINGLETONS.get(path.relative_to(root).as_posix())
        if not path.exists():
            if not (earlier and singleton == "countries"):   # revisions from before countries.yml: see below
                problems.append(Problem(name, 1, "", "is missing"))
            continue
        wanted = (singleton,) if singleton else ("procedure", "guidance")
        try:
            model, document = parse_file(path, name, wanted)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if not singleton and model.id != path.stem:
            problems.append(Problem(name, document.line_of(("id",)), "id", f"must equal the file name ('{path.stem}'): it is the page address"))
            continue
        parsed[name] = (model, document)
    countries_file = next((model for model, _ in parsed.values() if model.kind == "countries"), None)
    if countries_file is None and earlier:
        # A revision from before countries.yml: its guides' codes, named by themselves.
        countries_file = _countries_of(model for model, _ in parsed.values())
    quiz_path = root / QUIZ_FILE
    try:
        quiz, quiz_doc = _parse_quiz(quiz_path, display(quiz_path), check_rules=not earlier and countries_file is not None,
                                     countries=countries_file.countries if countries_file is not None else None)
    except ContentError as error:
        problems.extend(error.problems)
    except FileNotFoundError:
        problems.append(Problem(display(quiz_path), 1, "", "is missing"))
    if problems:
        raise ContentError(problems)

    return parsed, countries_file, quiz, quiz_doc


def _source_texts(sources_file: SourcesFile, listed: tuple[str, Any, YamlDocument], root: Path, sources_dir: Path,
                  earlier: bool, problems: list[Problem]) -> tuple[dict[str, str], dict[str, str]]:
    """The official texts, by source id, each as its recorded SHA-256 says it is; and the SHA-256 of each."""
    sources_name, _, sources_doc = listed

    def display(path: Path) -> str:
        return _display(root, path)

    source_texts: dict[str, str] = {}
    digests: dict[str, str] = {}
    for index, source in enumerate(sources_file.sources):
        path = sources_dir / source.file
        if not path.is_file():
            problems.append(Problem(sources_name, sources_doc.line_of(("sources", index, "file")), f"sources[{index}].file",
                                    f"names '{source.file}', which is not in {sources_dir}"))
        else:
            data = path.read_bytes()
            text, bad_line, why = decode_utf8(data)
            if text is None or "\x00" in text:
                problems.append(Problem(display(path), bad_line if text is None else text[: text.index("\x00")].count("\n") + 1,
                                        "", why if text is None else "contains NUL bytes: a source is plain text; save "
                                        "the official text as UTF-8 text (not a PDF or a word processor's file)"))
                continue
            source_texts[source.id] = text
            digests[source.id] = hashlib.sha256(data).hexdigest()
            if not earlier:
                problems.extend(_source_digest_problems(source, index, digests[source.id], display(path), sources_file.sha256,
                                                        sources_name, sources_doc))
    for file in sorted(set(sources_file.sha256) - {source.file for source in sources_file.sources}):
        problems.append(Problem(sources_name, sources_doc.line_of(("sha256", file)), f"sha256.{file}",
                                "names a file that no source uses: remove it, or correct the file name"))

    return source_texts, digests


def _guides_in_order(by_kind: dict, countries_file: CountriesFile) -> list[tuple[str, Any, YamlDocument]]:
    """The guides in the order of countries.yml, then by file name."""
    guides = [(name, model, document) for kind in ("procedure", "guidance") for name, model, document in by_kind.get(kind, [])]
    order = {country.code: index for index, country in enumerate(countries_file.countries)}
    guides.sort(key=lambda item: (order.get(item[1].country, len(order)), item[0]))
    return guides


def _resolve_guides(guides: list[tuple[str, Any, YamlDocument]], shared: SharedFile, shared_file: tuple, sources: dict,
                    countries_file: CountriesFile, earlier: bool,
                    problems: list[Problem]) -> tuple[SharedFile, list[Procedure | Guidance], set[str]]:
    """shared.yml with its shared texts put in, and each guide with the pieces of shared.yml it names
    put in, its references checked."""
    countries = {country.code: country for country in countries_file.countries}
    situations = {situation.id for situation in countries_file.situations}
    shared_name, _, shared_doc = shared_file
    shared_texts = {text.id: text for text in shared.texts}
    shared = _with_shared_texts(shared, shared_texts, shared_name, shared_doc, problems)
    actors = {actor.id for actor in shared.actors}
    shared_steps = {step.id: step for step in shared.steps}
    shared_fees = {fee.id: fee for fee in shared.fees}
    shared_sections = {section.id: section for section in shared.sections}
    for index, step in enumerate(shared.steps):
        if step.actor not in actors:
            problems.append(_dangling(shared_name, shared_doc, ("steps", index, "actor"), step.actor, "actor", actors))

    resolved: list[Procedure | Guidance] = []
    guide_ids: set[str] = set()
    for name, guide, document in guides:
        guide_ids.add(guide.id)
        if guide.source not in sources:
            problems.append(_dangling(name, document, ("source",), guide.source, "source", sources))
        if guide.country not in countries:
            problems.append(_not_listed(name, document, ("country",), guide.country, "country", countries))
        for index, situation in enumerate(getattr(guide, "situations", [])):
            if situation not in situations and not earlier:
                problems.append(_not_listed(name, document, ("situations", index), situation, "situation", situations))
        if isinstance(guide, Guidance):
            resolved.append(guide)
            continue
        for index, step in enumerate(guide.steps):
            if not isinstance(step, SharedRef) and step.actor not in actors:
                problems.append(_dangling(name, document, ("steps", index, "actor"), step.actor, "actor", actors))
        steps = _with_shared(guide.steps, shared_steps, "shared step", name, document, "steps", problems)
        if len({step.id for step in steps}) != len(steps):
            problems.append(Problem(name, document.line_of(("steps",)), "steps", "uses the same step id twice (a shared step may clash with one written here)"))
        fee = guide.fee
        if isinstance(fee, SharedRef):
            if fee.shared not in shared_fees:
                problems.append(_dangling(name, document, ("fee", "shared"), fee.shared, "shared fee", shared_fees))
            fee = shared_fees.get(fee.shared)
        notes = _with_shared(guide.notes, shared_sections, "shared section", name, document, "notes", problems)
        guide = guide.model_copy(update={"steps": steps, "fee": fee, "notes": notes})
        resolved.append(_with_shared_texts(guide, shared_texts, name, document, problems))
    return shared, resolved, guide_ids


def _with_shared(items: list, pieces: dict, what: str, name: str, document: YamlDocument, field: str,
                 problems: list[Problem]) -> list:
    """`items` with each `{shared: <id>}` replaced by that piece of shared.yml: one that does not
    exist is a problem, and left out."""
    found = []
    for index, item in enumerate(items):
        if isinstance(item, SharedRef):
            if item.shared not in pieces:
                problems.append(_dangling(name, document, (field, index, "shared"), item.shared, what, pieces))
                continue
            item = pieces[item.shared]
        found.append(item)
    return found


def _check_references(by_kind: dict, glossary: GlossaryFile, sources: dict, shared: SharedFile,
                      resolved: list[Procedure | Guidance], quiz: QuizFile, quiz_doc: YamlDocument, quiz_name: str,
                      earlier: bool, problems: list[Problem]) -> None:
    """The glossary's sources, the quiz's procedures, deadlines and country criteria."""
    glossary_name, _, glossary_doc = by_kind["glossary"][0]
    for index, entry in enumerate(glossary.entries):
        for position, source_id in enumerate(entry.sources):
            if source_id not in sources:
                problems.append(_dangling(glossary_name, glossary_doc, ("entries", index, "sources", position), source_id, "source", sources))

    procedure_ids = {guide.id for guide in resolved if isinstance(guide, Procedure)}
    for index, rules in enumerate(quiz.procedures):
        if rules.id not in procedure_ids:
            problems.append(_dangling(quiz_name, quiz_doc, ("procedures", index, "id"), rules.id, "procedure", procedure_ids))
    problems.extend(deadline_fact_problems(quiz, time_limit_facts(shared, resolved), quiz_doc, quiz_name))
    if not earlier:
        guide_countries = {guide.id: guide.country for guide in resolved}
        problems.extend(country_criterion_problems(quiz, guide_countries, quiz_doc, quiz_name))


def _reviews(reviews_file: ReviewsFile, listed: tuple, guide_ids: set[str], problems: list[Problem]) -> dict[str, Review]:
    """language → its review; a content review of a guide that does not exist is a problem."""
    reviews = {review.language: review for review in reviews_file.reviews}
    reviews_name, _, reviews_doc = listed
    for index, review in enumerate(reviews_file.content):
        if review.guide not in guide_ids:
            problems.append(_dangling(reviews_name, reviews_doc, ("content", index, "guide"), review.guide, "guide", guide_ids))
    return reviews


def _passages(parsed: dict, quiz: QuizFile, quiz_doc: YamlDocument, quiz_name: str) -> list[PassageUse]:
    """Every passage of the sources that the guides, shared.yml and quiz.yml quote."""
    passages: list[PassageUse] = []
    for name, (model, document) in parsed.items():
        if model.kind in ("procedure", "guidance"):
            passages += collect(model, document, name, model.source, model.id)
        elif model.kind == "shared":
            passages += collect(model, document, name, None, Path(name).stem)
    passages += collect(quiz, quiz_doc, quiz_name, None, Path(quiz_name).stem)
    return passages


def _with_shared_texts(value: Any, texts: dict[str, SharedText], name: str, document: YamlDocument,
                       problems: list[Problem], location: tuple = ()) -> Any:
    """A copy of `value` with each text written `shared: <id>` replaced by that text of shared.yml
    (the same Text, so it is translated once). Run after shared steps, fees and notes are put in."""
    if isinstance(value, SharedRef):
        if value.shared not in texts:
            problems.append(_dangling(name, document, location + ("shared",), value.shared, "shared text", texts))
            return value
        return texts[value.shared].text
    if isinstance(value, BaseModel):
        return value.model_copy(update={field: _with_shared_texts(getattr(value, field), texts, name, document, problems,
                                                                  location + (field,))
                                        for field in type(value).model_fields})
    if isinstance(value, list):
        return [_with_shared_texts(item, texts, name, document, problems, location + (index,)) for index, item in enumerate(value)]
    return value


def _countries_of(models) -> CountriesFile:
    """The countries of a revision without countries.yml: its guides' codes, each named by its code."""
    codes = list(dict.fromkeys(model.country for model in models if model.kind in ("procedure", "guidance")))
    countries = []
    for code in codes:
        words = {name: Text(code) for name in ("name", "in_country", "quiz_label")}
        countries.append(Country.model_construct(code=code, quiz_answer=code.lower(), **words))
    return CountriesFile.model_construct(kind="countries", countries=countries, situations=[])


def _source_digest_problems(source: Source, index: int, actual: str, shown: str, recorded: dict[str, str], name: str,
                            document: YamlDocument) -> list[Problem]:
    """The official text must be the one recorded (`actual`: its file's SHA-256): a copy changed by
    accident, or replaced without checking the guides against it, fails here, on every clone."""
    if source.file not in recorded:
        return [Problem(name, document.line_of(("sources", index, "file")), f"sha256.{source.file}",
                        f"is missing: record the SHA-256 of {shown} under sha256 at the end of the file "
                        f"({source.file}: {actual}), so that a changed copy of the official text is found")]
    if recorded[source.file] != actual:
        return [Problem(name, document.line_of(("sha256", source.file)), f"sha256.{source.file}",
                        f"does not match {shown}, whose SHA-256 is {actual}: the file is not the official text that "
                        "was recorded. If the official text changed, check the guides against it (`amparo changes main`), "
                        "then record its new SHA-256 here")]
    return []


def _not_listed(name: str, document: YamlDocument, location: tuple, value: str, what: str, known) -> Problem:
    """A country or situation that countries.yml does not declare: the editor adds it there."""
    guess = closest(value, known)
    hint = f"did you mean '{guess}'? " if guess else ""
    return Problem(name, document.line_of(location), dotted(location),
                   f"is '{value}', which is not a {what} of {COUNTRIES_FILE} ({hint}known: {', '.join(known) or 'none'}): "
                   f"add the {what} to {COUNTRIES_FILE}, or use one it lists")


def _dangling(name: str, document: YamlDocument, location: tuple, value: str, what: str, known) -> Problem:
    hint = unknown_hint(value, sorted(known))
    return Problem(name, document.line_of(location), dotted(location), f"refers to {what} '{value}', which does not exist{hint}")


def _check_urls(content: Content) -> list[Problem]:
    """An address may only appear if an official source gives it: we never invent one."""
    problems = []
    all_sources = "\n".join(content.source_texts.values())
    for text in content.texts():
        for url in _URL.findall(text):
            if url not in all_sources:
                file, line = text.origin or ("?", 1)
                problems.append(Problem(file, line, text.context.split(".", 1)[-1],
                                        f"gives the address {url}, which no source contains: link only to addresses the sources give"))
    return problems


def find_urls(text: str) -> list[str]:
    return _URL.findall(text)


# An address with a scheme (https:, mailto:, data:…) or a host of its own (//host): not the site's.
_ELSEWHERE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//")


def on_another_host(address: str) -> bool:
    """Whether following or loading `address` leaves the site."""
    return bool(_ELSEWHERE.match(address))

"""`amparo changes BASE`: what a pull request changes for readers, in words a reviewer can check.

Reviewers are lawyers and NGO staff who read Spanish and know the law, not YAML. The report
compares the content at a git revision with the working tree and says, in Spanish with English
headings: which texts of each guide were added, removed or changed (old → new, with the passage
of the source each comes from); which situations in the quiz now get another result, as the
reader's answers in words, grouped into a few rules, and which of them now read another next
step, another «you decide», other deadlines or other notes; which deadlines changed; which
translations became outdated or missing; which sources changed or are past their age limit,
and which texts cite a passage that is no longer in its changed source.
"""

from __future__ import annotations

import difflib
import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from quiz.engine import NOT_APPLICABLE
from quiz.enumerate import state_graph

from ..content.errors import ContentError
from ..content.interface_words import STATUS_WORDS
from ..content.loader import Content, iter_texts, load_content
from ..content.models import SOURCE_LANGUAGE, Passage, Procedure, Text, TimeLimit
from ..content.passages import PassageUse, normalised, quoted_text
from ..content.quiz_models import QuizFile
from ..i18n.catalogs import LanguageStatus, Localizer, Translations
from ..i18n.handwritten_pages import page_translations, reader_text, spanish_pages, translation_file
from ..i18n.numbers import numbers_in, sort_key, written_numbers
from ..i18n.term_base import TERMS_FILE, TermBase
from ..render.markdown_pages import Words, duration_words, month_year
from ..render.quiz_flow import build_flow
from ..render.quiz_pages import QuizWalk

# Heading words of guide fields, as the guide pages show them (interface.yml keys).
_FIELD_WORDS = {
    "title": "title", "official_name": "official-name", "summary": "summary", "who_for": "who-for",
    "who_files": "who-files", "legal_basis": "legal-basis", "steps": "steps", "documents": "documents",
    "where_to_apply": "where", "fee": "fee", "permit": "permit", "refusal": "refusal", "family": "family",
    "assisted_return": "assisted-return",
}
LOST_PASSAGES = "Textos cuyo pasaje ya no está en su fuente / Texts whose passage is no longer in its source"
READ_FIRST = "Traducciones: números y términos, para leer primero / Translations: numbers and terms, to read first"
_LISTED = 12   # items shown in full before the rest go into a collapsed list


class ChangesError(Exception):
    """The report cannot be made (an unknown revision, content that cannot be read)."""


def md(text: Any) -> str:
    """Content in the report: no HTML, no Markdown it did not mean."""
    return re.sub(r"([\\`*_\[\]|<>])", r"\\\1", " ".join(str(text).split()))


def quoted(text: Any) -> str:
    return f"«{md(text)}»"


# --- reading the two versions ------------------------------------------------------------------


@dataclass
class Version:
    """The content at one revision, with its translation status per language."""

    name: str
    content: Content
    translations: dict[str, LanguageStatus] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)                 # hand-written Spanish page → its text
    page_states: dict[tuple[str, str], str] = field(default_factory=dict)   # (page, language) → current | outdated | missing
    # language → context → (its Spanish, its current translation, the PO file's line)
    catalogs: dict[str, dict[str, tuple[str, str, int]]] = field(default_factory=dict)
    translated_pages: dict[tuple[str, str], str] = field(default_factory=dict)   # (page, language) → its text
    terms: TermBase = field(default_factory=TermBase)
    terms_text: str = ""                                                  # locale/terms.yml as written


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True)


def extract_revision(root: Path, revision: str, folders: list[Path], target: Path) -> None:
    """The folders (inside the repository at `root`) as they were at `revision`, into `target`."""
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode != 0:
        raise ChangesError(f"'{revision}' is not a commit of the repository at {root}: "
                           "give a branch, tag or commit (e.g. main or origin/main)")
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.decode().strip()).resolve()
    commit = found.stdout.decode().strip()
    paths = sorted({folder.resolve().relative_to(top).as_posix() for folder in folders})
    # A folder the revision does not have yet is an empty one.
    paths = [path for path in paths if _git(top, "cat-file", "-e", f"{commit}:{path}").returncode == 0]
    if paths:
        archive = _git(top, "archive", "--format=tar", commit, "--", *paths)
        if archive.returncode != 0:
            raise ChangesError(f"git archive {revision} failed: {archive.stderr.decode().strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter="data")
    for folder in folders:
        (target / folder.resolve().relative_to(top)).mkdir(parents=True, exist_ok=True)


def read_version(name: str, content_dir: Path, sources_dir: Path, languages: list[str], earlier: bool,
                 docs_dir: Path | None = None) -> Version:
    try:
        content = load_content(content_dir, sources_dir, check_passages=False, earlier=earlier)
    except ContentError as error:
        raise ChangesError(f"the content of {name} cannot be read:\n{error.report()}") from None
    version = Version(name, content)
    spanish = {text.context: str(text) for text in content.texts()}
    for language in languages:
        translations = Translations.load(content_dir, language)
        localizer = Localizer(translations, content_dir)
        for text in content.texts():
            localizer(text)
        version.translations[language] = localizer.status
        version.catalogs[language] = {context: (source, translated, translations.lines.get((context, source), 1))
                                      for (context, source), translated in translations.messages.items()
                                      if spanish.get(context) == source}
    terms_file = content_dir / "locale" / TERMS_FILE
    if terms_file.exists():
        version.terms_text = terms_file.read_text(encoding="utf-8", errors="replace")
        try:
            version.terms = TermBase.load(content_dir, [SOURCE_LANGUAGE, *languages])
        except ContentError:
            pass   # a broken term base is the check's to report; here it only names terms
    if docs_dir is not None and docs_dir.is_dir():
        # Generated pages are stubs (skipped by their marker) or, in a revision, not committed.
        every_language = [SOURCE_LANGUAGE, *languages]
        for page in spanish_pages(docs_dir, set(), every_language):
            version.pages[page] = (docs_dir / page).read_text(encoding="utf-8")
        for translation in page_translations(docs_dir, set(), every_language):
            version.page_states[(translation.source, translation.language)] = translation.state
            if translation.state != "missing":
                version.translated_pages[(translation.source, translation.language)] = \
                    (docs_dir / translation.file).read_text(encoding="utf-8", errors="replace")
    return version


# --- the report ----------------------------------------------------------------------------------


def report(project, base: str, to: str | None = None) -> str:
    """The Markdown report: content at `base` (a git revision) → the working tree (or revision `to`)."""
    repo_top = Path(_git(project.root, "rev-parse", "--show-toplevel").stdout.decode().strip() or project.root).resolve()
    folders = [project.content_dir, project.sources_dir, project.docs_dir]

    def inside(folder: Path, path: Path) -> Path:
        return folder / path.resolve().relative_to(repo_top)

    def at(revision: str, folder: Path) -> Version:
        extract_revision(project.root, revision, folders, folder)
        return read_version(revision, inside(folder, project.content_dir), inside(folder, project.sources_dir),
                            project.translated_languages, earlier=True, docs_dir=inside(folder, project.docs_dir))

    with tempfile.TemporaryDirectory(prefix="amparo-changes-") as folder:
        old = at(base, Path(folder) / "base")
        if to is None:
            new = read_version("the working tree", project.content_dir, project.sources_dir,
                               project.translated_languages, earlier=False, docs_dir=project.docs_dir)
        else:
            new = at(to, Path(folder) / "to")
    return compare(old, new, base, project, to)


def compare(old: Version, new: Version, base: str, project, to: str | None = None) -> str:
    words = Words(new.content.interface)
    sections = [
        ("Guías / Guides", _guides(old.content, new.content, words)),
        ("Cuestionario: resultados / Quiz results", _quiz_results(old.content, new.content)),
        ("Cuestionario: textos / Quiz texts", _texts_section(old.content, new.content, "quiz", skip="quiz.deadlines.")),
        ("Plazos / Deadlines", _deadlines(old.content, new.content, words)),
        ("Páginas escritas a mano / Hand-written pages", _pages(old, new)),
        ("Países / Countries", _texts_section(old.content, new.content, "countries")),
        ("Glosario y palabras de las páginas / Glossary and page words",
         _texts_section(old.content, new.content, "glossary") + _texts_section(old.content, new.content, "interface")),
        (READ_FIRST, _translator_report(old, new, project)),
        ("Traducciones / Translations", _translations(old, new, project)),
        ("Fuentes / Sources", _sources(old.content, new.content, project)),
        (LOST_PASSAGES, _lost_passages(old.content, new.content)),
        ("Revisiones con la fuente / Checks against the source", _reviews(old.content, new.content)),
        ("Pasajes citados / Quoted passages", _passages(old.content, new.content)),
    ]
    sections = [(title, lines) for title, lines in sections if lines]
    stale = _stale_sources(new.content, project)
    if sections and stale:
        # Not something this change did, but a reviewer should know what the facts rest on.
        found = dict(sections)
        if "Fuentes / Sources" in found:
            found["Fuentes / Sources"] += stale
        else:
            sections.insert(next((i for i, (title, _) in enumerate(sections) if title == LOST_PASSAGES), len(sections)),
                            ("Fuentes / Sources", stale))
            found = dict(sections)
        sections = list(found.items())
    if not sections:
        if to:
            return f"Ningún cambio para los lectores entre `{base}` y `{to}` / No change for readers between `{base}` and `{to}`.\n"
        return f"Ningún cambio para los lectores respecto a `{base}` / No change for readers compared with `{base}`.\n"
    against = f"`{to}`" if to else "este cambio / this change"
    out = ["# Cambios para los lectores / Changes for readers", "",
           f"Contenido en `{base}` → {against} / content at `{base}` → {against}.", ""]
    for title, lines in sections:
        out += [f"## {title}", "", *lines, ""]
    return "\n".join(out).rstrip() + "\n"


# --- texts ---------------------------------------------------------------------------------------


def _placed(value: Any, path: str) -> dict[str, Text]:
    """A guide's texts by their place in it (a path of ids), not by their message context: a text
    moved into shared.yml (or back) is in the same place, saying the same, so no change for readers."""
    if isinstance(value, Text):
        return {path: value}
    placed: dict[str, Text] = {}
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            placed.update(_placed(getattr(value, name), f"{path}.{name}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            placed.update(_placed(item, f"{path}.{getattr(item, 'id', None) or index}"))
    return placed


def _where(text: Text) -> str:
    return f"{text.origin[0]}:{text.origin[1]}" if text.origin else ""


def _label(context: str, words: Words | None) -> str:
    parts = context.split(".")[1:]
    heading = ""
    if words is not None and parts and parts[0] in _FIELD_WORDS:
        try:
            heading = f"**{md(words(_FIELD_WORDS[parts[0]]))}** · "
        except KeyError:
            heading = ""
    return f"{heading}`{'.'.join(parts)}`"


def _source_of(context: str, content: Content, source_id: str | None) -> str:
    """The passages a text comes from: those of the nearest part that has them."""
    owner = context
    uses: list[PassageUse] = []
    while owner and not uses:
        uses = [use for use in content.passages if use.owner == owner]
        owner = owner.rpartition(".")[0]
    if source_id is not None:
        uses = [use for use in uses if use.source == source_id] or uses
    if not uses:
        if source_id in content.sources:
            return f"Fuente / Source: {md(content.sources[source_id].title)} — sin pasaje citado / no passage quoted"
        return ""
    described = []
    for use in uses:
        source = content.sources.get(use.source)
        name = md(source.title) if source else f"`{use.source}`"
        where = f"líneas / lines {use.passage.lines}" if use.passage.lines else ""
        quote = quoted(use.passage.quote) if use.passage.quote else ""
        described.append(f"{name}: {' '.join(part for part in (where, quote) if part)}")
    return "Fuente / Source: " + "; ".join(described)


def _aligned(old: dict[str, Text], new: dict[str, Text]) -> list[tuple[str | None, str | None]]:
    """(old context, new context) pairs. Texts of a list (…details.0, …details.1) are matched
    by their words, so removing the first one reads as one removal, not as every one changed."""
    def split(context: str) -> tuple[str, int | None]:
        parent, _, last = context.rpartition(".")
        return (parent, int(last)) if last.isdigit() else (context, None)

    lists_old: dict[str, list[str]] = {}
    lists_new: dict[str, list[str]] = {}
    pairs: list[tuple[str | None, str | None]] = []
    for texts, lists in ((old, lists_old), (new, lists_new)):
        for context in texts:
            parent, index = split(context)
            if index is not None:
                lists.setdefault(parent, []).append(context)
    for context in new:
        if split(context)[1] is None:
            pairs.append((context if context in old else None, context))
    for context in old:
        if split(context)[1] is None and context not in new:
            pairs.append((context, None))
    for parent in list(lists_new) + [p for p in lists_old if p not in lists_new]:
        before, after = lists_old.get(parent, []), lists_new.get(parent, [])
        matcher = difflib.SequenceMatcher(a=[str(old[c]) for c in before], b=[str(new[c]) for c in after], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            olds, news = before[i1:i2], after[j1:j2]
            for index in range(max(len(olds), len(news))):
                pairs.append((olds[index] if index < len(olds) else None, news[index] if index < len(news) else None))
    return pairs


def _text_changes(old: dict[str, Text], new: dict[str, Text], content_new: Content,
                  words: Words | None, source_id: str | None) -> list[str]:
    changed, added, removed = [], [], []
    for before, after in _aligned(old, new):
        if before is not None and after is not None:
            if str(old[before]) == str(new[after]):
                continue
            changed += [f"- **Cambiado / Changed** — {_label(after, words)} ({_where(new[after])})",
                        f"  - Antes / Before: {quoted(old[before])}",
                        f"  - Ahora / Now: {quoted(new[after])}"]
            source = _source_of(new[after].context, content_new, source_id)
            if source:
                changed.append(f"  - {source}")
        elif after is not None:
            added.append(f"- **Añadido / Added** — {_label(after, words)} ({_where(new[after])}): {quoted(new[after])}")
            source = _source_of(new[after].context, content_new, source_id)
            if source:
                added.append(f"  - {source}")
        elif before is not None:
            removed.append(f"- **Quitado / Removed** — {_label(before, words)}: {quoted(old[before])}")
    return changed + added + removed


def _guides(old: Content, new: Content, words: Words) -> list[str]:
    lines = []
    old_guides = {guide.id: guide for guide in old.guides}
    new_guides = {guide.id: guide for guide in new.guides}
    for guide_id, guide in new_guides.items():
        before = old_guides.get(guide_id)
        heading = f"### {md(guide.title)} (`{guide_id}`)"
        if before is None:
            count = len(list(iter_texts(guide)))
            lines += [heading, "", f"Guía nueva / New guide: {count} textos / texts, página / page `guias/{guide_id}/`.", ""]
            continue
        changes = _text_changes(_placed(before, guide_id), _placed(guide, guide_id), new, words, guide.source)
        changes += _field_changes(before, guide)
        if changes:
            lines += [heading, "", *changes, ""]
    for guide_id, guide in old_guides.items():
        if guide_id not in new_guides:
            lines += [f"### {md(guide.title)} (`{guide_id}`)", "",
                      f"Guía quitada / Guide removed: la página `guias/{guide_id}/` deja de existir / no longer exists.", ""]
    return lines


def _values(value: Any, path: str) -> dict[str, Any]:
    """Values that are not texts (ids, codes, kinds), by path; time limits are in Deadlines."""
    found: dict[str, Any] = {}
    if isinstance(value, (Text, Passage, TimeLimit)):
        return found
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("passages", "id"):
                found.update(_values(getattr(value, name), f"{path}.{name}" if path else name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            key = getattr(item, "id", None) or str(index)
            found.update(_values(item, f"{path}.{key}"))
    elif value is not None:
        found[path] = value
    return found


def _field_changes(before, after) -> list[str]:
    old, new = _values(before, ""), _values(after, "")
    lines = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path):
            lines.append(f"- **Dato cambiado / Value changed** — `{path}`: `{old.get(path, '—')}` → `{new.get(path, '—')}`")
    return lines


def _texts_section(old: Content, new: Content, group: str, skip: str | None = None) -> list[str]:
    def texts(content: Content) -> dict[str, Text]:
        return {text.context: text for text in content.texts()
                if text.context.split(".")[0] == group and not (skip and text.context.startswith(skip))}

    return _text_changes(texts(old), texts(new), new, None, None)


# --- the quiz ------------------------------------------------------------------------------------


def _flow(quiz: QuizFile) -> dict:
    return build_flow(quiz)


class _Walk:
    """A flow's states, walked once (the build's walk, QuizWalk.shared: a report's base is mostly
    the last one's): the report asks, for every situation, what each flow finishes with from there,
    four times."""

    def __init__(self, flow: dict):
        self.flow = flow
        self.states = QuizWalk.shared(flow).states
        self.numbers = {_state_key(state["answers"]): number for number, state in enumerate(self.states)}

    def paths(self) -> list[dict]:
        """The answers of every complete path, in flow order (quiz.enumerate.enumerate_paths')."""
        return [dict(state["answers"]) for state in self.states if state["result"]["next"] is None]

    def finished(self, answers: dict) -> list[dict]:
        """The result of every complete path that starts with `answers` (those the flow still accepts)."""
        start = self.numbers.get(_state_key(answers))
        if start is None:   # answers the flow never reaches: walked from there
            return [state["result"] for state in state_graph(self.flow, answers) if state["result"]["next"] is None]
        # The states reachable from `start` are those a walk from `answers` would find again.
        reached, waiting = {start}, [start]
        while waiting:
            for number in self.states[waiting.pop()]["next"].values():
                if number not in reached:
                    reached.add(number)
                    waiting.append(number)
        return [self.states[number]["result"] for number in sorted(reached) if self.states[number]["result"]["next"] is None]


def _state_key(answers: dict) -> tuple:
    return tuple(sorted(answers.items()))


def _states(walk: _Walk, answers: dict) -> dict[str, set]:
    """Procedure → the results (status, conditions) a reader with these answers can get."""
    states: dict[str, set] = {}
    for result in walk.finished(answers):
        for outcome in result["outcomes"]:
            states.setdefault(outcome["procedure"], set()).add((outcome["status"], tuple(outcome["conditions"])))
    return states


# What a reader reads beside a permit's status, each aspect with its heading in the report.
_READING = {"first_step": "El siguiente paso / Next step", "you_decide": "Lo que decide / What she decides",
            "deadlines": "Tus plazos / Deadlines listed", "notes": "Notas del resultado / Result notes"}


def _reading(walk: _Walk, answers: dict) -> dict[str, dict[str, set]]:
    """Procedure → aspect → what a reader with these answers can read there, for each permit that
    may apply; the result's notes and silences under the procedure "" (aspect `notes`)."""
    found: dict[str, dict[str, set]] = {}
    for result in walk.finished(answers):
        for outcome in result["outcomes"]:
            if outcome["status"] == NOT_APPLICABLE:
                continue
            aspects = found.setdefault(outcome["procedure"], {})
            aspects.setdefault("first_step", set()).add((outcome["first_step"],) if outcome["first_step"] else ())
            aspects.setdefault("you_decide", set()).add((outcome["you_decide"],) if outcome["you_decide"] else ())
            aspects.setdefault("deadlines", set()).add(tuple(limit["label"] for limit in outcome["deadlines"]))
        notes = tuple(note["text"] for note in [*result.get("notes", ()), *result.get("silences", ())])
        found.setdefault("", {}).setdefault("notes", set()).add(notes)
    return found


def _answer_words(flows: list[dict]):
    """(question, value) → the answer as the reader read it."""
    labels: dict[str, set] = {}
    for flow in flows:
        for question in flow["questions"]:
            for option in question["options"]:
                labels.setdefault(option["label"], set()).add(question["id"])
    phrases: dict[tuple[str, str], str] = {}
    order: dict[str, int] = {}
    for flow in reversed(flows):
        for index, question in enumerate(flow["questions"]):
            order.setdefault(question["id"], index)
            for option in question["options"]:
                # "Sí" means nothing alone: the question goes with an answer several questions share.
                if len(labels[option["label"]]) > 1:
                    phrases[(question["id"], option["value"])] = f"{quoted(question['text'])} {md(option['label'])}"
                else:
                    phrases[(question["id"], option["value"])] = md(option["label"])
    return phrases, order


def _rules(group: list[dict], universe: list[dict], order: dict[str, int]) -> list[dict]:
    """A few answer patterns that cover exactly `group` among `universe`: split on the question
    that tells the group from the other situations best (fewest answers in the group, most
    others left out), in flow order among equals."""
    common = dict(set.intersection(*(set(path.items()) for path in group)))
    matching = [path for path in universe if common.items() <= path.items()]
    if all(path in group for path in matching):
        return [common]
    outside = [path for path in matching if path not in group]
    candidates = []
    for question in sorted({q for path in group for q in path}, key=lambda q: order.get(q, 99)):
        values = []
        for path in group:
            if path.get(question) not in values:
                values.append(path.get(question))
        if len(values) > 1:
            left_out = sum(1 for path in outside if path.get(question) not in values)
            candidates.append((left_out == 0, len(values), -left_out, order.get(question, 99), question, values))
    if not candidates:
        return [common]
    *_, question, values = min(candidates)
    rules = []
    for value in values:
        rules += _rules([path for path in group if path.get(question) == value], universe, order)
    return rules


def _quiz_results(old: Content, new: Content) -> list[str]:
    old_flow, new_flow = _flow(old.quiz), _flow(new.quiz)
    old_walk, new_walk = _Walk(old_flow), _Walk(new_flow)
    universe = _situations(old_walk, new_walk)
    groups = _status_changes(old_walk, new_walk, universe)
    readings = _reading_changes(old_walk, new_walk, universe)
    if not groups and not readings:
        return []
    writer = _ResultChanges(old, new, old_flow, new_flow, universe)
    situations = {tuple(sorted(path.items())) for paths in groups.values() for path, _, _ in paths}
    situations |= {tuple(sorted(path.items())) for paths in readings.values() for path in paths}
    lines = [f"{len(situations)} de {len(universe)} situaciones cambian de resultado / of {len(universe)} situations "
             "change their result (una situación: todas las respuestas de una persona / a situation: one reader's answers).",
             ""]
    for key, items in groups.items():
        lines += writer.status_change(key, items)
    ordered = sorted(readings.items(), key=lambda item: (item[0][0] == "", list(_READING).index(item[0][1])))
    for key, paths in ordered:
        lines += writer.reading_change(key, paths)
    return lines


def _situations(old: _Walk, new: _Walk) -> list[dict]:
    """Every situation a reader can be in now, and those of before that no longer exist (an answer
    removed); one that the quiz now continues is already there, as the longer paths."""
    universe = new.paths()
    for path in old.paths():
        if not any(path.items() <= other.items() for other in universe):
            universe.append(path)
    return universe


def _status_changes(old: _Walk, new: _Walk, universe: list[dict]) -> dict[tuple, list[tuple[dict, set, set]]]:
    """(procedure, statuses before, statuses after) → [(answers, results before, results after)]."""
    groups: dict[tuple, list[tuple[dict, set, set]]] = {}
    for path in universe:
        before, after = _states(old, path), _states(new, path)
        for procedure in list(after) + [p for p in before if p not in after]:
            old_states, new_states = before.get(procedure, set()), after.get(procedure, set())
            if old_states != new_states:
                key = (procedure, tuple(sorted({s for s, _ in old_states})), tuple(sorted({s for s, _ in new_states})))
                groups.setdefault(key, []).append((path, old_states, new_states))
    return groups


def _reading_changes(old: _Walk, new: _Walk, universe: list[dict]) -> dict[tuple, list[dict]]:
    """(procedure, aspect, what was read, what is read) → answers: the permits that may apply both
    before and after (a permit that appears or goes is in the status groups)."""
    readings: dict[tuple, list[dict]] = {}
    for path in universe:
        before, after = _reading(old, path), _reading(new, path)
        for procedure in after:
            for aspect, now in after[procedure].items():
                then = before.get(procedure, {}).get(aspect)
                if aspect == "notes":
                    # Each note on its own: where it is now said, or no longer.
                    for text in sorted({text for said in [*now, *(then or ())] for text in said}):
                        was, is_ = any(text in said for said in then or ()), any(text in said for said in now)
                        if was != is_:
                            key = (procedure, aspect, ((text,),) if was else ((),), ((text,),) if is_ else ((),))
                            readings.setdefault(key, []).append(path)
                elif then and now != then:
                    readings.setdefault((procedure, aspect, tuple(sorted(then)), tuple(sorted(now))), []).append(path)
    return readings


class _ResultChanges:
    """The report's words for a change of results: its title, its rules of answers, before and now."""

    def __init__(self, old: Content, new: Content, old_flow: dict, new_flow: dict, universe: list[dict]):
        self.strings = {key: str(value) for key, value in new.interface.items()}
        self.phrases, self.order = _answer_words([new_flow, old_flow])
        self.titles = {guide.id: guide.title for guide in [*old.guides, *new.guides]}
        self.universe = universe
        self.missing_word = md(self.strings.get("conditions", "Lo que falta"))

    def status_words(self, statuses: tuple) -> str:
        return " o / or ".join(f"**{md(self.strings.get(STATUS_WORDS[s], s))}**" for s in statuses)

    def rule_lines(self, paths: list[dict]) -> list[str]:
        rules = _rules(paths, self.universe, self.order)
        lines = [f"{len(paths)} situaciones / situations, en {len(rules)} regla(s) / in {len(rules)} rule(s): "
                 "con estas respuestas, sean cuales sean las demás / with these answers, whatever the others:", ""]
        for rule in rules:
            answers = sorted(rule.items(), key=lambda item: self.order.get(item[0], 99))
            said = " · ".join(self.phrases.get(item, f"`{item[0]}` = `{item[1]}`") for item in answers)
            lines.append(f"- {said or 'cualquier respuesta / any answers'}")
        return lines + [""]

    def status_change(self, key: tuple, items: list[tuple[dict, set, set]]) -> list[str]:
        procedure, old_statuses, new_statuses = key
        title = f"{md(self.titles[procedure])} (`{procedure}`)" if procedure in self.titles else f"`{procedure}`"
        if old_statuses == new_statuses:
            change = f"{self.status_words(new_statuses)}: cambia lo que falta / what is missing changes"
        else:
            change = f"{self.status_words(old_statuses) or '— (no estaba / not there)'} → " \
                     f"{self.status_words(new_statuses) or '— (quitado / removed)'}"
        lines = [f"### {title}: {change}", ""]
        lines += self.rule_lines([path for path, _, _ in items])
        conditions_before = _conditions(state for _, states, _ in items for state in states)
        conditions_after = _conditions(state for _, _, states in items for state in states)
        gone = [c for c in conditions_before if c not in conditions_after]
        came = [c for c in conditions_after if c not in conditions_before]
        if gone:
            lines += [f"{self.missing_word}, ya no / no longer: {'; '.join(quoted(c) for c in gone)}", ""]
        if came:
            lines += [f"{self.missing_word}, ahora / now: {'; '.join(quoted(c) for c in came)}", ""]
        return lines

    def reading_change(self, key: tuple, paths: list[dict]) -> list[str]:
        procedure, aspect, then, now = key
        title = f"{md(self.titles[procedure])} (`{procedure}`)" if procedure in self.titles else "Resultado / Result"
        return [f"### {title}: {_READING[aspect]}", "", *self.rule_lines(paths),
                f"Antes / Before: {_read(then)}", "", f"Ahora / Now: {_read(now)}", ""]


def _read(values: tuple) -> str:
    """What one or several situations read: each variant in quotes, «—» for nothing."""
    return " o / or ".join("; ".join(quoted(text) for text in value) or "— (nada / nothing)" for value in values)


def _conditions(states) -> list[str]:
    found: list[str] = []
    for status, conditions in states:
        for condition in conditions:
            if condition not in found:
                found.append(condition)
    return found


# --- deadlines -----------------------------------------------------------------------------------


def _limits(content: Content) -> dict[tuple[str, str], TimeLimit]:
    found = {}
    for guide in content.guides:
        if not isinstance(guide, Procedure):
            continue
        for step in guide.steps:
            if step.time_limit is not None:
                found[(guide.id, f"steps.{step.id}")] = step.time_limit
        if guide.fee is not None and guide.fee.time_limit is not None:   # a free fee has none
            found[(guide.id, f"fee.{guide.fee.id}")] = guide.fee.time_limit
    return found


def _duration(words: Words, limit: TimeLimit) -> str:
    try:
        return duration_words(words, limit)
    except KeyError:   # an earlier revision's page words may lack one
        return f"{limit.bound} {limit.amount} {limit.unit}"


def _paired(before: dict, after: dict):
    """(key, its value before or None, after or None) for every key, the new ones' order first,
    then those removed."""
    for key in [*after, *(key for key in before if key not in after)]:
        yield key, before.get(key), after.get(key)


def _deadlines(old: Content, new: Content, words: Words) -> list[str]:
    lines = []
    old_words = Words(old.interface)
    before, after = _limits(old), _limits(new)
    for key, a, b in _paired(before, after):
        if a is not None and b is not None and (a.bound, a.amount, a.unit, str(a.counted_from or "")) == \
                (b.bound, b.amount, b.unit, str(b.counted_from or "")):
            continue
        guide, where = key
        old_words_text = quoted(_duration(old_words, a)) if a else "— (no había / none)"
        new_words_text = quoted(_duration(words, b)) if b else "— (quitado / removed)"
        lines.append(f"- `{guide}` · `{where}`: {old_words_text} → {new_words_text}")
        if a and b and str(a.counted_from or "") != str(b.counted_from or ""):
            lines.append(f"  - Se cuenta desde / Counted from: {quoted(a.counted_from or '—')} → {quoted(b.counted_from or '—')}")
    old_rules = {limit.id: limit for limit in old.quiz.deadlines}
    new_rules = {limit.id: limit for limit in new.quiz.deadlines}
    for limit_id, a, b in _paired(old_rules, new_rules):
        if a == b:
            continue
        label = md((b or a).label)
        if a is None or b is None:
            state = "nuevo / new" if a is None else "quitado / removed"
            lines.append(f"- Cuestionario / Quiz `{limit_id}` ({label}): {state}")
            continue
        changed = []
        # Its length is a guide's fact (listed above when it changed): here, which fact it counts.
        if a.time_limit != b.time_limit:
            changed.append(f"cuenta / counts `{a.time_limit}` → `{b.time_limit}`")
        if a.question != b.question:
            changed.append(f"se cuenta desde la pregunta / counted from question `{a.question}` → `{b.question}`")
        if not changed and all(str(getattr(a, f)) == str(getattr(b, f)) for f in ("label", "rule", "counting")):
            continue
        lines.append(f"- Cuestionario / Quiz `{limit_id}` ({label}): {'; '.join(changed) or 'textos / texts'}")
        for name, title in (("rule", "Regla / Rule"), ("counting", "Cómo se cuenta / Counting")):
            if str(getattr(a, name)) != str(getattr(b, name)):
                lines.append(f"  - {title}: {quoted(getattr(a, name))} → {quoted(getattr(b, name))}")
    return lines


def _pages(old: Version, new: Version) -> list[str]:
    lines = []
    for page, before, after in _paired(old.pages, new.pages):
        if before == after:
            continue
        if before is None:
            lines.append(f"- **Página nueva / New page** `docs/{page}`")
            continue
        if after is None:
            lines.append(f"- **Página quitada / Page removed** `docs/{page}`")
            continue
        diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        lines += [f"- **Cambiada / Changed** `docs/{page}` ({len(diff)} líneas / lines)", "",
                  "  <details><summary>Antes → ahora / Before → after (Markdown)</summary>", "",
                  "  ```diff", *(f"  {line}" for line in diff[:80]), "  ```", "  </details>", ""]
    return lines


# --- translations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Meaning:
    """What the term base and the number check read in a text and its translation."""

    spanish_numbers: tuple[str, ...]
    numbers: tuple[str, ...]
    spanish_terms: frozenset[str]
    terms: frozenset[str]

    @classmethod
    def of(cls, spanish: str, translated: str, language: str, terms: TermBase) -> "_Meaning":
        """The Spanish's numbers and terms; of the translation, every number it writes in digits,
        those it writes in words that the Spanish has («de», two in Haitian Creole, is also «of»),
        and the terms of its Spanish it renders or renders with a forbidden form."""
        spanish_numbers = numbers_in(spanish, SOURCE_LANGUAGE)
        kept = [value for value, written in written_numbers(translated, language)
                if any(ch.isdigit() for ch in written) or value in spanish_numbers]
        spanish_terms = terms.found(spanish, SOURCE_LANGUAGE)
        rendered = {term for term in terms.found(translated, language)
                    if term.removesuffix(TermBase.FORBIDDEN) in spanish_terms}
        return cls(tuple(sorted(spanish_numbers.elements(), key=sort_key)), tuple(sorted(kept, key=sort_key)),
                   spanish_terms, frozenset(rendered))

    def __bool__(self) -> bool:
        return bool(self.spanish_numbers or self.numbers or self.spanish_terms or self.terms)


def _what_changed(before: "_Meaning | None", after: _Meaning, language: str) -> str:
    parts = []
    old_numbers = before.numbers if before else ()
    if old_numbers != after.numbers:
        parts.append(f"números / numbers {', '.join(old_numbers) or '—'} → {', '.join(after.numbers) or '—'}")
    if before is not None and before.spanish_numbers != after.spanish_numbers:
        parts.append(f"números del español / Spanish numbers {', '.join(before.spanish_numbers) or '—'} → "
                     f"{', '.join(after.spanish_numbers) or '—'}")
    old_terms = before.terms if before else frozenset()
    gained, lost = sorted(after.terms - old_terms), sorted(old_terms - after.terms)
    if gained or lost:
        said = [f"+`{term}`" for term in gained] + [f"−`{term}`" for term in lost]
        parts.append(f"términos / terms {' '.join(said)}")
    if before is not None and before.spanish_terms != after.spanish_terms:
        said = [f"+`{term}`" for term in sorted(after.spanish_terms - before.spanish_terms)]
        said += [f"−`{term}`" for term in sorted(before.spanish_terms - after.spanish_terms)]
        parts.append(f"términos del español / Spanish terms {' '.join(said)}")
    return "; ".join(parts) or ("nuevo, con números o términos / new, with numbers or terms" if before is None else "")


def _translator_report(old: Version, new: Version, project) -> list[str]:
    """Per language, the translations whose numbers or legal terms changed (or new ones that carry
    them): where a wrong number or a term that says something else would do harm, so a reviewer
    who reads the language reads these first. Read with today's term base, before and after."""
    terms = new.terms
    lines = _term_base_changes(old, new)
    for language in project.translated_languages:
        before, after = old.catalogs.get(language, {}), new.catalogs.get(language, {})
        # A translation that only moved to another context (a text now shared) is not a change.
        known = {entry[:2] for entry in before.values()}
        items, others = [], 0
        for context, (spanish, translated, line) in after.items():
            previous = before.get(context)
            if (previous is not None and previous[:2] == (spanish, translated)) or \
                    (previous is None and (spanish, translated) in known):
                continue
            meaning = _Meaning.of(spanish, translated, language, terms)
            was = _Meaning.of(previous[0], previous[1], language, terms) if previous else None
            if (was is None and not meaning) or (was is not None and was == meaning):
                others += 1
                continue
            po = f"{project.content_dir.name}/locale/{language}.po"
            items += [f"- `{context}` ({po}:{line}): {_what_changed(was, meaning, language)}",
                      f"  - Español / Spanish: {quoted(spanish)}"]
            if previous is not None:
                items.append(f"  - Antes / Before: {quoted(previous[1])}")
            items.append(f"  - Ahora / Now: {quoted(translated)}")
        for (page, page_language), text in new.translated_pages.items():
            if page_language != language or old.translated_pages.get((page, language)) == text:
                continue
            was_text = old.translated_pages.get((page, language))
            meaning = _Meaning.of(reader_text(new.pages.get(page, "")), reader_text(text), language, terms)
            was = None if was_text is None else \
                _Meaning.of(reader_text(old.pages.get(page, "")), reader_text(was_text), language, terms)
            if was is not None and was == meaning:
                others += 1
                continue
            items.append(f"- `docs/{translation_file(page, language)}`: {_what_changed(was, meaning, language)}")
        if not items:
            continue
        name = project.language_names.get(language, language)
        more = f" {others} traducción(es) más cambiaron solo de palabras / more changed in wording only." if others else ""
        lines += [f"### {md(name)} (`{language}`)", "",
                  f"{len([i for i in items if i.startswith('- ')])} con números o términos que cambian / "
                  f"with numbers or terms that change.{more}", "", *items, ""]
    return lines


def _term_base_changes(old: Version, new: Version) -> list[str]:
    """The term base is what the check holds translations to: a reviewer sees what it now asks."""
    if old.terms_text == new.terms_text:
        return []
    before = {term.id: term for term in old.terms.terms}
    after = {term.id: term for term in new.terms.terms}
    said = [f"+`{term}`" for term in after if term not in before]
    said += [f"−`{term}`" for term in before if term not in after]
    said += [f"~`{term}`" for term in after if term in before and after[term] != before[term]]
    variants = sorted(language for language in set(old.terms.file.variants) | set(new.terms.file.variants)
                      if old.terms.file.variants.get(language) != new.terms.file.variants.get(language))
    if variants:
        said.append(f"variantes / variants: {', '.join(f'`{language}`' for language in variants)}")
    diff = [line for line in difflib.unified_diff(old.terms_text.splitlines(), new.terms_text.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return [f"- **Base de términos / Term base** (`{TERMS_FILE}`): {' '.join(said) or 'comentarios / comments'}", "",
            "  <details><summary>Antes → ahora / Before → after</summary>", "",
            "  ```diff", *(f"  {line}" for line in diff[:80]), "  ```", "  </details>", ""]



def _translations(old: Version, new: Version, project) -> list[str]:
    rows = []
    lists: dict[tuple, list[str]] = {}   # (what, contexts) → languages, so seven languages read as one line
    for language in project.translated_languages:
        a = old.translations.get(language) or LanguageStatus(language)
        b = new.translations[language]
        outdated = [c for c in b.outdated if c not in a.outdated]
        missing = [c for c in b.missing if c not in a.missing]
        fixed = [c for c in a.outdated if c in b.current] + [c for c in a.missing if c in b.current]
        if not (outdated or missing or fixed):
            continue
        name = project.language_names.get(language, language)
        rows.append(f"| {md(name)} (`{language}`) | {len(outdated)} | {len(missing)} | {len(fixed)} | "
                    f"{len(b.outdated)} | {len(b.missing)} | {b.translated}/{b.total} |")
        for what, contexts in (("desactualizadas / became outdated", outdated), ("faltan / became missing", missing)):
            if contexts:
                lists.setdefault((what, tuple(contexts)), []).append(language)
    page_words = {"current": "traducida / translated", "outdated": "desactualizada / outdated", "missing": "sin traducir / missing"}
    pages = []
    for (page, language), state in new.page_states.items():
        before = old.page_states.get((page, language))
        if before is not None and before != state:
            pages.append(f"- `{language}` · `docs/{page}`: {page_words[before]} → {page_words[state]}")
    if not rows and not pages:
        return []
    if not rows:
        return ["Páginas escritas a mano / Hand-written pages:", "", *pages]
    if pages:
        pages = ["", "Páginas escritas a mano / Hand-written pages:", "", *pages]
    details = []
    for (what, contexts), languages in lists.items():
        shown = ", ".join(f"`{c}`" for c in contexts[:_LISTED])
        more = f" y {len(contexts) - _LISTED} más / and {len(contexts) - _LISTED} more" if len(contexts) > _LISTED else ""
        details.append(f"- {', '.join(f'`{language}`' for language in languages)} — {what}: {shown}{more}")
    return ["Un texto desactualizado o que falta se muestra en español en esa lengua hasta que se traduzca / "
            "An outdated or missing text is shown in Spanish in that language until it is translated.", "",
            "| lengua / language | pasan a desactualizadas / became outdated | pasan a faltar / became missing "
            "| traducidas de nuevo / brought up to date | desactualizadas ahora / outdated now | faltan ahora / missing now "
            "| al día / up to date |",
            "|---|---|---|---|---|---|---|", *rows, "", *details, *pages]


# --- sources and passages ------------------------------------------------------------------------


def _sources(old: Content, new: Content, project) -> list[str]:
    lines = []
    for source_id, source in new.sources.items():
        before = old.sources.get(source_id)
        title = md(source.title)
        if before is None:
            lines.append(f"- **Fuente nueva / New source** `{source_id}`: {title} (`{source.file}`)")
            continue
        notes = []
        if before.last_updated != source.last_updated:
            notes.append(f"última actualización / last updated {before.last_updated or '—'} → {source.last_updated or '—'}")
        if before.file != source.file:
            notes.append(f"archivo / file `{before.file}` → `{source.file}`")
        old_text, new_text = old.source_texts.get(source_id, ""), new.source_texts.get(source_id, "")
        if old_text != new_text:
            diff = [line for line in difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), lineterm="", n=0)
                    if line[:1] in "+-" and not line.startswith(("+++", "---"))]
            notes.append(f"el texto cambió / the text changed ({len(diff)} líneas / lines)")
        if notes:
            lines.append(f"- `{source_id}` ({title}): {'; '.join(notes)}")
            if old_text != new_text:
                lines += ["", "  <details><summary>Texto de la fuente: antes → ahora / Source text: before → after</summary>", "",
                          "  ```diff", *(f"  {line}" for line in diff[:80]), "  ```", "  </details>", ""]
    for source_id in old.sources:
        if source_id not in new.sources:
            lines.append(f"- **Fuente quitada / Source removed** `{source_id}`: {md(old.sources[source_id].title)}")
    return lines


def _stale_sources(content: Content, project) -> list[str]:
    lines = []
    for source_id, age in project.settings().stale_sources(content).items():
        source = content.sources[source_id]
        lines.append(f"- `{source_id}` ({md(source.title)}) pasa del límite de {project.max_source_age_months} meses / is past "
                     f"its {project.max_source_age_months}-month age limit: última actualización / last updated "
                     f"{month_year(source.last_updated, SOURCE_LANGUAGE)}, hace {age} meses / {age} months ago")
    return lines


def _lost_passages(old: Content, new: Content) -> list[str]:
    """Texts citing a passage of a source whose text changed, when the passage is not there any more."""
    changed = [source_id for source_id in new.source_texts if old.source_texts.get(source_id) != new.source_texts[source_id]]
    lines = []
    for use in new.passages:
        if use.source not in changed:
            continue
        before = quoted_text(use.passage, old.source_texts.get(use.source, ""))
        after = quoted_text(use.passage, new.source_texts.get(use.source, ""))
        if use.passage.quote is not None and after is None:
            what = quoted(use.passage.quote)
            lines.append(f"- {use.file}:{use.line_of('quote')} `{use.owner}`: {what} "
                         f"{'ya no está' if before else 'no está'} en `{use.source}` / is {'no longer' if before else 'not'} in it")
        elif use.passage.quote is None and before != after:
            lines.append(f"- {use.file}:{use.line_of('lines')} `{use.owner}`: las líneas / lines {use.passage.lines} "
                         f"de `{use.source}` cambiaron / changed: {quoted(before or '—')} → {quoted(after or '—')}")
        else:
            continue
        for text in use.texts:
            lines.append(f"  - Texto / Text: {quoted(text)}")
    return lines


def _reviews(old: Content, new: Content) -> list[str]:
    """What guide pages say about being checked against their source, before and now."""
    lines = []
    for guide in new.guides:
        before, after = old.content_review(guide.id), new.content_review(guide.id)
        if before == after:
            continue
        if after is not None:
            lines.append(f"- `{guide.id}`: la página dirá / the page will say: "
                         f"{quoted(Words(new.interface)('checked-against-source', date=month_year(after.date, SOURCE_LANGUAGE), reviewer=after.reviewer))}")
        else:
            lines.append(f"- `{guide.id}`: la página ya no dice que se comprobó con la fuente / the page no longer says it "
                         f"was checked against its source (revisión de / check of {before.date}, {md(before.reviewer)}; "
                         "la fuente cambió o se quitó el registro / the source changed or the record was removed)")
    return lines


def _passage_keys(content: Content) -> dict[tuple, PassageUse]:
    return {(use.owner, use.source, normalised(use.passage.quote or ""), use.passage.lines): use for use in content.passages}


def _passages(old: Content, new: Content) -> list[str]:
    before, after = _passage_keys(old), _passage_keys(new)
    added = [after[key] for key in after if key not in before]
    removed = [before[key] for key in before if key not in after]
    if not (added or removed):
        return []
    lines = [f"{len(added)} añadidos, {len(removed)} quitados / {len(added)} added, {len(removed)} removed "
             f"({len(new.passages)} en total / in all). Quién revisa puede comprobar cada uno en la fuente / "
             "A reviewer can check each one against its source.", ""]

    def item(use: PassageUse) -> str:
        where = f"líneas / lines {use.passage.lines} " if use.passage.lines else ""
        return f"- `{use.owner}` ← `{use.source}` {where}{quoted(use.passage.quote) if use.passage.quote else ''}"

    for title, uses in (("Añadidos / Added", added), ("Quitados / Removed", removed)):
        if not uses:
            continue
        listed = [item(use) for use in uses]
        if len(listed) > _LISTED:
            lines += [f"<details><summary>{title} ({len(listed)})</summary>", "", *listed, "", "</details>", ""]
        else:
            lines += [f"{title}:", "", *listed, ""]
    return lines

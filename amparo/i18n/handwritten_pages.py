"""Hand-written pages (docs/*.md) and their translations (mkdocs-static-i18n suffix files).

A translation records the Spanish text it translates: `translation: {source: <id>}` in its
front matter, where the id is the git blob id of the Spanish file at that time. The id is
computed from the file's bytes (no git needed to build), and with git it shows what changed
since: `git diff <id> HEAD:docs/seguridad.md`. When the Spanish page changes, its translations
are *outdated* until a translator updates them and runs `amparo translations stamp FILE`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from html.parser import HTMLParser

import yaml

from ..content.errors import Problem
from ..content.forbidden_characters import decode_utf8, find_forbidden
from ..content.loader import on_another_host
from ..content.memo import Memo
from ..content.models import SOURCE_LANGUAGE
from ..content.yaml_lines import yaml_error_line
from .catalogs import meaning_problems
from .term_base import TermBase

# The first line of every page the plugin writes into docs/: not hand-written.
STUB_MARKER = "<!-- amparo:generated -->"
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


def git_blob_id(data: bytes) -> str:
    """What `git hash-object` prints for a file with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class PageTranslation:
    source: str            # the Spanish page, relative to docs/ (seguridad.md)
    language: str
    state: str             # current | outdated | missing
    recorded: str | None   # the source id the translation says it translates
    current: str           # the source id of the Spanish page now

    @property
    def file(self) -> str:
        return translation_file(self.source, self.language)


def translation_file(source: str, language: str) -> str:
    return source[: -len(".md")] + f".{language}.md"


def front_matter(text: str) -> dict:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}   # reported by page_input_problems
    return data if isinstance(data, dict) else {}


def spanish_pages(docs_dir: Path, generated: set[str], languages: list[str]) -> list[str]:
    """Hand-written Spanish pages: every .md in docs/ that is neither generated nor a translation."""
    suffixes = tuple(f".{language}.md" for language in languages if language != SOURCE_LANGUAGE)
    pages = []
    for path in sorted(Path(docs_dir).rglob("*.md")):
        relative = path.relative_to(docs_dir).as_posix()
        if relative in generated or relative.endswith(suffixes):
            continue
        if not path.read_bytes().startswith(STUB_MARKER.encode()):
            pages.append(relative)
    return pages


def page_translations(docs_dir: Path, generated: set[str], languages: list[str]) -> list[PageTranslation]:
    docs_dir = Path(docs_dir)
    result = []
    for source in spanish_pages(docs_dir, generated, languages):
        current = git_blob_id((docs_dir / source).read_bytes())
        for language in languages:
            if language == SOURCE_LANGUAGE:
                continue
            path = docs_dir / translation_file(source, language)
            if not path.exists():
                result.append(PageTranslation(source, language, "missing", None, current))
                continue
            recorded = (front_matter(path.read_text(encoding="utf-8", errors="replace")).get("translation") or {}).get("source")
            recorded = recorded if isinstance(recorded, str) else None
            state = "current" if recorded == current else "outdated"
            result.append(PageTranslation(source, language, state, recorded, current))
    return result


def page_problems(docs_dir: Path, translations: list[PageTranslation]) -> list[Problem]:
    """A translation that does not say what it translates cannot be told outdated: an error."""
    problems = []
    for translation in translations:
        if translation.state != "missing" and translation.recorded is None:
            problems.append(Problem(f"{Path(docs_dir).name}/{translation.file}", 1, "translation.source",
                                    f"is missing: run `amparo translations stamp {Path(docs_dir).name}/{translation.file}` "
                                    f"once it translates the current {Path(docs_dir).name}/{translation.source}"))
    return problems


# Markup a page may use: words in another language, and the safety page's offline box. Nothing
# that runs, loads, styles or submits: Markdown writes links and images.
_ALLOWED_TAGS = frozenset({"span", "div", "p", "button", "br", "strong", "em", "b", "i", "kbd", "abbr", "small",
                           "sup", "sub", "bdi"})
_ALLOWED_ATTRIBUTES = frozenset({"lang", "dir", "class", "id", "hidden", "role", "type", "title", "markdown"})
_ALLOWED_ATTRIBUTE_PREFIXES = ("data-amparo-", "data-state-", "aria-")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_LINK_TARGET = re.compile(r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)([a-zA-Z][a-zA-Z0-9+.-]*):", re.MULTILINE)
# An image the page would load: ![alt](address), or ![alt][name] / ![name] with `[name]: address`.
_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\](?:\(\s*<?([^\s)>]*)|\[([^\]]*)\])?")
_REFERENCE = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
# An address on another host: with a scheme (https:, data:…) or protocol-relative (//host/…).
# attr_list's { .class #id key=value }: a key=value sets an HTML attribute on the element before it.
_ATTR_LIST = re.compile(r"\{:?[ \t]*((?:[.#][\w-]+|[\w:-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+))"
                        r"(?:[ \t]+(?:[.#][\w-]+|[\w:-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+)))*)[ \t]*\}")
_ATTR_KEY = re.compile(r"([\w:-]+)=")
_CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)


class _MarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if tag not in _ALLOWED_TAGS:
            self.found.append((line, f"contains HTML that is not allowed in a page (<{tag}>): write Markdown, "
                                     f"or only {', '.join(sorted(_ALLOWED_TAGS))}"))
            return
        for name, value in attrs:
            if name not in _ALLOWED_ATTRIBUTES and not name.startswith(_ALLOWED_ATTRIBUTE_PREFIXES):
                self.found.append((line, f"has an HTML attribute that is not allowed ({name}= on <{tag}>): "
                                         "no event handlers, styles or addresses in raw HTML"))
            elif tag == "button" and name == "type" and value != "button":
                self.found.append((line, f'has a <button type="{value}">: only type="button"'))

    handle_startendtag = handle_starttag

    def handle_pi(self, data):
        self.found.append((self.getpos()[0], f"contains a processing instruction (<?{data[:20]}): remove it"))

    def handle_decl(self, decl):
        self.found.append((self.getpos()[0], f"contains a declaration (<!{decl[:20]}>): remove it"))

    def unknown_decl(self, data):
        self.found.append((self.getpos()[0], f"contains markup that is not allowed (<![{data[:20]}): remove it"))


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def _language_of(relative: str, languages: list[str]) -> str:
    parts = relative.rsplit(".", 2)
    return parts[1] if len(parts) == 3 and parts[1] in languages else SOURCE_LANGUAGE


def page_input_problems(docs_dir: Path, generated: set[str], languages: list[str]) -> list[Problem]:
    """What a hand-written page (Spanish or a translation) may not hold: text that is not UTF-8,
    nothing at all, control or direction characters, front matter that is not YAML, and markup
    that could run, load or restyle something."""
    docs_dir = Path(docs_dir)
    problems: list[Problem] = []
    for path in sorted(docs_dir.rglob("*.md")):
        relative = path.relative_to(docs_dir).as_posix()
        data = path.read_bytes()
        if relative in generated or data.startswith(STUB_MARKER.encode()):
            continue
        key = (f"{docs_dir.name}/{relative}", _language_of(relative, languages), data)
        problems += _PAGE_INPUTS.get(key, lambda: tuple(_input_problems(*key)))
    return problems


# Each page's problems by its name, language and bytes: a check reads again only the pages that changed.
_PAGE_INPUTS: Memo[tuple[Problem, ...]] = Memo(256)


def _input_problems(name: str, language: str, data: bytes) -> list[Problem]:
    text, bad_line, why = decode_utf8(data)
    if text is None:
        return [Problem(name, bad_line, "", why)]
    match = _FRONT_MATTER.match(text)
    body_start = match.end() if match else 0
    if not text[body_start:].strip():
        return [Problem(name, 1, "", "is empty: write the page or remove the file")]
    problems = [Problem(name, item.line, "", item.message) for item in find_forbidden(text, language)]
    if match:
        try:
            front = yaml.safe_load(match.group(1))
            if not isinstance(front, dict):
                problems.append(Problem(name, 2, "", "has front matter that is not a group of key: value lines"))
        except yaml.YAMLError as error:
            line = yaml_error_line(error) + 1 if isinstance(error, yaml.MarkedYAMLError) else 2
            problems.append(Problem(name, line, "",
                                    f"has front matter that is not valid YAML: {getattr(error, 'problem', None) or error}"))
    elif text.startswith("---\n"):
        problems.append(Problem(name, 1, "", "opens front matter with --- but never closes it"))
    body = _CODE.sub(_blank, text)
    finder = _MarkupFinder()
    finder.feed(body)
    finder.close()
    problems += [Problem(name, line, "", message) for line, message in finder.found]
    for link in _LINK_TARGET.finditer(body):
        if link.group(1).lower() not in _ALLOWED_SCHEMES:
            line = body[: link.start(1)].count("\n") + 1
            problems.append(Problem(name, line, "", f"links to a '{link.group(1)}:' address: "
                                                    "only web, mail and phone addresses, or pages of this site"))
    problems += [Problem(name, line, "", message) for line, message in _remote_resources(body)]
    return problems


def _remote_resources(body: str) -> list[tuple[int, str]]:
    """What a page would ask another host for: an image from another address (a tracker's pixel
    tells it who read the page, and when), or an attribute set with attr_list (`{: src=… }`,
    `{: style=… }`) that could load one. Scripts, frames and stylesheets are raw HTML, refused
    above. Each with its line."""
    found = []

    def line_of(position: int) -> int:
        return body[:position].count("\n") + 1

    references = {match.group(1).strip().lower(): match.group(2) for match in _REFERENCE.finditer(body)}
    for image in _IMAGE.finditer(body):
        inline, named = image.group(2), image.group(3)
        address = inline if inline is not None else references.get((named or image.group(1)).strip().lower(), "")
        if on_another_host(address):
            found.append((line_of(image.start()), f"shows an image from another address ({address[:60]}): the reader's "
                          "browser would ask that host for it, telling it who reads this page; put the image in docs/ "
                          "and give its path"))
    for attributes in _ATTR_LIST.finditer(body):
        for key in _ATTR_KEY.findall(attributes.group(1)):
            if key.lower() not in _ALLOWED_ATTRIBUTES:
                found.append((line_of(attributes.start()), f"sets the HTML attribute {key}= with {{: … }}: only classes, "
                              "ids and lang, dir or title; no addresses, styles or event handlers"))
    return found


# What a reader does not read in a page's Markdown: code (test names), link targets, {#anchor}
# attributes, tags. Blanked (line breaks kept) before numbers and terms are compared.
_NOT_READ = re.compile(r"\]\([^)\n]*\)|\{[#.:][^}\n]*\}|<[^>\n]*>|https?://\S+")


def _reader_text(markdown: str) -> str:
    return _NOT_READ.sub(_blank, _CODE.sub(_blank, markdown))


def reader_text(page: str) -> str:
    """What a reader reads of a page: its body without front matter, code, link targets and tags."""
    return "\n".join(text for _, text in _paragraphs(page))


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """The page's blocks (paragraphs, list groups, headings) after its front matter: (first line, text)."""
    match = _FRONT_MATTER.match(text)
    offset = match.end() if match else 0
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(_reader_text(text[offset:]).split("\n"), start=text[:offset].count("\n") + 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def page_meaning_problems(docs_dir: Path, source: str, language: str, terms: TermBase) -> list[Problem]:
    """Numbers and terms of a translated page against its Spanish page, paragraph by paragraph (the
    whole page when their paragraphs do not line up), as for a translation that says it is current."""
    docs_dir = Path(docs_dir)
    relative = translation_file(source, language)
    return _meaning_problems(f"{docs_dir.name}/{relative}", f"{docs_dir.name}/{source}",
                             (docs_dir / relative).read_text(encoding="utf-8"), (docs_dir / source).read_text(encoding="utf-8"),
                             language, terms)


def _meaning_problems(name: str, source_name: str, translated_page: str, spanish_page: str, language: str,
                      terms: TermBase) -> list[Problem]:
    spanish = _paragraphs(spanish_page)
    translated = _paragraphs(translated_page)
    if not translated:
        return []
    if len(spanish) != len(translated):
        note = (f" (its paragraphs do not line up with {source_name}'s, {len(translated)} against "
                f"{len(spanish)}: the page was compared as a whole)")
        messages = meaning_problems("\n".join(text for _, text in spanish), "\n".join(text for _, text in translated),
                                    language, terms)
        return [Problem(name, translated[0][0], "", message + note) for message in messages]
    problems = []
    for (_, spanish_text), (line, translated_text) in zip(spanish, translated):
        problems += [Problem(name, line, "", message)
                     for message in meaning_problems(spanish_text, translated_text, language, terms)]
    return problems


def page_fidelity_problems(docs_dir: Path, translations: list[PageTranslation], terms: TermBase) -> list[Problem]:
    """Every translated page is written in its language's variant (line by line); a current one also
    has the numbers and terms of its Spanish page. An outdated page is not compared: its Spanish
    changed since, and readers are told."""
    docs_dir = Path(docs_dir)
    problems = []
    for translation in translations:
        if translation.state == "missing":
            continue
        translated = (docs_dir / translation.file).read_bytes()
        spanish = (docs_dir / translation.source).read_bytes() if translation.state == "current" else None
        key = (docs_dir.name, translation.file, translation.source, translation.language, translated, spanish)

        def compare() -> tuple[Problem, ...]:
            return tuple(_fidelity_problems(*key, terms))

        # A term base read from its file is known by its bytes; one made otherwise is compared each time.
        problems += _PAGE_FIDELITY.get((*key, terms.display, terms.sha256), compare) if terms.sha256 else compare()
    return problems


# Each translated page's problems by its bytes, its Spanish page's and the term base's.
_PAGE_FIDELITY: Memo[tuple[Problem, ...]] = Memo(256)


def _fidelity_problems(folder: str, file: str, source: str, language: str, translated: bytes, spanish: bytes | None,
                       terms: TermBase) -> list[Problem]:
    name = f"{folder}/{file}"
    page = translated.decode("utf-8", errors="replace")
    problems = []
    for start, block in _paragraphs(_reader_text(page)):
        found = terms.variant_problems(block, language)
        for offset, line in enumerate(block.split("\n")):
            on_line = [message for message in terms.variant_problems(line, language) if message in found]
            problems += [Problem(name, start + offset, "", message) for message in on_line]
            found = [message for message in found if message not in on_line]
        problems += [Problem(name, start, "", message) for message in found]   # a form across two lines
    if spanish is not None:
        problems += _meaning_problems(name, f"{folder}/{source}", translated.decode("utf-8"), spanish.decode("utf-8"),
                                      language, terms)
    return problems


def stamp(translation: Path) -> str:
    """Record in `translation` (docs/x.fr.md) that it translates the current Spanish page."""
    translation = Path(translation)
    name = translation.name
    match = re.fullmatch(r"(.+)\.([a-z]{2}(?:-[A-Za-z]+)?)\.md", name)
    if not match:
        raise ValueError(f"{translation} is not a translation file (page.<language>.md)")
    source = translation.with_name(match.group(1) + ".md")
    blob = git_blob_id(source.read_bytes())
    text = translation.read_text(encoding="utf-8")
    found = _FRONT_MATTER.match(text)
    data = front_matter(text) if found else {}
    data["translation"] = {**(data.get("translation") or {}), "source": blob}
    header = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"
    translation.write_text(header + (text[found.end():] if found else text), encoding="utf-8")
    return blob

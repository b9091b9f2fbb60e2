"""The content model: what an editor may write in procedures/, and nothing else.

These classes are the one source of truth for the content format. The JSON Schema that
editors' YAML editors use is generated from them (`amparo schema`), and the loader
validates every file against them.

Every reader-facing string is a `Text`: plain words, no HTML, no Markdown. Only `Text`
values are translated; ids, codes and numbers are not.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    StringConstraints,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

# Anything a browser could read as markup: a tag, a comment, a character reference.
_MARKUP = re.compile(r"<\s*[/!?a-zA-Z]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")


class Text(str):
    """A reader-facing, translatable string of plain words.

    `context` (the field's path, used as the gettext message context) and `origin`
    (file and line) are set by the loader after validation, so a translation or an
    error can always point back to where the Spanish text was written.
    """

    context: str = ""
    origin: tuple[str, int] | None = None
    # True when a translation was missing or outdated and this is the Spanish text instead.
    fallback: bool = False

    @classmethod
    def check(cls, value: str) -> "Text":
        cleaned = " ".join(value.split())
        if not cleaned:
            raise PydanticCustomError("empty_text", "is empty: write the text or remove the field")
        if _MARKUP.search(cleaned):
            raise PydanticCustomError(
                "markup_in_text",
                "contains HTML (\"{found}\"): content is plain text; write the words without tags",
                {"found": _MARKUP.search(cleaned).group(0)},
            )
        return cls(cleaned)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_after_validator_function(
            cls.check,
            core_schema.str_schema(strict=True),
            serialization=core_schema.to_string_ser_schema(),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema, handler):
        json_schema = handler(schema)
        json_schema["description"] = "Plain text for readers (no HTML, no Markdown)."
        return json_schema


Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
YearMonth = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    Field(description="Year and month, e.g. 2025-05"),
]
# The language editors write in; every other language is a translation of it.
SOURCE_LANGUAGE = "es"
# The countries and situations a site covers are content (countries.yml), never code: a guide
# names them by these codes and ids, and the loader checks each against that file.
CountryCode = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[A-Z]{2}$"),
    Field(description="A country's code in countries.yml: two capital letters, as ISO 3166-1 (FR, PT)"),
]
LanguageCode = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
    Field(description="A language code (BCP 47): es, en, pt-BR, ht"),
]


class Model(BaseModel):
    # Unknown keys are almost always typos; refusing them keeps content from silently vanishing.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _unique_ids(items: list[Any], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        item_id = getattr(item, "id", None)
        if item_id is None:
            continue
        if item_id in seen:
            raise PydanticCustomError(
                "duplicate_id", "two {what} have the id \"{id}\": ids must be unique", {"what": what, "id": item_id}
            )
        seen.add(item_id)


# --- sources -------------------------------------------------------------------------------


class Source(Model):
    """An official text the site is built from."""

    id: Slug
    file: str = Field(description="File name in the sources folder, e.g. 002_ea76eaa9a272f44a.txt")
    title: Text = Field(description="How readers should recognise the document")
    publisher: Text | None = None
    language: LanguageCode = Field(description="The language the source is written in (BCP 47 code: es, en, fr…)")
    last_updated: YearMonth | None = Field(
        description="When the source says it was last updated; null if it does not say"
    )
    disclaimer: Text | None = Field(None, description="The source's own warning about its validity")


Sha256 = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9a-f]{64}$")]


class SourcesFile(Model):
    kind: Literal["sources"]
    sources: list[Source]
    # At the end of the file, so that recording a digest moves no text (the catalogs name lines).
    # Empty only in revisions from before it, which `amparo changes` still reads: the check needs one per source.
    sha256: dict[str, Sha256] = Field(
        default_factory=dict,
        description="Each source file's SHA-256 (`sha256sum`, 64 lowercase hex digits), by file name: a copy that "
        "differs from the official text fails the check. Change it only with the text, after checking the guides "
        "against the new text",
    )

    @model_validator(mode="after")
    def _ids(self):
        _unique_ids(self.sources, "sources")
        return self


# --- building blocks -------------------------------------------------------------------------

LineRange = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[1-9][0-9]*(-[1-9][0-9]*)?$"),
    Field(description="Lines of the source file, e.g. 43-48 (or one line: 43)"),
]


class Passage(Model):
    """The part of an official source a text comes from: a short exact quote, or a line range.

    Quotes are copied from the file in sources/ word for word; spaces and line breaks may
    differ. Not shown to readers and not translated: it is for editors and reviewers, who can
    redo the legal review against it, and for `amparo changes` when a source changes.
    """

    source: Slug | None = Field(
        None, description="Id of a source in sources.yml; leave out in a guide for the guide's own source"
    )
    quote: str | None = Field(None, description="Words copied exactly from the source")
    lines: LineRange | None = None

    @model_validator(mode="after")
    def _something(self):
        if self.quote is None and self.lines is None:
            raise PydanticCustomError("passage_empty", "needs a quote (words copied from the source) or lines (e.g. 43-48)")
        if self.quote is not None and not self.quote.split():
            raise PydanticCustomError("passage_empty", "has an empty quote: copy the words from the source")
        if self.lines is not None:
            first, _, last = self.lines.partition("-")
            if last and int(last) < int(first):
                raise PydanticCustomError("passage_lines", "lines must go from the first line to the last, e.g. 43-48")
        return self


Passages = Annotated[
    list[Passage],
    Field(description="Where in the sources this comes from (a quote or lines of the source file)"),
]


class SharedRef(Model):
    shared: Slug = Field(description="Id of a piece written once in shared.yml")


def _inline_or_ref(value: Any) -> str:
    if isinstance(value, dict):
        return "ref" if "shared" in value else "inline"
    return "ref" if isinstance(value, SharedRef) else "inline"


# A text two procedures say word for word: written here, or `shared: <id>` of shared.yml's texts.
TextOrRef = Annotated[
    Union[Annotated[Text, Tag("inline")], Annotated[SharedRef, Tag("ref")]], Discriminator(_inline_or_ref)
]


class LegalReference(Model):
    law: TextOrRef = Field(description="Exact legal name of the law or decree")
    articles: Text
    passages: Passages = []


class TimeLimit(Model):
    """A deadline or a duration, structured so the quiz can compute dates from it."""

    bound: Literal["at_most", "at_least", "exactly"] = "at_most"
    amount: int = Field(gt=0)
    unit: Literal["hours", "days", "business_days", "months", "years"]
    counted_from: Text | None = Field(
        None, description="The event the time counts from, in plain words; leave out if the source does not say"
    )
    passages: Passages = []


class Actor(Model):
    """Who acts in a step, in plain words with the official name beside them."""

    id: Slug
    name: Text
    official_name: Text | None = None


class Step(Model):
    id: Slug
    actor: Slug = Field(description="Id of an actor in shared.yml")
    text: Text
    time_limit: TimeLimit | None = None
    details: list[TextOrRef] = []
    passages: Passages = []


StepOrRef = Annotated[
    Union[Annotated[Step, Tag("inline")], Annotated[SharedRef, Tag("ref")]], Discriminator(_inline_or_ref)
]


class Document(Model):
    id: Slug
    text: TextOrRef
    condition: Text | None = Field(None, description="E.g. validity the document must have")
    only_if: TextOrRef | None = Field(None, description="When the document is needed, if not always")
    passages: Passages = []


class Documents(Model):
    note: TextOrRef | None = None
    items: list[Document]
    risk_exemption: Text | None = Field(
        None, description="When documents whose obtaining puts the victim at risk can be left out"
    )
    passages: Passages = []

    @model_validator(mode="after")
    def _ids(self):
        _unique_ids(self.items, "documents")
        return self


class ApplyPlace(Model):
    id: Slug
    mode: Literal["in_person", "online"]
    text: TextOrRef
    passages: Passages = []


class Fee(Model):
    """What the procedure costs, as its source says: a form to pay with (Spain's «Modelo 790»), an
    amount, or nothing at all (`free: true`). Leave out what the source does not give."""

    id: Slug
    free: bool = Field(False, description="true if the source says the procedure costs nothing: then give no "
                       "form, amount, payer or deadline, only its passages (and a note, if needed)")
    form: Text | None = Field(None, description="The form the fee is paid with, e.g. Modelo 790")
    code: str | None = Field(None, description="The form's code, e.g. 052")
    heading: str | None = Field(None, description="Epígrafe, e.g. 2.3.2.b)")
    heading_name: Text | None = None
    amount: Text | None = Field(None, description="How much, as the source writes it, with its currency")
    payer: Text | None = None
    due: Text | None = Field(None, description="When the fee becomes due")
    time_limit: TimeLimit | None = None
    note: Text | None = None
    passages: Passages = []

    @model_validator(mode="after")
    def _what_to_pay(self):
        paid = [name for name in ("form", "code", "heading", "heading_name", "amount", "payer", "due", "time_limit")
                if getattr(self, name) is not None]
        if self.free and paid:
            raise PydanticCustomError(
                "fee_free", "says free: true and also gives {fields}: a free procedure has nothing to pay; remove "
                "them, or remove free", {"fields": ", ".join(paid)})
        if not self.free and self.form is None and self.amount is None:
            raise PydanticCustomError(
                "fee_empty", "needs form or amount (what is paid, as the source gives it), or free: true if the "
                "source says the procedure costs nothing")
        for name in ("code", "heading", "heading_name"):
            if getattr(self, name) is not None and self.form is None:
                raise PydanticCustomError("fee_empty", "gives {field} without form: name the form it belongs to",
                                          {"field": name})
        return self


FeeOrRef = Annotated[
    Union[Annotated[Fee, Tag("inline")], Annotated[SharedRef, Tag("ref")]], Discriminator(_inline_or_ref)
]


class Section(Model):
    """A titled block of paragraphs: notes, guidance, rules shared by several procedures."""

    id: Slug
    heading: Text
    paragraphs: list[Text] = Field(min_length=1)
    passages: Passages = []


SectionOrRef = Annotated[
    Union[Annotated[Section, Tag("inline")], Annotated[SharedRef, Tag("ref")]], Discriminator(_inline_or_ref)
]


class Permit(Model):
    """What the permit gives the person."""

    provisional: TextOrRef | None = None
    while_valid: TextOrRef | None = Field(None, description="What the person may do while the permit is valid")
    work: TextOrRef | None = None
    duration: TextOrRef | None = None
    renewal: TextOrRef | None = None
    identity_card: TextOrRef | None = None
    passages: Passages = []


class AssistedReturn(Model):
    when: TextOrRef
    where: TextOrRef
    includes: TextOrRef | None = None
    legal_note: TextOrRef | None = None
    passages: Passages = []


class FamilyRule(Model):
    who: list[TextOrRef] = Field(min_length=1)
    conditions: list[TextOrRef] = []
    passages: Passages = []


class Family(Model):
    in_country: FamilyRule | None = None
    abroad: FamilyRule | None = None


# --- files -----------------------------------------------------------------------------------


class Procedure(Model):
    """One residence permit procedure, as one official source describes it."""

    kind: Literal["procedure"]
    id: Slug = Field(description="Also the page address: /guias/<id>/. Never change it once published")
    country: CountryCode
    situations: list[Slug] = Field(min_length=1, description="Ids of situations in countries.yml: whom the permit is for")
    source: Slug = Field(description="Id of a source in sources.yml")
    title: Text = Field(description="Plain-language title")
    official_name: Text = Field(description="Exact legal name")
    summary: Text
    who_for: list[Text] = Field(min_length=1)
    who_files: TextOrRef
    legal_basis: list[LegalReference] = Field([], description="Leave empty if the source cites no law")
    steps: list[StepOrRef] = Field(min_length=1)
    documents: Documents | None = None
    where_to_apply: list[ApplyPlace] = []
    fee: FeeOrRef | None = None
    permit: Permit | None = None
    refusal: Text | None = None
    assisted_return: AssistedReturn | None = None
    family: Family | None = None
    notes: list[SectionOrRef] = []
    passages: Passages = []

    @model_validator(mode="after")
    def _ids(self):
        _unique_ids([s for s in self.steps if isinstance(s, Step)], "steps")
        _unique_ids(self.where_to_apply, "places")
        _unique_ids([n for n in self.notes if isinstance(n, Section)], "notes")
        return self


class Guidance(Model):
    """Practical guidance from a source that is not itself a permit (appointments, documents)."""

    kind: Literal["guidance"]
    id: Slug
    country: CountryCode
    source: Slug
    title: Text
    summary: Text
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self):
        _unique_ids(self.sections, "sections")
        return self


Guide = Annotated[Union[Procedure, Guidance], Field(discriminator="kind")]


class SharedText(Model):
    """A text several procedures say word for word (a guide writes `shared: <id>` where it goes),
    with its passages in each source that says it."""

    id: Slug
    text: Text
    passages: Passages = []


class SharedFile(Model):
    """Pieces written once and used by several procedures."""

    kind: Literal["shared"]
    actors: list[Actor]
    steps: list[Step] = []
    fees: list[Fee] = []
    sections: list[Section] = []
    texts: list[SharedText] = []

    @model_validator(mode="after")
    def _ids(self):
        for items, what in ((self.actors, "actors"), (self.steps, "steps"), (self.fees, "fees"), (self.sections, "sections"),
                            (self.texts, "texts")):
            _unique_ids(items, what)
        return self


class Country(Model):
    """A country the site covers, with the words the site builds its sentences from. Each is a whole
    phrase, translated as a whole: «en Francia», «au Portugal» and «in Portugal» are not one word apart."""

    code: CountryCode = Field(description="Two capital letters (ISO 3166-1: FR, PT). Guides name their country "
                              "by it. A fictitious or test country takes one of the codes ISO leaves free (XA to XZ)")
    name: Text = Field(description="The country's name, as a heading or a table shows it: Francia")
    in_country: Text = Field(description="\"In this country\", as a sentence says it: «en Francia». Sentences "
                             "that name every country ({countries}) list these phrases: «en Francia y en Portugal»")
    quiz_answer: Slug = Field(description="The quiz's answer value for this country: stored in readers' browsers "
                              "and used in quiz.yml's ask_if. Never change it once published")
    quiz_label: Text = Field(description="The quiz's answer for this country: «En Francia»")

    @property
    def id(self) -> str:
        # Gives translations a stable context (countries.countries.<code>.name) whatever the order.
        return self.code


class Situation(Model):
    id: Slug = Field(description="What a guide's situations list names: trata, trafico…")
    about: str | None = Field(None, description="For editors (not shown to readers): which situation this is")


class CountriesFile(Model):
    """countries.yml: the countries the site covers, in the order the site shows them, and the
    situations its permits are for. Everything that names or counts the countries is built from
    here: the quiz's country question and its rules, the comparison page, the texts with
    {countries}."""

    kind: Literal["countries"]
    countries: list[Country] = Field(min_length=1)
    situations: list[Situation] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self):
        _unique_ids(self.countries, "countries")
        _unique_ids(self.situations, "situations")
        seen: set[str] = set()
        for country in self.countries:
            if country.quiz_answer in seen:
                raise PydanticCustomError("duplicate_id", "two countries have the quiz_answer \"{id}\": answers must "
                                          "be unique", {"id": country.quiz_answer})
            seen.add(country.quiz_answer)
        return self


class GlossaryEntry(Model):
    id: Slug = Field(description="Anchor on the glossary page: /guias/glosario/#<id>")
    term: Text
    legal_name: Text | None = None
    definition: Text
    matches: list[Text] = Field(
        [], description="Exact phrases in the guides that link to this entry (first one on a page)"
    )
    sources: list[Slug] = Field([], description="Ids of the sources the definition comes from")


class GlossaryFile(Model):
    kind: Literal["glossary"]
    entries: list[GlossaryEntry]

    @model_validator(mode="after")
    def _ids(self):
        _unique_ids(self.entries, "glossary entries")
        return self


class InterfaceFile(Model):
    """The interface word table, translated like content: the page templates' words (headings,
    labels) and the quiz's. One key, one wording: a key is in one section only."""

    kind: Literal["interface"]
    strings: dict[Slug, Text] = Field(description="Words of the page templates")
    quiz: dict[Slug, Text] = Field({}, description="Words of the quiz pages and results")


LanguageCode = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z]{2}(-[A-Za-z]+)?$")]


class Review(Model):
    """A person who reads the language well checked the whole translation against the Spanish."""

    language: LanguageCode
    reviewer: str = Field(description="Name, or organisation, of the person who reviewed it")
    date: YearMonth


SourceVersion = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[0-9a-f]{12}$"),
    Field(description="The version of the source file checked against: `amparo check` prints it for each source"),
]


class ContentReview(Model):
    """A person checked a guide, text by text, against one version of its official source."""

    guide: Slug = Field(description="Id of a guide in guides/")
    source_version: SourceVersion
    reviewer: str = Field(min_length=1, description="Name, or organisation, as they want it shown on the page")
    date: YearMonth


class ReviewsFile(Model):
    """locale/reviews.yml: which translations, and which guides, a person has reviewed.

    Readers of the other translations are told nobody reviewed them; a guide page says when it
    was checked against its source only if a record names the source's current version."""

    kind: Literal["reviews"]
    reviews: list[Review] = []
    content: list[ContentReview] = Field([], description="Guides checked against their source, oldest first")


# --- the term base (locale/terms.yml) --------------------------------------------------------


def _check_pattern(value: str) -> str:
    if value != value.strip() or "  " in value:
        raise PydanticCustomError("term_pattern", "has spaces at its ends or two in a row: write the words with one space between them")
    if not any(ch.isalnum() for ch in value):
        raise PydanticCustomError("term_pattern", "has no letters: write the words to look for (* stands for the end or start of a word)")
    if "**" in value or any(part.strip("*") == "" for part in value.split()):
        raise PydanticCustomError("term_pattern", "has a * that is not part of a word: * stands for the letters a word may add (autoriza*)")
    return value


TermPattern = Annotated[
    str,
    StringConstraints(strict=True, min_length=1),
    AfterValidator(_check_pattern),
    Field(description="Words as written, any case; * inside or at the end or start of a word stands for any letters "
                      "(autoriza* finds autorización and autorizaciones). Matched as whole words, except in "
                      "languages written without spaces (Chinese)"),
]


class TermRendering(Model):
    """How one language must, and must not, render a term."""

    use: list[TermPattern] = Field(
        [], description="The translation must have one of these wherever the Spanish has the term")
    avoid: list[TermPattern] = Field(
        [], description="Forms the translation must not have where the Spanish has the term: the errors it was "
        "written against")

    @model_validator(mode="after")
    def _something(self):
        if not self.use and not self.avoid:
            raise PydanticCustomError("term_empty", "needs `use` (the required renderings), `avoid` (forbidden forms) or both")
        return self


class Term(Model):
    """A Spanish term that carries legal meaning or certainty, and how each language renders it."""

    id: Slug
    es: list[TermPattern] = Field(min_length=1, description="The Spanish term, in the forms the content writes it")
    why: str = Field(min_length=1, description="Why it earns its place: the legal term, or the error it prevents")
    translations: dict[LanguageCode, TermRendering] = Field(min_length=1)
    spanish_alone_counts: bool = Field(
        True, description="A translation that keeps the Spanish words of every use of the term (an official name kept "
        "in Spanish) renders it; false where the reader's own words must stand beside the Spanish")
    only_in: list[str] = Field(
        [], description="Only the texts of these contexts (msgctxt; * for any part), never the hand-written pages")
    not_in: list[str] = Field([], description="Not the texts of these contexts (msgctxt; * for any part)")


class Variant(Model):
    """The one register and regional variant a language is written in, and the forms of the others."""

    name: str = Field(min_length=1, description="The variant and the form of address, e.g. Brazilian Portuguese, «você»")
    avoid: dict[TermPattern, str] = Field(
        {}, description="Forms of another variant or register, each with what to write instead; they may appear "
        "in no text of the language")


class TermsFile(Model):
    """locale/terms.yml: what every translation must say as the Spanish says it.

    `amparo check` and the build refuse, with the PO file's (or page's) line, a translation whose
    Spanish has a term and which lacks its rendering or uses a form the term base forbids, and any
    text of a language that uses a form its variant forbids."""

    kind: Literal["terms"]
    variants: dict[LanguageCode, Variant] = {}
    terms: list[Term] = []

    @model_validator(mode="after")
    def _ids(self):
        _unique_ids(self.terms, "terms")
        return self


AnyFile = Annotated[
    Union[SourcesFile, SharedFile, CountriesFile, GlossaryFile, InterfaceFile, ReviewsFile, TermsFile, Procedure,
          Guidance],
    Field(discriminator="kind"),
]

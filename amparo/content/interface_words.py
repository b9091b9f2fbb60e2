"""The interface word table (procedures/interface.yml): which words the code uses, by name.

One table, two sections: `strings` for the page templates (guides, comparison, glossary,
translation status, quick exit) and `quiz` for the quiz pages and results. A key is unique
across both, so a word has one wording wherever it is shown; the quiz may use a page word
(QUIZ_PAGE_WORDS). Every key is written out here (never built at run time, like
"mode-" + mode), so `amparo check` can say, with file and line, which word is missing from
the table and which one nothing uses.
"""

from __future__ import annotations

from quiz.engine import LIKELY, NOT_APPLICABLE, POSSIBLE

from .errors import Problem
from .yaml_lines import dotted

# Words the engine itself puts in results (from the quiz section of procedures/interface.yml).
ENGINE_STRINGS = ("summary-likely", "summary-possible", "summary-not-applicable", "date-format")
# Words of the quiz pages: amparo/render/quiz_pages.py, its templates and overrides/assets/quiz/quiz.js use every one.
# who-files, documents, family, assisted-return and no-law-in-source are page words (amparo/content/interface_words.py).
PAGE_STRINGS = (
    "title", "intro", "privacy", "no-script", "fallback", "continue", "back", "change", "choose-one",
    "start-again", "your-answers", "date-input", "result-title", "result-intro", "none-applies", "others",
    "status-likely", "status-possible", "status-not-applicable", "met", "unmet", "unknown", "reasons",
    "conditions", "legal-reference", "who-files", "next-steps", "documents", "family", "assisted-return",
    "your-deadlines", "deadline-no-date", "counting", "read-guide", "disclaimer", "print", "print-answers",
    "static-title", "static-intro", "static-no-dates", "dates-calculating", "dates-unavailable", "save-data",
    "save-data-note", "site-covers", "first-step", "sources-silent", "no-law-in-source", "date-day", "date-month",
    "date-year", "date-incomplete", "date-impossible", "date-future", "leave-warning", "leave-stay", "leave-go",
)

# Values of structured fields → their words.
MODE_WORDS = {"in_person": "mode-in-person", "online": "mode-online"}
PERMIT_WORDS = {"provisional": "permit-provisional", "while_valid": "permit-while-valid", "work": "permit-work",
                "duration": "permit-duration", "renewal": "permit-renewal", "identity_card": "permit-identity-card"}
FAMILY_WORDS = {"in_country": "family-in-country", "abroad": "family-abroad"}
PAGE_STATE_WORDS = {"current": "status-page-current", "outdated": "status-page-outdated",
                    "missing": "status-page-missing"}
BOUND_WORDS = {"at_most": "bound-at-most", "at_least": "bound-at-least", "exactly": "bound-exactly"}
# (unit, the amount is one) → its word.
UNIT_WORDS = {
    ("hours", True): "unit-hours-one", ("hours", False): "unit-hours-other",
    ("days", True): "unit-days-one", ("days", False): "unit-days-other",
    ("business_days", True): "unit-business-days-one", ("business_days", False): "unit-business-days-other",
    ("months", True): "unit-months-one", ("months", False): "unit-months-other",
    ("years", True): "unit-years-one", ("years", False): "unit-years-other",
}
# A leaflet's paper size → the word of its PDF download.
PAPER_WORDS = {"a4": "leaflet-pdf-a4", "a5": "leaflet-pdf-a5"}
# A permit's status in a result → its word.
# The parts of a quiz result that are its permit's guide sections, copied from the guide
# (quiz_export): outcome field → its heading's anchor in the guide page (kept once published)
# and the result's word for it. The static quiz links to them instead of repeating them.
GUIDE_PARTS = {"next_steps": ("pasos", "next-steps"), "documents": ("documentos", "documents"),
               "family": ("familia", "family"), "assisted_return": ("retorno-asistido", "assisted-return")}
STATUS_WORDS = {LIKELY: "status-likely", POSSIBLE: "status-possible", NOT_APPLICABLE: "status-not-applicable"}

# Leaflets, posters, the organisations page and moved addresses (amparo/render/leaflets.py, links.py, templates).
ORGANISATION_WORDS = (
    "leaflet-page-title", "leaflet-intro", "leaflet-qr-svg", "leaflet-guide-link", "leaflet-first-steps",
    "leaflet-more-steps", "leaflet-scan", "leaflet-safety", "leaflet-not-advice", "poster-page-title",
    "poster-multilingual-title", "poster-headline", "poster-text", "poster-scan", "poster-private", "poster-pdf",
    "organisations-title", "organisations-intro", "organisations-what-heading", "organisations-what",
    "organisations-not-advice", "organisations-no-data", "organisations-link-heading", "organisations-link-intro",
    "organisations-link-guide", "organisations-link-section", "organisations-link-quiz",
    "organisations-link-language", "organisations-guides-heading", "organisations-guides-intro",
    "organisations-language", "organisations-address", "organisations-leaflet", "organisations-qr",
    "organisations-posters-heading", "organisations-posters-intro", "organisations-poster-page", "redirect-title",
    "redirect-text", "preview-title", "preview-text", "preview-fix",
)
# An address that does not exist (amparo/render/not_found_pages.py, overrides/404.html).
NOT_FOUND_WORDS = ("not-found-title", "not-found-text", "not-found-home", "not-found-languages")
# The words the page templates use by name (amparo/render/markdown_pages.py, site.py, i18n.py, plugin.py).
PAGE_WORDS = (
    "source", "source-document", "publisher", "last-updated", "no-date", "translation-title", "translation-notice",
    "translation-prevails", "official-name", "summary", "who-for", "who-files", "steps", "step-title", "who-acts",
    "deadline", "counted-from", "start-not-in-source", "documents", "only-if", "condition", "risk-exemption", "where",
    "fee", "fee-free", "fee-form", "fee-code", "fee-heading", "fee-heading-name", "fee-amount", "fee-payer", "fee-due",
    "deadlines", "see-step",
    "permit", "refusal", "family", "assisted-return", "return-when", "return-where", "return-includes", "legal-basis",
    "no-law-in-source", "comparison-title", "comparison-intro", "comparison-sources", "criterion", "country",
    "not-in-source", "glossary-title", "glossary-intro", "exit", "exit-hint", "exit-safety", "exit-group",
    "exit-two-more", "exit-one-more",
    "unreviewed-notice", "untranslated-title", "untranslated-notice", "page-untranslated-notice",
    "page-outdated-notice", "status-link", "status-title", "status-intro", "status-language", "status-translated",
    "status-outdated", "status-missing", "status-reviewed", "status-reviewed-yes", "status-reviewed-no",
    "status-pages", "status-source", "status-details", "duration", "stale-title", "stale-notice", "permalink",
    "checked-against-source",
    *ORGANISATION_WORDS, *NOT_FOUND_WORDS,
    *MODE_WORDS.values(), *PERMIT_WORDS.values(), *FAMILY_WORDS.values(),
    *PAGE_STATE_WORDS.values(), *BOUND_WORDS.values(), *UNIT_WORDS.values(), *PAPER_WORDS.values(),
)
# Page words the quiz shows too, with the same wording (its results' section titles).
QUIZ_PAGE_WORDS = ("who-files", "documents", "family", "assisted-return", "no-law-in-source")
QUIZ_WORDS = tuple(key for key in ENGINE_STRINGS + PAGE_STRINGS if key not in QUIZ_PAGE_WORDS)


def word_problems(table, document, display: str) -> list:
    """The table against the code: each word the code names is there, in its section; each word
    there is named by the code; no key in both sections. Each problem with file, line and field."""
    problems = []

    def problem(location: tuple, message: str) -> None:
        problems.append(Problem(display, document.line_of(location), dotted(location), message))

    for key in table.quiz:
        if key in table.strings:
            problem(("quiz", key), f"is also in strings: a word has one key, in one section (the quiz can use '{key}' "
                    "from strings: list it in QUIZ_PAGE_WORDS, amparo/content/interface_words.py)")
    for key in PAGE_WORDS:
        if key not in table.strings:
            problem(("strings",), f"has no '{key}': the page templates use it (amparo/content/interface_words.py)")
    for key in QUIZ_WORDS:
        if key not in table.quiz:
            problem(("quiz",), f"has no '{key}': the quiz {'results' if key in ENGINE_STRINGS else 'pages'} use it")
    for key in table.strings:
        if key not in PAGE_WORDS:
            problem(("strings", key), "is used by no page template: remove it, or use it and list it in PAGE_WORDS "
                    "(amparo/content/interface_words.py)")
    for key in table.quiz:
        if key not in QUIZ_WORDS and key not in table.strings:
            problem(("quiz", key), "is used by no quiz page: remove it, or use it and list it in PAGE_STRINGS "
                    "(amparo/content/quiz_models.py)")
    if "date-format" in table.quiz:
        try:
            str(table.quiz["date-format"]).format(day="31", month="01", year="2025")
        except (KeyError, IndexError, ValueError):
            problem(("quiz", "date-format"), "may only use the placeholders {day}, {month} and {year}")
    return problems

"""The quiz page of one language: the live quiz's first question and, for browsers that cannot run
it, a static version of every path. No MkDocs here (see render.py).

The page is Markdown (title and introduction, which search indexes) with a marker where the quiz
goes; `quiz_html` is the HTML that replaces the marker once the page is rendered. Its links and
script addresses start with `SITE_ROOT`, which the adapter replaces by the page's relative path
to the site root.

The static version is a page of sections: every state of the quiz, each shown by CSS when its
fragment is the target. Links are fragments only, so no answer ever reaches a server, and the
fragment ids are opaque (`#s12`), so the address bar and the history never spell out an answer.
"""

from __future__ import annotations

import json
from html import escape

from quiz.engine import NO_SE, evaluate
from quiz.enumerate import walk_nodes

QUIZ_PAGE = "cuestionario/index.md"
STATIC_QUIZ_PAGE = "cuestionario/sencillo.md"
MARKER = "<!-- amparo:quiz -->"
SITE_ROOT = "%AMPARO_SITE_ROOT%"
RUNTIME_FOLDER = "assets/quiz/runtime/"


def flow_file(language: str) -> str:
    return f"flow.{language}.json"


def quiz_markdown(flow: dict) -> str:
    words = flow["strings"]
    return "\n".join([f"# {escape(words['title'])}", "", escape(words["intro"]), "",
                      escape(words["privacy"]), "{: .amparo-quiz__privacy }", "", MARKER, ""])


def static_quiz_markdown(flow: dict) -> str:
    words = flow["strings"]
    return "\n".join([f"# {escape(words['static-title'])}", "", escape(words["static-intro"]), "",
                      MARKER, "", f"[{escape(words['title'])}](index.md)", ""])


def _e(text) -> str:
    return escape(str(text), quote=True)


def _question_form(question: dict, words: dict) -> str:
    """The first question as a plain form, the same markup quiz.js draws for every question.

    Hidden until quiz.js shows it: without JavaScript the static version is used instead, and a
    form that could be submitted would put the answer in the address. method="dialog" outside
    a dialog does nothing when submitted, which keeps it that way even if a script fails.
    """
    options = []
    for option in question["options"]:
        option_id = f"q-{question['id']}-{option['value']}"
        options.append(f'<div class="amparo-quiz__option"><input type="radio" name="answer" id="{_e(option_id)}" '
                       f'value="{_e(option["value"])}"><label for="{_e(option_id)}">{_e(option["label"])}</label></div>')
    help_text = f'<p class="amparo-quiz__help">{_e(question["help"])}</p>' if question.get("help") else ""
    return (f'<form data-question="{_e(question["id"])}" data-type="{_e(question["type"])}" method="dialog" novalidate hidden>'
            f'<fieldset><legend><h2>{_e(question["text"])}</h2></legend>{help_text}{"".join(options)}</fieldset>'
            f'<p class="amparo-quiz__error" role="alert" hidden>{_e(words["choose-one"])}</p>'
            f'<div class="amparo-quiz__buttons"><button type="submit" class="md-button md-button--primary">'
            f'{_e(words["continue"])}</button></div></form>')


def _outcome_block(outcome: dict, words: dict) -> str:
    parts = [f'<section class="amparo-outcome amparo-outcome--{_e(outcome["status"])}">',
             f'<h4><span class="amparo-outcome__status">{_e(words["status-" + outcome["status"].replace("_", "-")])}:</span> '
             f'{_e(outcome["title"])}</h4>']
    if outcome["summary_text"]:
        parts.append(f"<p>{_e(outcome['summary_text'])}</p>")
    if outcome["conditions"]:
        parts.append(f"<p><strong>{_e(words['conditions'])}</strong></p><ul>"
                     + "".join(f"<li>{_e(text)}</li>" for text in outcome["conditions"]) + "</ul>")
    if outcome["reasons"]:
        marks = {True: words["met"], False: words["unmet"], None: words["unknown"]}
        # Usually every reason has the permit's own legal reference: say it once, then.
        references = {reason["legal_reference"] for reason in outcome["reasons"]}
        shared = references.pop() if len(references) == 1 else None
        parts.append(f"<p><strong>{_e(words['reasons'])}</strong></p><ul>" + "".join(
            f"<li><strong>{_e(marks[reason['met']])}:</strong> {_e(reason['text'])}"
            + ("" if shared else f' <span class="amparo-outcome__law">({_e(reason["legal_reference"])})</span>')
            + "</li>" for reason in outcome["reasons"]) + "</ul>")
        if shared:
            parts.append(f'<p class="amparo-outcome__law">{_e(words["legal-reference"])}: {_e(shared)}</p>')
    if outcome["status"] != "not_applicable":
        if outcome["who_files"]:
            parts.append(f"<p><strong>{_e(words['who-files'])}:</strong> {_e(outcome['who_files'])}</p>")
        if outcome["deadlines"]:
            parts.append(f"<p><strong>{_e(words['deadlines'])}</strong></p><ul>" + "".join(
                f"<li><strong>{_e(deadline['label'])}.</strong> {_e(deadline['rule'])} "
                f"{_e(words['counting'])}: {_e(deadline['counting'])}</li>" for deadline in outcome["deadlines"]) + "</ul>")
    parts.append(f'<p><a href="{SITE_ROOT}{_e(outcome["page"])}">{_e(words["read-guide"])}: {_e(outcome["title"])}</a></p>')
    parts.append("</section>")
    return "".join(parts)


def _result_block(result: dict, words: dict) -> str:
    applies = [o for o in result["outcomes"] if o["status"] != "not_applicable"]
    others = [o for o in result["outcomes"] if o["status"] == "not_applicable"]
    parts = [f"<h3>{_e(words['result-title'])}</h3>",
             f"<p>{_e(words['result-intro'] if applies else words['none-applies'])}</p>"]
    parts += [_outcome_block(outcome, words) for outcome in applies]
    if others:
        parts.append(f"<details><summary>{_e(words['others'])}</summary>"
                     + "".join(_outcome_block(outcome, words) for outcome in others) + "</details>")
    parts.append(f'<p class="amparo-quiz__disclaimer">{_e(words["disclaimer"])}</p>')
    return "".join(parts)


def static_quiz(flow: dict) -> str:
    """Every state of the quiz as a section; results that read the same are written once."""
    words = flow["strings"]
    nodes = {_key(answers): result for answers, result in walk_nodes(flow)}
    state_ids: dict[str, str] = {}
    results: dict[str, str] = {}          # result HTML → its section id
    for key, result in nodes.items():
        if result["done"]:
            block = _result_block(result, words)
            state_ids[key] = results.setdefault(block, f"r{len(results)}")
        else:
            state_ids[key] = f"s{len(state_ids)}"

    sections = []
    for key, result in nodes.items():
        question = result["next"]
        if question is None:
            continue
        answers = json.loads(key)
        choices = [NO_SE] if question["type"] == "date" else [option["value"] for option in question["options"]]
        labels = {option["value"]: option["label"] for option in question["options"]}
        links = []
        for value in choices:
            destination = state_ids[_key({**answers, question["id"]: value})]
            label = words["continue"] if question["type"] == "date" else labels[value]
            links.append(f'<li><a href="#{destination}">{_e(label)}</a></li>')
        body = f"<h3>{_e(question['text'])}</h3>"
        if question.get("help"):
            body += f'<p class="amparo-quiz__help">{_e(question["help"])}</p>'
        if question["type"] == "date":
            body += f"<p>{_e(words['static-no-dates'])}</p>"
        sections.append(f'<section class="amparo-static__state" id="{state_ids[key]}">{body}'
                        f'<ul class="amparo-static__answers">{"".join(links)}</ul></section>')
    start_again = f'<p><a href="#s0">{_e(words["start-again"])}</a></p>'
    for block, state in results.items():
        sections.append(f'<section class="amparo-static__state amparo-static__result" id="{state}">{block}{start_again}</section>')
    return "".join(sections)


def _key(answers: dict) -> str:
    return json.dumps(answers, sort_keys=True)


def quiz_html(flow: dict, runtime_bytes: int) -> str:
    """The live quiz: the first question at once, the engine loading behind it.

    Without JavaScript, or when the engine cannot start, the reader is sent to the static version
    (a page of its own, so that this one stays as light as a guide page).
    """
    words = flow["strings"]
    first = evaluate(flow, {}, "2025-01-01")["next"]
    flow_bytes = len(json.dumps(flow, ensure_ascii=False).encode("utf-8"))
    simple = f'<a href="sencillo/">{_e(words["static-title"])}</a>'
    live = (f'<div id="amparo-quiz" class="amparo-quiz" data-runtime="{SITE_ROOT}{RUNTIME_FOLDER}" '
            f'data-worker="{SITE_ROOT}assets/quiz/worker.mjs" data-flow="{flow_file(flow["language"])}" '
            f'data-bytes="{runtime_bytes + flow_bytes}" data-site-root="{SITE_ROOT}">'
            f'<p class="amparo-quiz__no-script">{_e(words["no-script"])} {simple}</p>'
            f'<div class="amparo-quiz__status" hidden><label for="amparo-quiz-progress">{_e(words["loading"])}</label> '
            f'<progress id="amparo-quiz-progress" max="100" value="0"></progress></div>'
            f"{_question_form(first, words)}"
            f'<div class="amparo-quiz__stage"></div>'
            f'<p class="amparo-quiz__fallback" role="alert" hidden>{_e(words["fallback"])} {simple}</p></div>')
    # Only the words quiz.js needs: never answers, and no code (a JSON block is not executed).
    words_json = json.dumps(words, ensure_ascii=False).replace("<", "\\u003c")
    return (live + f'<script type="application/json" id="amparo-quiz-words">{words_json}</script>'
            # Not deferred: it runs as soon as the quiz is parsed, so the first question is usable
            # and the engine starts loading before the theme's larger script has even arrived.
            f'<script src="{SITE_ROOT}assets/quiz/quiz.js"></script>')


def static_quiz_html(flow: dict) -> str:
    return f'<div id="amparo-static" class="amparo-static">{static_quiz(flow)}</div>'

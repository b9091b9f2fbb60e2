"""The HTML templates in amparo/templates/ (quiz screens, leaflets, posters): one environment,
every value escaped unless the template is given markup this build made."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from quiz.engine import NOT_APPLICABLE


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "templates"),
                                     autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    # The engine's status of a permit that does not fit, named as the engine names it.
    environment.globals["NOT_APPLICABLE"] = NOT_APPLICABLE
    return environment


def html_template(name: str) -> jinja2.Template:
    return _environment().get_template(name)


def render_html(template: str, **values) -> str:
    return _environment().get_template(template).render(**values).strip()

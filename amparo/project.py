"""The project as mkdocs.yml describes it, and the default of every setting, written once.

The `amparo` command and the tests read mkdocs.yml here; the MkDocs plugin gets the same
settings from MkDocs (amparo/config.py, whose defaults are these). No MkDocs here: mkdocs.yml's
few tags are read by a small loader of our own, so nothing that needs the settings needs MkDocs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .content.errors import ContentError, Problem
from .content.forbidden_characters import decode_utf8
from .content.loader import on_another_host
from .content.models import SOURCE_LANGUAGE
from .content.yaml_lines import yaml_error_line
from .publish.build_settings import MAX_SOURCE_AGE_MONTHS, Settings

CONFIG_FILE = "mkdocs.yml"
CONTENT_DIR = "procedures"
SOURCES_DIR = "procedures/sources"
# The Pyodide runtime from npm, served by the site itself with the quiz engine.
RUNTIME_DIR = "node_modules/pyodide"
# Build products reused between builds (the trimmed standard library takes seconds).
CACHE_DIR = ".cache/amparo"
# Where the quick-exit button (overrides/partials/amparo-exit.html) and the 404 page's exit link
# go unless mkdocs.yml's `extra.quick_exit_url` says otherwise: a page that looks ordinary in a
# history list.
QUICK_EXIT_URL = "https://www.google.com/"


class _ConfigLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):   # libyaml's parser when installed: faster
    """YAML as MkDocs reads mkdocs.yml: safe, plus `!ENV` and `!!python/name:` (taken as names)."""


def _environment_value(loader: _ConfigLoader, node: yaml.Node) -> Any:
    # `!ENV NAME` or `!ENV [NAME, OTHER_NAME, default]`: the first variable that is set, else the
    # default; a variable's value is typed as YAML types it (`true` is a boolean), as in MkDocs.
    default = None
    names = [node] if isinstance(node, yaml.ScalarNode) else list(node.value)
    if isinstance(node, yaml.SequenceNode) and len(names) > 1:
        default = loader.construct_object(names.pop())
    for name in (loader.construct_scalar(item) for item in names):
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _python_name(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> str:
    # Markdown extensions name Python functions this way; we only need to read past them.
    return suffix


_ConfigLoader.add_constructor("!ENV", _environment_value)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


def read_config(config_file: Path) -> dict:
    """mkdocs.yml as data; raises ContentError (file:line) if it is missing or not YAML."""
    config_file = Path(config_file)
    try:
        text, bad_line, why = decode_utf8(config_file.read_bytes())
    except FileNotFoundError:
        raise ContentError([Problem(str(config_file), 1, "", "is missing: run amparo in the project's folder, "
                                    "or name the file with --config-file")]) from None
    if text is None:
        raise ContentError([Problem(str(config_file), bad_line, "", why)])
    try:
        config = yaml.load(text, Loader=_ConfigLoader)
    except yaml.MarkedYAMLError as error:
        raise ContentError([Problem(str(config_file), yaml_error_line(error), "",
                                    f"is not valid YAML ({error.problem})")]) from None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ContentError([Problem(str(config_file), 1, "", "must be a group of settings (key: value lines)")])
    return config


# An address on another host: with a scheme (https:…) or protocol-relative (//host/…).


def remote_resource_problems(config_file: Path, config: dict) -> list[Problem]:
    """What mkdocs.yml would make every page load from another host: a stylesheet or script
    (extra_css, extra_javascript), the theme's logo or icon, or Google Fonts (theme.font). Each
    would tell that host who reads the site; the pages' policy would block it, but it must not
    ship. With the line of the setting."""
    lines = Path(config_file).read_text(encoding="utf-8", errors="replace").splitlines()

    def line_of(value: str) -> int:
        return next((number for number, line in enumerate(lines, 1) if value in line), 1)

    problems = []
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    found = [("extra_css", entry) for entry in config.get("extra_css") or []]
    found += [("extra_javascript", entry) for entry in config.get("extra_javascript") or []]
    found += [(f"theme.{key}", theme[key]) for key in ("logo", "favicon") if key in theme]
    for setting, entry in found:
        address = entry.get("path", "") if isinstance(entry, dict) else str(entry)
        if on_another_host(address):
            problems.append(Problem(str(Path(config_file).name), line_of(address), setting,
                                    f"loads {address} from another host on every page: serve the file from the site "
                                    "itself (overrides/assets/)"))
    if theme.get("font", False) is not False:
        problems.append(Problem(str(Path(config_file).name), line_of("font:"), "theme.font",
                                "must be false: a font name makes every page load it from Google Fonts"))
    return problems


def plugin_settings(config: dict) -> dict:
    """Plugin name → its settings, from mkdocs.yml's list (where a plugin may be a bare name)."""
    found = {}
    for entry in config.get("plugins", []):
        if isinstance(entry, dict):
            found.update(entry)
        else:
            found[entry] = {}
    return found


@dataclass
class Project:
    root: Path
    content_dir: Path
    sources_dir: Path
    site_dir: Path
    docs_dir: Path
    languages: list[str]
    complete_languages: list[str]
    language_names: dict[str, str]
    max_source_age_months: int = MAX_SOURCE_AGE_MONTHS
    today: date | None = None
    default_language: str = SOURCE_LANGUAGE
    config_file: Path | None = None
    cache_dir: Path | None = None

    @property
    def translated_languages(self) -> list[str]:
        return [language for language in self.languages if language != SOURCE_LANGUAGE]

    def settings(self) -> Settings:
        return Settings(self.languages, self.complete_languages, self.language_names, self.docs_dir,
                        max_source_age_months=self.max_source_age_months, today=self.today, cache_dir=self.cache_dir)


def read_project(config_file: Path = Path(CONFIG_FILE)) -> Project:
    """Settings from mkdocs.yml, so the command and the site build never disagree."""
    config_file = Path(config_file).resolve()
    config = read_config(config_file)
    plugins = plugin_settings(config)
    amparo = plugins.get("amparo") or {}
    i18n = plugins.get("i18n") or {}
    built = [lang for lang in i18n.get("languages", []) if lang.get("build", True)]
    languages = [lang["locale"] for lang in built] or [SOURCE_LANGUAGE]
    root = config_file.parent
    return Project(
        root=root,
        content_dir=root / amparo.get("content_dir", CONTENT_DIR),
        sources_dir=root / amparo.get("sources_dir", SOURCES_DIR),
        site_dir=root / config.get("site_dir", "site"),
        docs_dir=root / config.get("docs_dir", "docs"),
        languages=languages,
        complete_languages=amparo.get("complete_languages", []),
        language_names={lang["locale"]: lang.get("name", lang["locale"]) for lang in built},
        max_source_age_months=amparo.get("max_source_age_months", MAX_SOURCE_AGE_MONTHS),
        today=date.fromisoformat(amparo["today"]) if amparo.get("today") else None,
        default_language=next((lang["locale"] for lang in built if lang.get("default")), languages[0]),
        config_file=config_file,
        cache_dir=root / amparo.get("cache_dir", CACHE_DIR),
    )

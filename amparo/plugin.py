"""The MkDocs adapter: thin on purpose. The work is in plain functions: publish/generated_pages.py
builds and renders everything, publish/finishing.py finishes pages and the site,
publish/engine_bundle.py packs the quiz for the browser."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

import quiz
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from .config import AmparoConfig
from .content.errors import ContentError
from .content.models import SOURCE_LANGUAGE
from .project import QUICK_EXIT_URL, Settings, read_config, remote_resource_problems
from .publish.csp import add_policy
from .publish.engine_bundle import bundle, download_bytes
from .publish.finishing import finish_page, finish_site
from .publish.generated_pages import Site, build_site, fingerprint, write_stubs
from .publish.pdf_build import BuildPrinter
from .publish.pdf_printing import PrintError
from .publish.redirects import finish_print
from .publish.search_index import language_base
from .render.leaflets import PRINT_FOLDER, print_jobs
from .render.not_found_pages import NOT_FOUND, language_homes, not_found_context, write_not_found_pages

THEME_WORDS = ("exit", "exit-hint", "exit-safety", "exit-group", "exit-two-more", "exit-one-more")
# jieba (Chinese words for the search index) announces loading its dictionary on every build.
logging.getLogger("jieba").setLevel(logging.WARNING)
_log = logging.getLogger("amparo")
if not _log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  amparo: %(message)s"))
    _log.addHandler(_handler)
    _log.propagate = False
# The engine shipped to browsers is the one installed here, the same the tests run.
QUIZ_DIR = Path(quiz.__file__).parent


class AmparoPlugin(BasePlugin[AmparoConfig]):
    # mkdocs-static-i18n runs one build per language in this same process; the content is
    # loaded once and reused while no file under procedures/ changes.
    def __init__(self):
        self.site: Site | None = None
        self._fingerprint = ""
        self._runtime: dict[str, Path] = {}
        self._serving = False
        self._printer = BuildPrinter()
        self._not_found: dict[str, str] = {}   # language → its rendered not-found page
        self._not_found_context: dict = {}   # what the not-found page shows in the language being built

    def on_startup(self, command, dirty):
        # `mkdocs serve` prints no PDFs (seconds per build); `mkdocs build` and `amparo build` do.
        self._serving = command == "serve"

    def _path(self, config, setting: str) -> Path:
        return Path(config.config_file_path).parent / self.config[setting]

    def on_config(self, config):
        # The one default of the quick-exit address, for the theme's templates and the redirect pages.
        config.extra["quick_exit_url"] = config.extra.get("quick_exit_url") or QUICK_EXIT_URL
        # Everything is loaded and rendered here, before MkDocs empties site/: a content error
        # stops the build with the previous site still in place.
        content_dir, sources_dir = self._path(config, "content_dir"), self._path(config, "sources_dir")
        current = fingerprint(content_dir, sources_dir, QUIZ_DIR)
        if self.site is None or current != self._fingerprint:
            try:
                self._runtime = bundle(self._path(config, "runtime_dir"), QUIZ_DIR,
                                       self._path(config, "cache_dir") / "quiz-runtime", self._path(config, "cache_dir"))
            except FileNotFoundError as error:
                raise PluginError(str(error)) from None
            runtime_bytes = download_bytes(self._runtime.values())
            try:
                # What mkdocs.yml itself would load from another host (a script, a stylesheet, a font).
                remote = remote_resource_problems(Path(config.config_file_path), read_config(Path(config.config_file_path)))
                if remote:
                    raise ContentError(remote)
                settings = Settings(_languages(config), self.config.complete_languages, _language_names(config),
                                    Path(config.docs_dir), runtime_bytes, self.config.max_source_age_months,
                                    date.fromisoformat(self.config.today) if self.config.today else None,
                                    config.site_url or "", self._path(config, "cache_dir"))
                self.site = build_site(content_dir, sources_dir, settings)
                for source_id, age in settings.stale_sources(self.site.content).items():
                    # Not a MkDocs warning, which --strict would turn into a failed build: an old
                    # source is a reason to check it, not to stop publishing.
                    _log.warning("source '%s' was last updated %d months ago (more than %d): check for a newer version, "
                                 "then update its last_updated in %s/sources.yml", source_id, age,
                                 self.config.max_source_age_months, self.config.content_dir)
            except ContentError as error:
                raise PluginError(error.report()) from None
            self._fingerprint = current
        write_stubs(Path(config.docs_dir), list(self.site.pages))
        return config

    def on_env(self, env, config, files):
        # The theme's own words (quick exit, safety link) in the language being built.
        language = _building_language(config)
        words = self.site.words[language]
        env.globals["amparo_words"] = {key: words(key) for key in THEME_WORDS}
        # Made once per language's build: its not-found page's language menu reads it too (on_pre_template).
        self._not_found_context = not_found_context(self.site.words, _language_names(config), _languages(config),
                                                    language, SOURCE_LANGUAGE, config.site_url or "")
        env.globals["amparo_not_found"] = self._not_found_context
        # mkdocs.yml's site_description (each language's, from mkdocs-static-i18n) names the
        # countries with {countries}: the countries of countries.yml, as this language lists them.
        if config.site_description:
            config.site_description = words.fill(config.site_description)
        return env

    def on_pre_template(self, template, template_name, config):
        if template_name == NOT_FOUND:
            # Its language menu leads to each language's home: there is no same page elsewhere.
            # mkdocs-static-i18n sets the menu again for each page, as an attribute (which the
            # theme reads before the mapping's item): set both.
            homes = language_homes(self._not_found_context["ways"])
            config.extra["alternate"] = homes
            config.extra.alternate = homes
        return template

    def on_serve(self, server, config, builder):
        for folder in (self._path(config, "content_dir"), self._path(config, "sources_dir"), QUIZ_DIR):
            server.watch(str(folder))
        return server

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri.startswith(PRINT_FOLDER + "/"):
            # Leaflets and posters repeat the guides: search finds the guides.
            page.meta["search"] = {**page.meta.get("search", {}), "exclude": True}
        page_versions = self._versions(page)
        if page_versions:
            return page_versions[_building_language(config)].markdown
        return self.site.handwritten_markdown(markdown, page.file.src_uri, _building_language(config))

    @event_priority(-200)  # after every other plugin has changed the page
    def on_post_page(self, output, page, config):
        return finish_page(output, self.site, page.file.src_uri, page.url, config.site_url,
                           _building_language(config), SOURCE_LANGUAGE)

    def on_post_template(self, output_content, template_name, config):
        # 404.html is rendered as a template, not a page: it needs the policy too, and its search
        # pointed at its language's index. Each language's is kept, to be put in its folder.
        if template_name == NOT_FOUND:
            language = _building_language(config)
            self._not_found[language] = add_policy(language_base(output_content, language, SOURCE_LANGUAGE))
            return self._not_found[language]
        return add_policy(output_content) if template_name.endswith(".html") else output_content

    def _printing(self) -> bool:
        # The leaflets' and posters' PDFs: by `mkdocs build` and `amparo build`, not by `mkdocs serve`.
        return not self._serving and os.environ.get("AMPARO_PDF", "on") != "off"

    # Before mkdocs-static-i18n's (-100), which builds the other languages from the Spanish
    # build's: each language's sheets are printed, in a thread, while the next language builds.
    @event_priority(-90)
    def _print_built_language(self, config):
        if self._printing():
            try:
                self._printer.language_built(Path(config.site_dir), self._pdf_cache(config), self._print_jobs(config),
                                             _languages(config), _building_language(config))
            except PrintError as error:
                raise PluginError(str(error)) from None

    # After mkdocs-static-i18n's (-100): the site is complete.
    @event_priority(-150)
    def _finish_site(self, config):
        i18n = config.plugins.get("i18n")
        if getattr(i18n, "building", False):
            return  # one of the other languages' builds: the last call, below, sees the whole site
        site_dir = Path(config.site_dir)
        write_not_found_pages(site_dir, self._not_found, SOURCE_LANGUAGE)
        finish_site(site_dir, self.site, list(self._runtime.values()), _languages(config), SOURCE_LANGUAGE)
        try:
            finish_print(site_dir, self.site, _languages(config), config.site_url or "", self._path(config, "content_dir"),
                         config.extra["quick_exit_url"])
            if self._printing():
                self._printer.finish(site_dir, self._pdf_cache(config), self._print_jobs(config), _languages(config))
        except (PrintError, ContentError) as error:
            raise PluginError(error.report() if isinstance(error, ContentError) else str(error)) from None

    on_post_build = CombinedEvent(_print_built_language, _finish_site)

    def _pdf_cache(self, config) -> Path:
        return self._path(config, "cache_dir") / "pdf"

    def _print_jobs(self, config):
        return print_jobs([guide.id for guide in self.site.content.guides], _languages(config))

    def _versions(self, page):
        return self.site.pages.get(page.file.src_uri) if self.site else None


def _languages(config) -> list[str]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return [config.theme.get("language", "es")]
    return [language.locale for language in i18n.config.languages if language.build]


def _language_names(config) -> dict[str, str]:
    i18n = config.plugins.get("i18n")
    return {language.locale: language.name for language in i18n.config.languages} if i18n is not None else {}


def _building_language(config) -> str:
    # A page without its own translation is the Spanish file, built again for each language:
    # the language of this build, not of the file, decides what to render.
    i18n = config.plugins.get("i18n")
    language = getattr(i18n, "current_language", None) if i18n is not None else None
    return language or config.theme.get("language", "es")

"""The MkDocs adapter: thin on purpose. The work is in site.py, render.py and csp.py."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from .config import AmparoConfig
from .csp import add_policy, headers_file
from .errors import ContentError
from .site import Site, build_site, fingerprint, write_stubs


class AmparoPlugin(BasePlugin[AmparoConfig]):
    # mkdocs-static-i18n runs one build per language in this same process; the content is
    # loaded once and reused while no file under procedures/ changes.
    def __init__(self):
        self.site: Site | None = None
        self._fingerprint = ""

    def _paths(self, config) -> tuple[Path, Path]:
        base = Path(config.config_file_path).parent
        return base / self.config.content_dir, base / self.config.sources_dir

    def on_config(self, config):
        # Everything is loaded and rendered here, before MkDocs empties site/: a content error
        # stops the build with the previous site still in place.
        content_dir, sources_dir = self._paths(config)
        current = fingerprint(content_dir, sources_dir)
        if self.site is None or current != self._fingerprint:
            try:
                self.site = build_site(content_dir, sources_dir, _languages(config), self.config.complete_languages)
            except ContentError as error:
                raise PluginError(error.report()) from None
            self._fingerprint = current
        write_stubs(Path(config.docs_dir), list(self.site.pages))
        return config

    def on_serve(self, server, config, builder):
        content_dir, sources_dir = self._paths(config)
        server.watch(str(content_dir))
        server.watch(str(sources_dir))
        return server

    def on_page_markdown(self, markdown, page, config, files):
        versions = self.site.pages.get(page.file.src_uri) if self.site else None
        if versions is None:
            return markdown
        return versions[_building_language(config)].markdown

    @event_priority(-200)  # after every other plugin has changed the page
    def on_post_page(self, output, page, config):
        return add_policy(output)

    def on_post_template(self, output_content, template_name, config):
        # 404.html is rendered as a template, not a page: it needs the policy too.
        return add_policy(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, config):
        # Runs once per language build; writing the whole file each time keeps it idempotent.
        (Path(config.site_dir) / "_headers").write_text(headers_file(Path(config.site_dir)), encoding="utf-8")


def _languages(config) -> list[str]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return [config.theme.get("language", "es")]
    return [language.locale for language in i18n.config.languages if language.build]


def _building_language(config) -> str:
    # A page without its own translation is the Spanish file, built again for each language:
    # the language of this build, not of the file, decides what to render.
    i18n = config.plugins.get("i18n")
    language = getattr(i18n, "current_language", None) if i18n is not None else None
    return language or config.theme.get("language", "es")

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class AmparoConfig(Config):
    content_dir = c.Type(str, default="procedures")
    sources_dir = c.Type(str, default="procedures/sources")
    # Languages published as complete: a missing or outdated translation there fails the build
    # instead of showing the Spanish text.
    complete_languages = c.ListOfItems(c.Type(str), default=[])
    # The Pyodide runtime from npm, served by the site itself with the quiz engine.
    runtime_dir = c.Type(str, default="node_modules/pyodide")
    # Build products reused between builds (the trimmed standard library takes seconds).
    cache_dir = c.Type(str, default=".cache/amparo")

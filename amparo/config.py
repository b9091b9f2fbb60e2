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
    # A source last updated longer ago than this many months may be out of date: the build warns
    # and its pages tell readers to check the official text.
    max_source_age_months = c.Type(int, default=12)
    # The day ages are counted to, YYYY-MM-DD; empty: the day of the build.
    today = c.Type(str, default="")

"""The plugin's settings in mkdocs.yml, for MkDocs to check; their defaults are amparo/project.py's."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from . import project


class AmparoConfig(Config):
    content_dir = c.Type(str, default=project.CONTENT_DIR)
    sources_dir = c.Type(str, default=project.SOURCES_DIR)
    # Languages published as complete: a missing or outdated translation there fails the build
    # instead of showing the Spanish text.
    complete_languages = c.ListOfItems(c.Type(str), default=[])
    runtime_dir = c.Type(str, default=project.RUNTIME_DIR)
    cache_dir = c.Type(str, default=project.CACHE_DIR)
    max_source_age_months = c.Type(int, default=project.MAX_SOURCE_AGE_MONTHS)
    # The day ages are counted to, YYYY-MM-DD; empty: the day of the build.
    today = c.Type(str, default="")

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class AmparoConfig(Config):
    content_dir = c.Type(str, default="procedures")
    sources_dir = c.Type(str, default="procedures/sources")
    # Languages published as complete: a missing or outdated translation there fails the build
    # instead of showing the Spanish text.
    complete_languages = c.ListOfItems(c.Type(str), default=[])

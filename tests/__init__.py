# A regular package: the readability extra's textstat also installs a top-level `tests` package
# into site-packages, and `from tests.conftest import …` must find this one.

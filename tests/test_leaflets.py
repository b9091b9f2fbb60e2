"""No dead QR codes: a build whose address reaches only this computer (the local default, with
no AMPARO_SITE_URL) marks its leaflets, posters and organisations page as a local preview, not for
print; a build with a public address does not."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from amparo.render.leaflets import ORGANISATIONS_PAGE, POSTER_PAGE, MULTILINGUAL_POSTER_PAGE, leaflet_page, local_preview
from amparo.project import read_project
from amparo.render.markdown_pages import escape
from amparo.publish.generated_pages import build_site
from tests.conftest import REPO

# mkdocs.yml's site_url when AMPARO_SITE_URL is unset: what `make build` uses on an NGO's computer.
DEFAULT_URL = re.search(r'site_url: !ENV \[AMPARO_SITE_URL, "([^"]+)"\]', (REPO / "mkdocs.yml").read_text(encoding="utf-8")).group(1)
PUBLIC_URL = "https://an-ngo.example.org/amparo/"


@pytest.mark.parametrize("address", [DEFAULT_URL, "http://localhost:8000/", "http://127.0.0.2/", "http://[::1]:8000/",
                                     "http://0.0.0.0:8000/", "http://192.168.1.20/amparo/", "http://10.0.0.5/",
                                     "http://amparo.localhost/", "/", ""])
def test_an_address_that_reaches_only_this_computer_or_its_network_is_a_preview(address):
    assert local_preview(address)


@pytest.mark.parametrize("address", [PUBLIC_URL, "https://someone.github.io/amparo/", "http://93.184.216.34/"])
def test_a_public_address_is_not(address):
    assert not local_preview(address)


@pytest.fixture(scope="module")
def sites():
    project = read_project(REPO / "mkdocs.yml")
    settings = project.settings()
    return {url: build_site(project.content_dir, project.sources_dir, dataclasses.replace(settings, site_url=url))
            for url in (DEFAULT_URL, PUBLIC_URL)}


def printed(site, path: str, language: str) -> str:
    page = site.pages[path][language]
    return page.markdown + "".join(page.html_after.values())


def test_a_default_address_build_marks_every_sheet_and_the_organisations_page_as_a_preview(sites):
    site = sites[DEFAULT_URL]
    guides = [guide.id for guide in site.content.guides]
    for language, words in site.words.items():
        title = html.escape(words("preview-title"), quote=False)
        for path in [leaflet_page(guide) for guide in guides] + [POSTER_PAGE, MULTILINGUAL_POSTER_PAGE]:
            text = printed(site, path, language)
            # On screen above the sheet, with the address and how to build for print; on paper, across it.
            assert 'class="amparo-preview"' in text and 'class="amparo-preview-mark"' in text, (language, path)
            assert title in text and DEFAULT_URL in text and "AMPARO_SITE_URL" in text, (language, path)
            if language != "es":
                assert html.escape(site.words["es"]("preview-title"), quote=False) in text, (language, path)
        organisations = printed(site, ORGANISATIONS_PAGE, language)
        assert '!!! danger "' in organisations and escape(words("preview-fix")) in organisations, language
        assert f"`{DEFAULT_URL}`" in organisations, language


def test_a_public_address_build_has_no_preview_mark(sites):
    site = sites[PUBLIC_URL]
    for path, versions in site.pages.items():
        for language, page in versions.items():
            text = page.markdown + "".join(page.html_after.values())
            assert "amparo-preview" not in text and "AMPARO_SITE_URL" not in text.replace("\\_", "_"), (language, path)
            assert DEFAULT_URL not in text, (language, path)

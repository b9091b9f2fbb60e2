"""The headers file (`_headers`, for hosts that read one) carries the policy of every page's meta
tags, and asks for what only a header can do: forbid framing and, at one address, empty the
browser's copy of the site (Clear-Site-Data)."""

from __future__ import annotations

import html
import json
import re

import pytest

from amparo.cli import main
from amparo.publish.nginx_config import parse_headers, server_block
from amparo.publish.offline_files import CLEAR_SITE_DATA, MANIFEST
from amparo.project import read_project
from tests.conftest import REPO

_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
# The header serves every page, so it lists every page's inline-script and style hashes.
_HASHED = {"script-src", "style-src"}


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.fixture(scope="module")
def rules(site_dir):
    return {pattern: dict(headers) for pattern, headers in parse_headers((site_dir / "_headers").read_text(encoding="utf-8"))}


def test_every_page_has_the_headers_policy(site_dir, rules):
    header = directives(rules["/*"]["Content-Security-Policy"])
    assert header.pop("frame-ancestors") == ["'none'"]
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 50
    hashes_in_pages: dict[str, set[str]] = {name: set() for name in _HASHED}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = _META.findall(text)
        assert len(found) == 1, f"{page.relative_to(site_dir)}: {len(found)} policies"
        meta = directives(html.unescape(found[0]))
        where = page.relative_to(site_dir).as_posix()
        assert set(meta) == set(header), f"{where}: other directives than the header"
        for name, sources in meta.items():
            if name in _HASHED:
                hashes_in_pages[name].update(sources)
                assert set(sources) <= set(header[name]), f"{where}: {name} allows what the header does not"
            else:
                assert sources == header[name], f"{where}: {name} differs from the header"
        assert '<meta name="referrer" content="no-referrer">' in text, where
    for name in _HASHED:
        # Nothing beyond what some page needs.
        assert set(header[name]) == hashes_in_pages[name], name
    assert rules["/*"]["Referrer-Policy"] == "no-referrer"


def test_one_address_asks_the_browser_to_forget_the_site(site_dir, rules):
    rule = rules[f"/{CLEAR_SITE_DATA}"]
    assert rule["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert rule["Cache-Control"] == "no-store"
    assert (site_dir / CLEAR_SITE_DATA).is_file()
    offline = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    assert all(CLEAR_SITE_DATA not in address for files in offline["files"].values() for address in files)


def test_the_nginx_configuration_repeats_the_headers_in_every_location(site_dir):
    block = server_block((site_dir / "_headers").read_text(encoding="utf-8"), site_dir, "127.0.0.1:1")
    locations = block.count("location ~ ") + block.count("location = ")
    assert locations == 3
    assert block.count("add_header Content-Security-Policy ") == 1 + locations
    assert 'default_type "application/wasm";' in block and 'default_type "text/javascript";' in block
    assert f"location = /{CLEAR_SITE_DATA} {{" in block


def test_a_missing_address_in_a_language_gets_that_language_not_found_page(site_dir):
    """nginx: each language's folder has its own not-found page, sent with the server's headers
    (its location adds none, so it keeps them); the offline copy saves none of them."""
    block = server_block((site_dir / "_headers").read_text(encoding="utf-8"), site_dir, "127.0.0.1:1")
    languages = sorted(page.parent.name for page in site_dir.glob("*/404.html"))
    project = read_project(REPO / "mkdocs.yml")
    assert languages == sorted(set(project.languages) - {project.default_language})
    for language in languages:
        assert f"    location /{language}/ {{\n        error_page 404 /{language}/404.html;\n    }}" in block
    offline = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    assert not [address for files in offline["files"].values() for address in files if address.endswith("404.html")]


def test_the_command_prints_that_configuration(site_dir, capsys, tmp_path):
    # Needs no project: a self-hosted copy may have only the built site.
    assert main(["--config-file", str(tmp_path / "absent.yml"), "nginx", str(site_dir), "--listen", "127.0.0.1:1"]) == 0
    assert capsys.readouterr().out == server_block((site_dir / "_headers").read_text(encoding="utf-8"), site_dir, "127.0.0.1:1")


def test_a_malformed_headers_file_is_refused():
    with pytest.raises(ValueError, match="_headers:2"):
        parse_headers("/*\n  not a header line\n")

"""An nginx `server` block that sends the headers of the built site's `_headers` file.

`_headers` (Netlify, Cloudflare Pages) is where the site says which headers it needs; this turns
it into nginx configuration, so a self-hosted copy sends the same ones, and so the tests can serve
the built site with a real server:

    amparo nginx site/ --listen 127.0.0.1:8080 > amparo-server.conf

Rules are written `/*` (every address), `/*.ext` (every address ending so) or an exact path. A
`Content-Type` header becomes the type nginx sends (so it is not sent twice); the others are
`add_header … always`, on error pages too. nginx drops the server's headers in a `location` that
adds its own, so each location repeats them. An address that does not exist gets the not-found
page of its language's folder (`fr/404.html`), or the site's root one.
"""

from __future__ import annotations

import re
from pathlib import Path


def parse_headers(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """`_headers` → [(address pattern, [(name, value)])], in file order."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
            continue
        name, colon, value = line.strip().partition(":")
        if not colon or not rules or not re.fullmatch(r"[A-Za-z0-9-]+", name):
            raise ValueError(f"_headers:{number}: not a 'Name: value' line under an address: {line.strip()!r}")
        rules[-1][1].append((name, value.strip()))
    return rules


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _directives(headers: list[tuple[str, str]], indent: str) -> list[str]:
    lines = []
    for name, value in headers:
        if name.lower() == "content-type":
            lines += [f"{indent}types {{ }}", f"{indent}default_type {_quote(value)};"]
        else:
            lines.append(f"{indent}add_header {name} {_quote(value)} always;")
    return lines


def _location(pattern: str) -> str:
    if pattern.startswith("/*") and "*" not in pattern[2:]:
        return f"location ~ {re.escape(pattern[2:])}$"
    if "*" in pattern:
        raise ValueError(f"_headers: cannot serve the pattern {pattern!r} (only /*, /*.ext and exact paths)")
    return f"location = {pattern}"


def server_block(headers_text: str, root: Path, listen: str) -> str:
    rules = parse_headers(headers_text)
    everywhere = [header for pattern, headers in rules if pattern == "/*" for header in headers]
    lines = ["server {", f"    listen {listen};", f"    root {_quote(str(Path(root).resolve()))};",
             "    index index.html;", "    error_page 404 /404.html;"]
    lines += _directives(everywhere, "    ")
    # A missing address under a language's folder gets that language's not-found page (with the
    # server's headers: a location without add_header of its own keeps them).
    for folder in sorted(page.parent.name for page in Path(root).glob("*/404.html")):
        lines += [f"    location /{folder}/ {{", f"        error_page 404 /{folder}/404.html;", "    }"]
    for pattern, headers in rules:
        if pattern == "/*":
            continue
        lines.append(f"    {_location(pattern)} {{")
        lines += _directives(everywhere + headers, "        ")
        lines.append("    }")
    lines.append("}")
    return "\n".join(lines) + "\n"

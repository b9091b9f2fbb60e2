"""Content-Security-Policy for every page, computed from the finished HTML.

Inline scripts (the theme has a few) are allowed by their sha256 hash only, so a script
that somehow got into a page would not run. Nothing may be loaded from another host.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from .offline_files import CLEAR_SITE_DATA

_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_EXISTING = re.compile(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>\s*<meta name=\"referrer\"[^>]*>\s*")


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(page_html: str) -> tuple[list[str], list[str]]:
    scripts = sorted({_hash(body) for body in _INLINE_SCRIPT.findall(page_html)})
    styles = sorted({_hash(body) for body in _INLINE_STYLE.findall(page_html)})
    return scripts, styles


def policy(script_hashes: list[str], style_hashes: list[str], for_header: bool = False) -> str:
    directives = {
        "default-src": ["'none'"],
        # 'wasm-unsafe-eval' lets the quiz compile WebAssembly; it does not allow eval().
        "script-src": ["'self'", "'wasm-unsafe-eval'", *script_hashes],
        "style-src": ["'self'", *style_hashes],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
    if for_header:
        # Only an HTTP header can forbid framing; a meta tag may not say it.
        directives["frame-ancestors"] = ["'none'"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_policy(page_html: str) -> str:
    """Put the policy and a no-referrer rule at the top of <head>, before any script."""
    page_html = _EXISTING.sub("", page_html)
    scripts, styles = inline_hashes(page_html)
    tags = (f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts, styles)}">'
            '<meta name="referrer" content="no-referrer">')
    match = _CHARSET.search(page_html)
    if match:
        return page_html[: match.end()] + tags + page_html[match.end():]
    head = page_html.lower().find("<head>")
    if head < 0:
        raise ValueError("page has no <head>: cannot add a Content-Security-Policy")
    return page_html[: head + 6] + tags + page_html[head + 6:]


def headers_file(site_dir: Path) -> str:
    """A `_headers` file (Netlify, Cloudflare Pages and others) with the same policy as headers."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for page in Path(site_dir).rglob("*.html"):
        page_scripts, page_styles = inline_hashes(page.read_text(encoding="utf-8"))
        scripts.update(page_scripts)
        styles.update(page_styles)
    rules = [
        "/*",
        f"  Content-Security-Policy: {policy(sorted(scripts), sorted(styles), for_header=True)}",
        "  Referrer-Policy: no-referrer",
        "  X-Content-Type-Options: nosniff",
        "  Cross-Origin-Opener-Policy: same-origin",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "/*.wasm",
        "  Content-Type: application/wasm",
        # The quiz's worker and Pyodide are JavaScript modules: with nosniff, a server that does not
        # know .mjs (nginx's own types) would have the browser refuse them.
        "/*.mjs",
        "  Content-Type: text/javascript",
        f"/{CLEAR_SITE_DATA}",
        '  Clear-Site-Data: "cache", "cookies", "storage"',
        "  Cache-Control: no-store",
        "",
    ]
    return "\n".join(rules)

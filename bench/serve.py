"""A static host for the benchmark: serves a built site the way a typical static host does.

- gzip (level 6, computed once at start) for text and WebAssembly when the request's
  Accept-Encoding allows it; zip and wheel files are sent as they are (already compressed);
- `.wasm` as application/wasm, `.mjs` as text/javascript;
- GitHub Pages' caching headers: `Cache-Control: max-age=600`, an `ETag` and `Last-Modified`,
  and `304 Not Modified` for a matching `If-None-Match` (the site sends no caching headers of
  its own, so the host's defaults decide how a second visit behaves);
- `/folder` redirects to `/folder/`, `/folder/` serves `folder/index.html`, unknown paths get
  404.html with status 404.

Every response is logged (path, status, body bytes sent) as a JSON line when `--log` is given.

Run: python bench/serve.py ROOT [--port N] [--log FILE]; prints `http://127.0.0.1:PORT` once ready.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import mimetypes
import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CACHE_CONTROL = "max-age=600"
GZIP_LEVEL = 6
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".woff2": "font/woff2",
}
# What static hosts compress (GitHub Pages, Netlify and Cloudflare all compress these types).
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".map", ".wasm", ".svg", ".xml", ".txt", ".ico"}


class Entry:
    __slots__ = ("body", "gzipped", "etag", "modified", "type")

    def __init__(self, path: Path):
        self.body = path.read_bytes()
        suffix = path.suffix.lower()
        self.type = TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.gzipped = gzip.compress(self.body, GZIP_LEVEL, mtime=0) if suffix in COMPRESSIBLE else None
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'
        self.modified = formatdate(path.stat().st_mtime, usegmt=True)


def load_site(root: Path) -> dict[str, Entry]:
    return {"/" + path.relative_to(root).as_posix(): Entry(path) for path in sorted(root.rglob("*")) if path.is_file()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    files: dict[str, Entry] = {}
    log_file = None
    log_lock = threading.Lock()

    def log_message(self, format, *args):
        pass

    def _record(self, status: int, sent: int, encoding: str):
        if self.log_file is not None:
            with self.log_lock:
                self.log_file.write(json.dumps({"path": self.path, "status": status, "bytes": sent,
                                                "encoding": encoding}) + "\n")
                self.log_file.flush()

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        path = unquote(urlsplit(self.path).path)
        if path.endswith("/"):
            path += "index.html"
        entry = self.files.get(path)
        if entry is None and (path + "/index.html") in self.files:
            self.send_response(301)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self._record(301, 0, "")
            return
        status = 200
        if entry is None:
            status, entry = 404, self.files.get("/404.html")
            if entry is None:
                self.send_error(404)
                return
        if status == 200 and self.headers.get("If-None-Match") == entry.etag:
            self.send_response(304)
            self.send_header("ETag", entry.etag)
            self.send_header("Cache-Control", CACHE_CONTROL)
            self.end_headers()
            self._record(304, 0, "")
            return
        accepts_gzip = "gzip" in (self.headers.get("Accept-Encoding") or "")
        body, encoding = (entry.gzipped, "gzip") if entry.gzipped is not None and accepts_gzip else (entry.body, "")
        self.send_response(status)
        self.send_header("Content-Type", entry.type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if entry.gzipped is not None:
            self.send_header("Vary", "Accept-Encoding")
        if status == 200:
            self.send_header("Cache-Control", CACHE_CONTROL)
            self.send_header("ETag", entry.etag)
            self.send_header("Last-Modified", entry.modified)
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self._record(status, 0 if head else len(body), encoding)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # browsers drop connections when they navigate away


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", type=Path)
    args = parser.parse_args(argv)
    Handler.files = load_site(args.root)
    if args.log:
        Handler.log_file = args.log.open("a", encoding="utf-8")
    httpd = Server(("127.0.0.1", args.port), Handler)
    print(f"http://127.0.0.1:{httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

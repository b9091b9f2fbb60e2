"""The built site served by a real nginx (Debian's), configured from its `_headers` file.

Started on a free loopback port with everything in a temporary folder (configuration, pid, logs,
temporary files) and one process running as the current user (no master, no daemon), so it needs
no privilege and leaves nothing behind; stopped by its process id.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from amparo.publish.nginx_config import server_block

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
# One line per request: what was asked, the answer, and the validators the browser sent (a browser
# revalidating its HTTP cache sends If-None-Match or If-Modified-Since).
LOG_FORMAT = '$request_method $uri $status inm="$http_if_none_match" ims="$http_if_modified_since"'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configuration(site_dir: Path, prefix: Path, port: int) -> str:
    temp = {name: prefix / "temp" / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(parents=True, exist_ok=True)
    block = server_block((site_dir / "_headers").read_text(encoding="utf-8"), site_dir, f"127.0.0.1:{port}")
    return "\n".join([
        "daemon off;",
        "master_process off;",
        "worker_processes 1;",
        f"pid {prefix / 'nginx.pid'};",
        f"error_log {prefix / 'error.log'} warn;",
        "events { worker_connections 256; }",
        "http {",
        f"    include {MIME_TYPES};",
        "    default_type application/octet-stream;",
        f"    log_format amparo '{LOG_FORMAT}';",
        f"    access_log {prefix / 'access.log'} amparo;",
        *(f"    {name}_temp_path {path};" for name, path in temp.items()),
        "    sendfile on;",
        "    etag on;",
        *("    " + line for line in block.splitlines()),
        "}",
        "",
    ])


@contextmanager
def nginx(site_dir: Path, prefix: Path):
    """Yields (base URL, access log path) while nginx serves `site_dir`."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    config = prefix / "nginx.conf"
    config.write_text(configuration(site_dir, prefix, port), encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {(prefix / 'error.log').read_text(errors='replace')}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", prefix / "access.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

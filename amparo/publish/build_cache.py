"""What an earlier command made from the same content, found again: first in this process (the
next rebuild of `make serve`, the next check of a test), then in the build's cache on disk
(mkdocs.yml's `cache_dir`, `.cache/amparo`), which `amparo check`, `make serve` and
`mkdocs build` share.

Only what takes long and changes seldom is kept on disk: the quiz's screens in each language
(every state of the quiz evaluated and rendered), which change only when the quiz, its words or
the code do, and the printable pages (their QR codes). A value is kept under a digest of what it is made from and of the code that makes it
(every file of amparo/ and quiz/), so a value found is the one that would be made again. Each
kind has its folder (`made/<kind>/`), so one kind can be shared without the others.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any, Callable, Generic, Hashable, TypeVar

from ..content.memo import Memo, digest
from .atomic_files import write_atomically

Value = TypeVar("Value")
_CODE = (Path(__file__).resolve().parents[1], Path(__file__).resolve().parents[2] / "quiz")
FOLDER = "made"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Changes with any file of the code that makes what is kept (templates included)."""
    found = hashlib.sha256()
    for package in _CODE:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found.update(f"{path.relative_to(package)}\0".encode() + path.read_bytes())
    return found.hexdigest()


class Kept(Generic[Value]):
    """Values of one kind: the last `size` asked for in memory, the last `on_disk` (default: `size`) made on disk."""

    def __init__(self, kind: str, size: int, to_json: Callable[[Value], Any], from_json: Callable[[Any], Value],
                 on_disk: int | None = None):
        self.kind, self.size, self.on_disk = kind, size, on_disk or size
        self.to_json, self.from_json = to_json, from_json
        self._memory: Memo[Value] = Memo(size)

    def folder(self, cache_dir: Path) -> Path:
        """Where the values of this kind are kept in the build's cache `cache_dir`."""
        return Path(cache_dir) / FOLDER / self.kind

    def get(self, cache_dir: Path | None, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value for `key`: from memory, else from the build's cache `cache_dir` (None: no disk), else made."""
        return self._memory.get(key, lambda: self._from_disk(cache_dir, key, make) if cache_dir else make())

    def _from_disk(self, cache_dir: Path, key: Hashable, make: Callable[[], Value]) -> Value:
        path = self.folder(cache_dir) / f"{digest([code_version(), repr(key)])}.json.gz"
        try:
            return self.from_json(json.loads(gzip.decompress(path.read_bytes())))
        except (OSError, EOFError, ValueError):   # not made yet, or cut short: made again
            pass
        value = make()
        data = self.to_json(value)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if json.loads(text) == data:   # only what JSON gives back as it was
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, lambda partial: partial.write_bytes(gzip.compress(text.encode("utf-8"), 1)))
            self._forget_old(path.parent)
        return value

    def _forget_old(self, folder: Path) -> None:
        """Keep the `on_disk` newest of this kind: the cache does not grow with every edit."""
        kept = sorted(folder.glob("*.json.gz"), key=_age)
        for path in kept[self.on_disk:]:
            path.unlink(missing_ok=True)


def _age(path: Path) -> float:
    try:
        return -path.stat().st_mtime
    except OSError:   # removed meanwhile by another build
        return 0.0

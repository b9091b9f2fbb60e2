"""Writing files that another build may be reading at the same moment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


def write_atomically(dest: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file and rename it into place: two builds at once (the tests run
    on two processes and share the cache and the stubs) never read a half-written file."""
    dest = Path(dest)
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    try:
        write(partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest

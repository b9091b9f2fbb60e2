"""Package the quiz engine for the browser: a wheel, a small lockfile, a trimmed standard library.

The reader's browser downloads only the Pyodide runtime (from the npm package, served by the
site itself), our engine as a pure-Python wheel whose sha256 Pyodide checks against our
lockfile, and the part of Python's standard library the engine needs.
Everything here is deterministic: the same sources give the same bytes and the same hashes.
"""

from __future__ import annotations

import ast
import base64
import filecmp
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import tokenize
import zipfile
import zlib
from pathlib import Path

from zopfli.zopfli import compress as zopfli_compress

from quiz.enumerate import WALK_TODAY, walk_nodes

from .atomic_files import write_atomically

WHEEL_NAME = "amparo_quiz"
PACKAGE_NAME = "amparo-quiz"
WHEEL_VERSION = "1.0"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
STDLIB_NAME = "python_stdlib.zip"
LOCKFILE_NAME = "amparo-lock.json"
# A fixed timestamp (the zip format's earliest) keeps the wheel's hash stable between builds.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# The standard-library modules the engine and Pyodide's start-up import, as measured by
# `amparo bundle measure` (Pyodide under Node). Only these are shipped.
STDLIB_MODULES_FILE = Path(__file__).with_name("pyodide-stdlib-modules.txt")


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(package_dir: Path, dest_dir: Path) -> Path:
    """A pure-Python wheel of the `quiz` package (PEP 427), byte-for-byte reproducible."""
    package_dir = Path(package_dir)
    files: list[tuple[str, bytes]] = []
    for path in sorted(package_dir.rglob("*.py")):
        if "__pycache__" in path.parts or "tests" in path.relative_to(package_dir).parts:
            continue
        files.append((f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}", path.read_bytes()))
    if not files:
        raise FileNotFoundError(f"{package_dir} has no Python files: the quiz engine is missing")
    dist_info = f"{WHEEL_NAME}-{WHEEL_VERSION}.dist-info"
    files.append((f"{dist_info}/METADATA", (
        f"Metadata-Version: 2.1\nName: {PACKAGE_NAME}\nVersion: {WHEEL_VERSION}\n"
        "Summary: Amparo eligibility engine (standard library only)\n").encode()))
    files.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: amparo.publish.engine_bundle\nRoot-Is-Purelib: true\nTag: py3-none-any\n").encode()))
    files.append((f"{dist_info}/top_level.txt", f"{package_dir.name}\n".encode()))
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))

    dest_dir.mkdir(parents=True, exist_ok=True)
    wheel = dest_dir / f"{WHEEL_NAME}-{WHEEL_VERSION}-py3-none-any.whl"
    # zopfli takes a third of a second: the same files make the same wheel, so keep it.
    sources = wheel.with_name(wheel.name + ".record")
    if not (wheel.exists() and sources.exists() and sources.read_text(encoding="utf-8") == record):
        write_atomically(wheel, lambda path: write_zip(path, files))
        write_atomically(sources, lambda path: path.write_text(record, encoding="utf-8"))
    return wheel


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_lockfile(runtime_dir: Path, wheel: Path, dest: Path) -> Path:
    """A lockfile listing only our wheel, with the runtime's own `info` so Pyodide accepts it.

    pyodide-lock 0.1 cannot read the 314 lockfile and 0.2 needs Python 3.12, so this is written
    by hand from the runtime's `info`; the format is the runtime's, checked by the Node test.
    """
    info = json.loads((Path(runtime_dir) / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    lock = {
        "info": info,
        "packages": {
            PACKAGE_NAME: {
                "name": PACKAGE_NAME,
                "version": WHEEL_VERSION,
                "file_name": wheel.name,
                "install_dir": "site",
                "sha256": sha256_of(wheel),
                "package_type": "package",
                "imports": ["quiz"],
                "depends": [],
                "unvendored_tests": False,
                "tool": {},
            }
        },
    }
    return write_atomically(dest, lambda path: path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8"))


def stdlib_modules() -> list[str]:
    return [line.strip() for line in STDLIB_MODULES_FILE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def trim_stdlib(full_zip: Path, dest: Path, modules: list[str] | None = None, cache_dir: Path | None = None) -> Path:
    """Only the listed modules (and their packages' __init__) of Pyodide's standard library,
    without docstrings and comments, compressed with zopfli. Cached: zopfli takes seconds.
    """
    modules = stdlib_modules() if modules is None else modules
    key = hashlib.sha256(Path(full_zip).read_bytes() + "\n".join(modules).encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    cached = Path(cache_dir) / f"python_stdlib-{key}.zip" if cache_dir else None
    if cached and cached.exists():
        return write_atomically(dest, lambda path: shutil.copyfile(cached, path))
    with zipfile.ZipFile(full_zip) as source:
        names = set(source.namelist())
        wanted = set()
        for module in modules:
            parts = module.split(".")
            for depth in range(1, len(parts) + 1):
                stem = "/".join(parts[:depth])
                for candidate in (f"{stem}/__init__.py", f"{stem}.py"):
                    if candidate in names:
                        wanted.add(candidate)
        files = []
        for info in source.infolist():
            if info.filename in wanted:
                data = source.read(info)
                if not info.filename.startswith(_KEEP_DOCSTRINGS):
                    data = strip_docs(data)
                files.append((info.filename, data))
    write_atomically(dest, lambda path: write_zip(path, files))
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(cached, lambda path: shutil.copyfile(dest, path))
    return dest


class _ZopfliDeflater:
    """Stands in for zlib's compressor inside zipfile: same raw deflate format, ~4% smaller."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def compress(self, data: bytes) -> bytes:
        self._chunks.append(data)
        return b""

    def flush(self) -> bytes:
        # zopfli writes a zlib stream: 2 header bytes, raw deflate, 4 checksum bytes.
        return zopfli_compress(b"".join(self._chunks), numiterations=15)[2:-4]


def write_zip(dest: Path, files: list[tuple[str, bytes]]) -> Path:
    """A reproducible zip (fixed timestamps, given order) compressed with zopfli."""
    original = zipfile._get_compressor
    zipfile._get_compressor = lambda compress_type, compresslevel=None: (
        _ZopfliDeflater() if compress_type == zipfile.ZIP_DEFLATED else original(compress_type, compresslevel))
    try:
        with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files:
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
    finally:
        zipfile._get_compressor = original
    return dest


# Pyodide's own packages read their docstrings at start-up; leave them whole.
_KEEP_DOCSTRINGS = ("_pyodide/", "pyodide/")


def strip_docs(source: bytes) -> bytes:
    """Python source without comments and docstrings: a third fewer bytes for slow connections.

    Parsed with the build machine's Python, which may be older than the browser's: a file it
    cannot parse is shipped unchanged.
    """
    text = source.decode("utf-8")
    try:
        tree = ast.parse(text)
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (SyntaxError, tokenize.TokenError, ValueError):
        return source
    lines = text.splitlines(keepends=True)
    # Replace each docstring by an empty string literal so every body stays valid.
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                spans.append((first.lineno, first.col_offset, first.end_lineno, first.end_col_offset, "''"))
    for token in tokens:
        if token.type == tokenize.COMMENT:
            (row, col), (end_row, end_col) = token.start, token.end
            spans.append((row, col, end_row, end_col, ""))
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def position(row: int, col: int) -> int:
        # ast columns count UTF-8 bytes; tokenize's count characters. Both agree on ASCII lines.
        line = lines[row - 1]
        return offsets[row - 1] + len(line.encode("utf-8")[:col].decode("utf-8", "ignore"))

    pieces, cursor = [], 0
    for row, col, end_row, end_col, replacement in sorted(spans):
        start, end = position(row, col), position(end_row, end_col)
        if start < cursor:
            continue
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    # Blank lines stay: one may be inside a multi-line string, and they cost almost nothing gzipped.
    result = "".join(pieces)
    try:
        compile(result, "<stripped>", "exec", dont_inherit=True)
    except SyntaxError:
        return source
    return result.encode("utf-8")


def bundle(runtime_dir: Path, quiz_dir: Path, dest_dir: Path, cache_dir: Path | None = None,
           full_stdlib: bool = False) -> dict[str, Path]:
    """Everything the browser needs for the quiz, in `dest_dir`. `full_stdlib` ships Pyodide's
    whole standard library instead of the trimmed one: only to measure what is needed."""
    runtime_dir, dest_dir = Path(runtime_dir), Path(dest_dir)
    if not (runtime_dir / "pyodide.asm.wasm").exists():
        raise FileNotFoundError(f"{runtime_dir} has no Pyodide runtime: run `npm ci` (make does it)")
    dest_dir.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in RUNTIME_FILES:
        target = dest_dir / name
        # Compared byte for byte: the site serves exactly the npm package's files.
        if not target.exists() or not filecmp.cmp(runtime_dir / name, target, shallow=False):
            write_atomically(target, lambda path, source=runtime_dir / name: shutil.copyfile(source, path))
        out[name] = target
    if full_stdlib:
        out["stdlib"] = write_atomically(dest_dir / STDLIB_NAME, lambda path: shutil.copyfile(runtime_dir / STDLIB_NAME, path))
    else:
        out["stdlib"] = trim_stdlib(runtime_dir / STDLIB_NAME, dest_dir / STDLIB_NAME, cache_dir=cache_dir)
    out["wheel"] = build_wheel(quiz_dir, dest_dir)
    out["lockfile"] = write_lockfile(runtime_dir, out["wheel"], dest_dir / LOCKFILE_NAME)
    return out


# --- measuring which standard-library modules are needed ----------------------------------------

# Run by `measure` (and by tests/test_quiz_pyodide.py): Pyodide in Node, loaded like the worker.
ENGINE_SCRIPT = Path(__file__).with_name("pyodide_engine.mjs")
# A month's last day (before WALK_TODAY), so the month deadline takes its "no such day" branch.
_MEASURE_START_DATE = "2024-01-31"


def zip_modules(stdlib_zip: Path) -> set[str]:
    """The importable module names in a standard-library zip (`json/__init__.py` → `json`)."""
    with zipfile.ZipFile(stdlib_zip) as archive:
        names = archive.namelist()
    modules = set()
    for name in names:
        if name.endswith(".py"):
            module = name[:-3].removesuffix("/__init__")
            modules.add(module.replace("/", "."))
    return modules


def measure_cases(flow: dict) -> list[dict]:
    """Every state of the quiz, and every date question answered with a date: all the engine's
    code paths, so every module it may import is imported."""
    cases = []
    for answers, result in walk_nodes(flow):
        cases.append({"answers": answers, "today": WALK_TODAY})
        question = result["next"]
        if question is not None and question["type"] == "date":
            cases.append({"answers": {**answers, question["id"]: _MEASURE_START_DATE}, "today": WALK_TODAY})
    return cases


def run_engine_in_pyodide(bundle_dir: Path, flow: dict, cases: list[dict],
                          report: Path | None = None) -> list[dict]:
    """`evaluate` for each case under Pyodide in Node (one session), from a `bundle` directory."""
    with tempfile.TemporaryDirectory() as scratch:
        cases_file = Path(scratch) / "cases.json"
        cases_file.write_text(json.dumps({"flow": flow, "cases": cases}, ensure_ascii=False), encoding="utf-8")
        command = ["node", str(ENGINE_SCRIPT), str(bundle_dir), str(cases_file)]
        if report is not None:
            command += ["--report", str(report)]
        finished = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    if finished.returncode != 0:
        raise RuntimeError(f"the engine failed under Pyodide ({' '.join(command)}):\n{finished.stderr}")
    return json.loads(finished.stdout)


def measure(root: Path, flow: dict) -> list[str]:
    """The standard-library modules imported when Pyodide starts, loads our wheel and runs every
    measure case, with the FULL standard library available."""
    runtime_dir = Path(root) / "node_modules" / "pyodide"
    with tempfile.TemporaryDirectory() as scratch:
        bundle_dir, report = Path(scratch) / "bundle", Path(scratch) / "report.json"
        bundle(runtime_dir, Path(root) / "quiz", bundle_dir, full_stdlib=True)
        run_engine_in_pyodide(bundle_dir, flow, measure_cases(flow), report)
        imported = set(json.loads(report.read_text(encoding="utf-8"))["modules"])
    return sorted(imported & zip_modules(runtime_dir / STDLIB_NAME))


def write_stdlib_modules(modules: list[str], path: Path = STDLIB_MODULES_FILE) -> Path:
    """Rewrite the module list, keeping its header comment."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    path.write_text("\n".join([*header, *modules]) + "\n", encoding="utf-8")
    return path


def download_bytes(paths) -> int:
    """What the runtime costs a reader in data: its files compressed, as web servers send them.
    zlib's quickest level errs a little high (a tenth), which is the safe side for a data warning."""
    return sum(len(zlib.compress(Path(path).read_bytes(), 1)) for path in paths)

"""Build times: the real site and generated content (10, 50, 200 procedures), each built with
our plugin and as a plain mkdocs-material + mkdocs-static-i18n site from the same Markdown.

Everything happens in temporary copies of the project: the working tree is never written to.

- Clones: procedures/guides/<id>.yml copied round-robin under new ids (<id>-copia-NNN), and
  added to the nav next to the originals. Their translations are copied too: every PO entry
  whose msgctxt starts with "<id>." is added again with "<clone id>." — so the build keeps
  `complete_languages` as configured and the other languages render translated text, as the
  real site does.
- Plain build: a first build with our plugin and bench/capture_hook.py records the Markdown
  of every page in every language after all plugins ran; it is written as ordinary files
  (`page.md`, `page.<lang>.md`) and built with the same mkdocs.yml (theme, overrides, search,
  i18n) minus our plugin. The same hook hands the theme overrides the few words our plugin
  gives them (`amparo_words`, read from a small JSON file per language). Markers our plugin
  replaces after rendering (the quiz's HTML) stay HTML comments there.
- Each timed build is a fresh `python -m mkdocs build --strict` process into an empty folder;
  ours and the plain one alternate, and the median of the runs is reported. The first build
  of the real site (empty plugin cache: the trimmed standard library is compressed with zopfli)
  is reported apart; the timed builds reuse that cache, as repeated `make build`s do.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from amparo.project import plugin_settings, read_config

HOOK = Path(__file__).with_name("capture_hook.py")


class BuildFailed(RuntimeError):
    pass


# --- the temporary project --------------------------------------------------------------------


def _without_plugin(config: dict, name: str) -> list:
    return [entry for entry in config.get("plugins", [])
            if not (entry == name or (isinstance(entry, dict) and name in entry))]


def languages(config: dict) -> tuple[list[str], str]:
    """The languages built, and the default one."""
    i18n = plugin_settings(config).get("i18n") or {}
    built = [lang for lang in i18n.get("languages", []) if lang.get("build", True)]
    if not built:
        language = (config.get("theme") or {}).get("language", "es")
        return [language], language
    default = next((lang["locale"] for lang in built if lang.get("default")), built[0]["locale"])
    return [lang["locale"] for lang in built], default


class Project:
    """A copy of the project in `folder`, optionally with clones so it has `procedures` guides."""

    def __init__(self, repo: Path, folder: Path, cache_dir: Path, procedures: int | None = None,
                 clones_in_nav: bool = False, runtime_root: Path | None = None):
        """`repo`: where the project's files are (the working tree, or a git revision extracted
        by `extract_revision`); `runtime_root`: where node_modules is (default: `repo`)."""
        self.repo, self.folder = repo, folder
        config = read_config(repo / "mkdocs.yml")
        amparo = plugin_settings(config).get("amparo")
        if amparo is None:
            raise BuildFailed("mkdocs.yml does not use the amparo plugin")
        amparo = dict(amparo or {})
        self.languages, self.default_language = languages(config)
        docs_dir = config.get("docs_dir", "docs")
        custom_dir = (config.get("theme") or {}).get("custom_dir")
        content_dir = amparo.get("content_dir", "procedures")
        runtime_top = Path(amparo.get("runtime_dir", "node_modules/pyodide")).parts[0]

        folder.mkdir(parents=True)
        for name in {docs_dir, content_dir, custom_dir} - {None}:
            shutil.copytree(repo / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        sources_dir = amparo.get("sources_dir")
        if sources_dir and not (folder / sources_dir).exists():
            shutil.copytree(repo / sources_dir, folder / sources_dir)
        (folder / runtime_top).symlink_to((runtime_root or repo) / runtime_top)
        self.docs_dir = folder / docs_dir
        self.content_dir = folder / content_dir
        self.clones: list[str] = []
        guides_dir = self.content_dir / "guides"
        originals = sorted(path.stem for path in guides_dir.glob("*.yml"))
        self.guides = len(originals)
        if procedures is not None:
            if procedures < len(originals):
                raise BuildFailed(f"cannot make {procedures} procedures from {len(originals)} originals")
            self._clone(guides_dir, originals, procedures - len(originals))
            if clones_in_nav:
                config["nav"] = _nav_with_clones(config.get("nav"), originals, self.clones)
            self.guides = procedures

        # The plugin's cache (the zopfli-compressed standard library) is shared by all copies.
        for entry in config["plugins"]:
            if isinstance(entry, dict) and "amparo" in entry:
                entry["amparo"] = {**amparo, "cache_dir": str(cache_dir)}
        self.config = folder / "mkdocs.yml"
        self._write_config(self.config, config)
        self.capture_config = folder / "mkdocs.capture.yml"
        self._write_config(self.capture_config, {**config, "hooks": [*config.get("hooks", []), str(HOOK)]})
        plain = {**config, "plugins": _without_plugin(config, "amparo"), "docs_dir": "docs_plain",
                 "hooks": [*config.get("hooks", []), str(HOOK)]}
        self.plain_config = folder / "mkdocs.plain.yml"
        self._write_config(self.plain_config, plain)

    @staticmethod
    def _write_config(path: Path, config: dict) -> None:
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def _clone(self, guides_dir: Path, originals: list[str], count: int) -> None:
        from babel.messages.pofile import read_po, write_po

        pairs = []
        for index in range(count):
            original = originals[index % len(originals)]
            clone = f"{original}-copia-{index + 1:03d}"
            text = (guides_dir / f"{original}.yml").read_text(encoding="utf-8")
            lines = text.splitlines(keepends=True)
            replaced = [f"id: {clone}\n" if line.rstrip() == f"id: {original}" else line for line in lines]
            if replaced == lines:
                raise BuildFailed(f"{original}.yml has no top-level 'id: {original}' line to change")
            (guides_dir / f"{clone}.yml").write_text("".join(replaced), encoding="utf-8")
            pairs.append((original, clone))
            self.clones.append(clone)
        for po_file in sorted((self.content_dir / "locale").glob("*.po")):
            with po_file.open("rb") as handle:
                catalog = read_po(handle, abort_invalid=False)
            messages = [message for message in catalog if message.id and message.context]
            for original, clone in pairs:
                prefix = original + "."
                for message in messages:
                    if message.context.startswith(prefix):
                        catalog.add(message.id, message.string, locations=message.locations, flags=message.flags,
                                    context=clone + "." + message.context[len(prefix):])
            with po_file.open("wb") as handle:
                write_po(handle, catalog, width=0, sort_output=False)

    def write_plain_docs(self, captured: Path) -> int:
        """The captured Markdown as ordinary files in docs_plain/; returns how many pages."""
        plain = self.folder / "docs_plain"
        shutil.copytree(self.docs_dir, plain, ignore=shutil.ignore_patterns("*.md"))
        count = 0
        for language in self.languages:
            for file in sorted((captured / language).rglob("*.md")):
                relative = file.relative_to(captured / language).as_posix()
                base = relative[: -len(f".{language}.md")] + ".md" if relative.endswith(f".{language}.md") else relative
                name = base if language == self.default_language else base[:-3] + f".{language}.md"
                target = plain / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
                count += 1
        return count


def _nav_with_clones(nav, originals: list[str], clones: list[str]):
    """The nav with each clone's page listed after the last original guide in the same list."""
    original_pages = {f"guias/{name}.md" for name in originals}
    done = False

    def page_of(item):
        if isinstance(item, str):
            return item
        if isinstance(item, dict) and len(item) == 1:
            value = next(iter(item.values()))
            return value if isinstance(value, str) else None
        return None

    def walk(items):
        nonlocal done
        if not isinstance(items, list):
            return items
        out = []
        for item in items:
            if isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item.values())), list):
                (key, value), = item.items()
                out.append({key: walk(value)})
            else:
                out.append(item)
        positions = [index for index, item in enumerate(out) if page_of(item) in original_pages]
        if positions and not done:
            last = positions[-1]
            out = out[: last + 1] + [f"guias/{clone}.md" for clone in clones] + out[last + 1:]
            done = True
        return out

    new = walk(nav)
    if nav is not None and not done:
        raise BuildFailed("could not find the guides in mkdocs.yml's nav to list the clones next to them")
    return new


# Not part of what is built: left out of the snapshot.
_NOT_COPIED = {".git", ".venv", "node_modules", "site", "bench", ".cache", "tests", "test-results", ".pytest_cache",
               "build", "dist"}


def snapshot(repo: Path, dest: Path) -> Path:
    """A copy of the working tree (content, docs, theme AND the plugin's and engine's code), taken
    once: every build and page measured comes from it, even if files change meanwhile."""
    def ignore(folder, names):
        top = Path(folder) == repo
        return [n for n in names if n == "__pycache__" or n.endswith(".egg-info") or (top and n in _NOT_COPIED)]

    shutil.copytree(repo, dest, ignore=ignore, symlinks=True)
    return dest


def tree_fingerprint(repo: Path) -> str:
    """Changes when a file that the snapshot would copy changes."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(repo.rglob("*")):
        parts = path.relative_to(repo).parts
        if parts[0] in _NOT_COPIED or "__pycache__" in parts or parts[0].endswith(".egg-info") or not path.is_file():
            continue
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
    return digest.hexdigest()


def extract_revision(repo: Path, revision: str, dest: Path) -> Path:
    """The project's files at a git revision, in `dest` (read-only for the repository)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", revision, "--", ".",
                              ":(exclude)bench/node_modules"], capture_output=True)
    if archive.returncode != 0:
        raise BuildFailed(f"git archive {revision} failed: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


# --- building ---------------------------------------------------------------------------------


# The plugin and engine code the builds import: the snapshot's (see `snapshot`), not the
# working tree's editable install, when set.
CODE: Path | None = None


def mkdocs_build(config: Path, site_dir: Path, env: dict | None = None) -> float:
    shutil.rmtree(site_dir, ignore_errors=True)
    if CODE is not None:
        env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(CODE), os.environ.get("PYTHONPATH")])), **(env or {})}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(config),
               "--site-dir", str(site_dir)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=config.parent, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise BuildFailed(f"`mkdocs build --strict` failed for {config}:\n{tail}")
    return elapsed


def _summary(times: list[float]) -> dict:
    return {"runs_s": [round(t, 3) for t in times], "median_s": round(statistics.median(times), 3)}


def measure_project(project: Project, runs: int, log) -> dict:
    """Capture the Markdown, then time `runs` builds of each kind, alternating."""
    captured = project.folder / "captured"
    first = mkdocs_build(project.capture_config, project.folder / "site-capture", {"BENCH_CAPTURE_DIR": str(captured)})
    pages = project.write_plain_docs(captured)
    ours, plain = [], []
    for run in range(runs):
        ours.append(mkdocs_build(project.config, project.folder / "site"))
        plain.append(mkdocs_build(project.plain_config, project.folder / "site-plain", {"BENCH_REPLAY_DIR": str(captured)}))
        log(f"    run {run + 1}/{runs}: amparo {ours[-1]:.2f} s, plain {plain[-1]:.2f} s")
    result = {
        "guides": project.guides,
        "pages_per_language": pages // len(project.languages),
        "languages": project.languages,
        "amparo": _summary(ours),
        "plain": _summary(plain),
        "first_build_s": round(first, 3),
    }
    result["ratio"] = round(result["amparo"]["median_s"] / result["plain"]["median_s"], 3)
    return result


def run(repo: Path, work: Path, sizes: list[int], runs: int, log, large_runs: int = 1, large: int = 100,
        runtime_root: Path | None = None) -> tuple[dict, Path]:
    """Returns the results and the folder of the real site as built by our plugin (to serve).
    Sizes above `large` procedures are built `large_runs` times (a 200-procedure build in every
    language takes minutes on two cores)."""
    cache_dir = work / "plugin-cache"
    results: dict = {"runs": runs}
    log("Build: the real site")
    real = Project(repo, work / "real", cache_dir, runtime_root=runtime_root)
    results["real"] = measure_project(real, runs, log)
    results["real"]["first_build_note"] = "empty plugin cache (zopfli compresses the trimmed standard library), with the Markdown capture hook"
    generated = {}
    for size in sizes:
        log(f"Build: {size} procedures")
        project = Project(repo, work / f"generated-{size}", cache_dir, procedures=size, runtime_root=runtime_root)
        generated[str(size)] = measure_project(project, large_runs if size > large else runs, log)
        generated[str(size)].pop("first_build_s")
        shutil.rmtree(project.folder, ignore_errors=True)
    results["generated"] = generated
    results["growth"] = growth(generated)
    return results, real.folder / "site"


def growth(generated: dict) -> dict:
    """Time per procedure at each size, and the cost of each added procedure between sizes."""
    sizes = sorted(generated, key=int)
    out: dict = {"per_procedure_ms": {}, "marginal_ms": {}}
    for kind in ("amparo", "plain"):
        out["per_procedure_ms"][kind] = {size: round(1000 * generated[size][kind]["median_s"] / int(size), 1) for size in sizes}
        marginal = {}
        for low, high in zip(sizes, sizes[1:]):
            added = int(high) - int(low)
            marginal[f"{low}-{high}"] = round(1000 * (generated[high][kind]["median_s"] - generated[low][kind]["median_s"]) / added, 1)
        out["marginal_ms"][kind] = marginal
    # Our plugin's own share: the difference with the plain build of the same Markdown.
    overhead = {size: generated[size]["amparo"]["median_s"] - generated[size]["plain"]["median_s"] for size in sizes}
    out["plugin_overhead_s"] = {size: round(value, 3) for size, value in overhead.items()}
    out["plugin_marginal_ms"] = {f"{low}-{high}": round(1000 * (overhead[high] - overhead[low]) / (int(high) - int(low)), 1)
                                 for low, high in zip(sizes, sizes[1:])}
    marginal = list(out["marginal_ms"]["amparo"].values())
    if len(marginal) >= 2 and marginal[0] > 0:
        out["marginal_ratio"] = round(marginal[-1] / marginal[0], 3)
    plain = list(out["marginal_ms"]["plain"].values())
    if len(plain) >= 2 and plain[0] > 0:
        out["plain_marginal_ratio"] = round(plain[-1] / plain[0], 3)
    return out

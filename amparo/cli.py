"""`amparo` command: check content, build the site safely, keep the schema and catalogs current."""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs.utils.yaml import yaml_load as mkdocs_yaml_load
from pydantic import TypeAdapter

from .errors import ContentError, Problem
from .handwritten import stamp
from .i18n import stale_catalogs, update_catalogs
from .loader import load_content
from . import readability
from .models import SOURCE_LANGUAGE, AnyFile
from .site import Settings, build_site

SCHEMA_PATH = "schema/content.schema.json"


@dataclass
class Project:
    root: Path
    content_dir: Path
    sources_dir: Path
    site_dir: Path
    docs_dir: Path
    languages: list[str]
    complete_languages: list[str]
    language_names: dict[str, str]
    max_source_age_months: int = 12
    today: date | None = None

    @property
    def translated_languages(self) -> list[str]:
        return [language for language in self.languages if language != SOURCE_LANGUAGE]

    def settings(self) -> Settings:
        return Settings(self.languages, self.complete_languages, self.language_names, self.docs_dir,
                        max_source_age_months=self.max_source_age_months, today=self.today)


def plugin_settings(config: dict) -> dict:
    """Plugin name → its settings, from mkdocs.yml's list (where a plugin may be a bare name)."""
    found = {}
    for entry in config.get("plugins", []):
        if isinstance(entry, dict):
            found.update(entry)
        else:
            found[entry] = {}
    return found


def read_project(config_file: Path = Path("mkdocs.yml")) -> Project:
    """Settings from mkdocs.yml, so the command and the site build never disagree."""
    config_file = Path(config_file).resolve()
    # MkDocs' own reader: mkdocs.yml uses its tags (!ENV).
    config = mkdocs_yaml_load(config_file.read_text(encoding="utf-8"))
    plugins = plugin_settings(config)
    amparo = plugins.get("amparo") or {}
    i18n = plugins.get("i18n") or {}
    built = [lang for lang in i18n.get("languages", []) if lang.get("build", True)]
    languages = [lang["locale"] for lang in built] or [SOURCE_LANGUAGE]
    root = config_file.parent
    return Project(
        root=root,
        content_dir=root / amparo.get("content_dir", "procedures"),
        sources_dir=root / amparo.get("sources_dir", "procedures/sources"),
        site_dir=root / config.get("site_dir", "site"),
        docs_dir=root / config.get("docs_dir", "docs"),
        languages=languages,
        complete_languages=amparo.get("complete_languages", []),
        language_names={lang["locale"]: lang.get("name", lang["locale"]) for lang in built},
        max_source_age_months=amparo.get("max_source_age_months", 12),
        today=date.fromisoformat(amparo["today"]) if amparo.get("today") else None,
    )


def content_schema() -> str:
    schema = TypeAdapter(AnyFile).json_schema()
    schema["title"] = "Amparo content file"
    schema["$comment"] = "Generated from amparo/models.py by `make schema`. Do not edit."
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def check(project: Project) -> list[Problem]:
    """Every problem that would stop a build or make CI fail, without building."""
    try:
        content = load_content(project.content_dir, project.sources_dir)
    except ContentError as error:
        return error.problems
    problems = stale_catalogs(list(content.texts()), project.content_dir, project.translated_languages)
    schema_file = project.content_dir / SCHEMA_PATH
    if not schema_file.exists() or schema_file.read_text(encoding="utf-8") != content_schema():
        problems.append(Problem(str(schema_file.relative_to(project.root)), 1, "", "is out of date with amparo/models.py: run `make schema`"))
    try:
        build_site(project.content_dir, project.sources_dir, project.settings())
    except ContentError as error:
        problems.extend(error.problems)
    # An unreadable catalog is found both by the catalog check and by the build: say it once.
    return list(dict.fromkeys(problems))


def build(project: Project, config_file: Path) -> int:
    """Build into a new folder and put it in place only if the whole build succeeded."""
    target = project.site_dir
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config_file),
                             "--site-dir", str(staging)])
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Build failed: {target} was left as it was.", file=sys.stderr)
        return result.returncode
    previous = target.with_name(target.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"Site built in {target}")
    return 0


def review_lines(content) -> list[str]:
    """What an editor needs to write a content review record, and what the records say now."""
    lines = []
    for guide in content.guides:
        version = content.source_version(guide.source)
        review = content.content_review(guide.id)
        earlier = [r for r in content.content_reviews if r.guide == guide.id and r.source_version != version]
        if review is not None:
            state = f"checked against this version in {review.date} by {review.reviewer}"
        elif earlier:
            state = f"checked in {earlier[-1].date} against an earlier version ({earlier[-1].source_version}): check it again"
        else:
            state = "never checked against its source"
        lines.append(f"{guide.id}: source {guide.source}, version {version}; {state}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="amparo", description=__doc__)
    parser.add_argument("--config-file", default="mkdocs.yml", type=Path)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="check content, translations and schema; exit 1 on any problem")
    commands.add_parser("build", help="build the site into site/, leaving the old one if anything fails")
    commands.add_parser("schema", help="write the JSON Schema editors use, from the models")
    translations = commands.add_parser(
        "translations", help="update: catalogs from the Spanish; status: what is translated; "
        "stamp FILE…: record that a translated page (docs/x.fr.md) translates the current Spanish page")
    translations.add_argument("action", choices=["update", "status", "stamp"])
    translations.add_argument("files", nargs="*", type=Path)
    commands.add_parser("reviews", help="each guide: the version of its source now, and when a person last checked "
                        "the guide against it (procedures/locale/reviews.yml)")
    changes = commands.add_parser(
        "changes", help="write a report, for reviewers, of what changes for readers since BASE (a git revision)")
    changes.add_argument("base", metavar="BASE", help="the revision to compare with, e.g. main or origin/main")
    changes.add_argument("--to", metavar="REVISION", help="compare with this revision instead of the working tree")
    changes.add_argument("--output", type=Path, help="write the report to this file (default: print it)")
    args = parser.parse_args(argv)
    project = read_project(args.config_file)

    if args.command == "check":
        problems = check(project)
        if problems:
            print(ContentError(problems).report(), file=sys.stderr)
            return 1
        content = load_content(project.content_dir, project.sources_dir)
        print(f"Content OK: {project.content_dir.name}/ and translations ({', '.join(project.languages)}); "
              f"{len(content.passages)} quoted passages found in their sources.")
        for review in content.outdated_reviews():
            print(f"Warning: guide '{review.guide}' was checked against an earlier version of its source "
                  f"({review.source_version}): its page no longer says it was checked; check it again "
                  "(`amparo reviews`).", file=sys.stderr)
        for source_id, age in project.settings().stale_sources(content).items():
            print(f"Warning: source '{source_id}' was last updated {age} months ago (more than "
                  f"{project.max_source_age_months}): check for a newer version.", file=sys.stderr)
        # Plain language is measured, never enforced here: a warning for editors (amparo/readability.py).
        if readability.available():
            for line in readability.warnings(readability.report(content, project.docs_dir)):
                print(f"Warning: {line}", file=sys.stderr)
        else:
            print("Note: the readability report was skipped: install the 'readability' extra (make does).",
                  file=sys.stderr)
        return 0
    if args.command == "build":
        return build(project, args.config_file)
    if args.command == "reviews":
        try:
            content = load_content(project.content_dir, project.sources_dir)
        except ContentError as error:
            print(error.report(), file=sys.stderr)
            return 1
        for line in review_lines(content):
            print(line)
        return 0
    if args.command == "changes":
        from .changes import ChangesError, report

        try:
            text = report(project, args.base, args.to)
        except ChangesError as error:
            print(f"amparo changes: {error}", file=sys.stderr)
            return 1
        if args.output:
            args.output.write_text(text, encoding="utf-8")
            print(f"Wrote {args.output}")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "schema":
        path = project.content_dir / SCHEMA_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content_schema(), encoding="utf-8")
        print(f"Wrote {path}")
        return 0
    if args.action == "stamp":
        for path in args.files:
            print(f"{path}: translates the Spanish page with id {stamp(path)}")
        return 0
    try:
        content = load_content(project.content_dir, project.sources_dir)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    if args.action == "update":
        try:
            written = update_catalogs(list(content.texts()), project.content_dir, project.translated_languages)
        except ContentError as error:
            print(error.report(), file=sys.stderr)
            return 1
        for path in written:
            print(f"Wrote {path}")
        return 0
    site = build_site(project.content_dir, project.sources_dir, dataclasses.replace(project.settings(), complete_languages=[]),
                      strict=False)
    for problem in site.problems:
        print(f"problem: {problem}")
    for language, status in site.status.items():
        pages = [page for page in site.page_translations if page.language == language]
        states = ", ".join(f"{page.source} {page.state}" for page in pages)
        print(f"{language}: {status.translated}/{status.total} texts translated, "
              f"{len(status.outdated)} outdated, {len(status.missing)} missing; pages: {states}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`amparo` command: check content, build the site safely, keep the schema, catalogs and quiz files current."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pydantic import TypeAdapter

from .content.errors import ContentError, Problem
from .content.loader import QUIZ_FILE, Content, load_content, load_quiz
from .content.models import AnyFile
from .i18n.catalogs import stale_catalogs, update_catalogs
from .i18n.handwritten_pages import page_meaning_problems, reader_text, spanish_pages, stamp
from .i18n.term_base import TermBase
from .project import CONFIG_FILE, Project, read_config, read_project, remote_resource_problems
from .publish.engine_bundle import STDLIB_MODULES_FILE, measure, write_stdlib_modules
from .publish.generated_pages import build_site, localized_flow
from .publish.nginx_config import server_block
from .publish.published_links import LINKS_FILE, covered_by_redirect, published_now, update_list
from .publish.published_links import check as check_links
from .publish.redirects import REDIRECTS_FILE, load_redirects
from .render.quiz_flow import PATHS_FILE, README, paths_json, readme_text, stale_files
from .review import readability
from .review.changes import ChangesError, report

SCHEMA_PATH = "schema/content.schema.json"


@functools.cache   # made from the code only
def content_schema() -> str:
    schema = TypeAdapter(AnyFile).json_schema()
    schema["title"] = "Amparo content file"
    schema["$comment"] = "Generated from amparo/content/models.py by `make schema`. Do not edit."
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def check(project: Project) -> list[Problem]:
    """Every problem that would stop a build or make CI fail, without building."""
    return check_content(project)[0]


def check_content(project: Project) -> tuple[list[Problem], Content | None]:
    """`check`'s problems, and the content, loaded once for all of them (None if it cannot be read)."""
    problems: list[Problem] = []
    if project.config_file is not None:
        problems += remote_resource_problems(project.config_file, read_config(project.config_file))
    try:
        content = load_content(project.content_dir, project.sources_dir)
    except ContentError as error:
        return problems + error.problems, None
    problems += stale_catalogs(list(content.texts()), project.content_dir, project.translated_languages)
    try:
        TermBase.load(project.content_dir, project.languages)
    except ContentError as error:
        problems.extend(error.problems)
    schema_file = project.content_dir / SCHEMA_PATH
    if not schema_file.exists() or schema_file.read_text(encoding="utf-8") != content_schema():
        problems.append(Problem(str(schema_file.relative_to(project.root)), 1, "", "is out of date with amparo/content/models.py: run `make schema`"))
    # The files generated from quiz.yml, which CI compares: `amparo quiz paths` and `amparo quiz readme`.
    problems += stale_files(project.root, project.content_dir, content.quiz)
    try:
        build_site(project.content_dir, project.sources_dir, project.settings(), content=content)
    except ContentError as error:
        problems.extend(error.problems)
    # An unreadable catalog is found both by the catalog check and by the build: say it once.
    return list(dict.fromkeys(problems)), content


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


def quiz_command(project: Project, action: str, language: str) -> int:
    try:
        if action == "check":
            problems = stale_files(project.root, project.content_dir)
            if problems:
                print(ContentError(problems).report(), file=sys.stderr)
                return 1
            print("Quiz files are up to date.")
            return 0
        if action == "flow":
            json.dump(localized_flow(project, language), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return 0
        quiz = load_quiz(project.content_dir / QUIZ_FILE, f"{project.content_dir.name}/{QUIZ_FILE}")
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    if action == "paths":
        path = project.content_dir / PATHS_FILE
        text = paths_json(quiz)
        path.write_text(text, encoding="utf-8")
        print(f"Wrote {path} ({json.loads(text)['count']} paths)")
    else:
        path = project.root / README
        path.write_text(readme_text(path.read_text(encoding="utf-8"), quiz), encoding="utf-8")
        print(f"Wrote {path}")
    return 0


def stamp_command(project: Project, files: list[Path]) -> int:
    """Record that each translated page translates the current Spanish page, only if it keeps the
    Spanish page's numbers and terms: otherwise say where it does not, and stamp none."""
    try:
        terms = TermBase.load(project.content_dir, project.languages)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    problems = []
    for path in files:
        match = re.fullmatch(r"(.+)\.([a-z]{2}(?:-[A-Za-z]+)?)\.md", path.name)
        source = path.with_name(match.group(1) + ".md") if match else None
        if source is None or not source.exists():
            problems.append(Problem(str(path), 1, "", "is not the translation of a page (page.<language>.md beside page.md)"))
            continue
        problems += page_meaning_problems(path.parent, source.name, match.group(2), terms)
    if problems:
        print(ContentError(problems).report().replace("nothing was built", "nothing was stamped"), file=sys.stderr)
        return 1
    for path in files:
        print(f"{path}: translates the Spanish page with id {stamp(path)}")
    return 0


def measure_command(project: Project) -> int:
    try:
        flow = localized_flow(project, "es")
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    modules = measure(project.root, flow)
    path = write_stdlib_modules(modules)
    print(f"Wrote {path} ({len(modules)} modules)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amparo", description=__doc__)
    parser.add_argument("--config-file", default=CONFIG_FILE, type=Path)
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
    quiz = commands.add_parser("quiz", help="the files generated from quiz.yml: paths: write procedures/"
                               f"{PATHS_FILE}, every path through the quiz; readme: update the generated "
                               f"reference in {README}; check: exit 1 if either is out of date; flow: print "
                               "the flow of one language (for `python -m quiz`)")
    quiz.add_argument("action", choices=["paths", "readme", "check", "flow"])
    quiz.add_argument("--language", default="es", help="for flow: the language (default: es)")
    runtime = commands.add_parser("bundle", help="measure: run the engine under Pyodide (Node) with the full "
                                  f"standard library and rewrite amparo/{STDLIB_MODULES_FILE.name} with the modules it imported")
    runtime.add_argument("action", choices=["measure"])
    nginx = commands.add_parser("nginx", help="print an nginx server block that sends the headers of a built "
                                "site's _headers file (for a self-hosted copy)")
    nginx.add_argument("site_dir", type=Path)
    nginx.add_argument("--listen", default="80", help="nginx's listen value (default: 80)")
    links = commands.add_parser(
        "links", help="update: add every address the site publishes to procedures/published-links.txt; check: fail "
        "for a listed address that is gone without a redirect (procedures/redirects.yml)")
    links.add_argument("action", choices=["update", "check"])
    links.add_argument("--site", type=Path, help="a site already built by `mkdocs build` (default: build one, without PDFs)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "nginx":   # needs no project
        sys.stdout.write(server_block((args.site_dir / "_headers").read_text(encoding="utf-8"), args.site_dir, args.listen))
        return 0
    # Every command's content problems end the same way: the report, and exit 1.
    try:
        project = read_project(args.config_file)
        return COMMANDS[args.command](project, args)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1


def links_command(project: Project, args: argparse.Namespace) -> int:
    """`amparo links update|check`: on `--site`, or on a site built for it (without PDFs)."""
    redirects = load_redirects(project.content_dir)
    if args.site is None:
        with tempfile.TemporaryDirectory(prefix="amparo-links-") as folder:
            result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file",
                                     str(args.config_file), "--site-dir", folder],
                                    env=dict(os.environ, AMPARO_PDF="off", NO_MKDOCS_2_WARNING="1"))
            if result.returncode != 0:
                print("amparo links: the site did not build", file=sys.stderr)
                return result.returncode
            current = published_now(project, Path(folder))
    else:
        current = published_now(project, args.site)
    listed_file = f"{project.content_dir.name}/{LINKS_FILE}"
    if args.action == "update":
        added, gone = update_list(project.content_dir, current)
        print(f"Wrote {listed_file}: {added} addresses added, {len(current)} published now.")
        for address in gone:
            if not covered_by_redirect(address, redirects, project.languages):
                print(f"  still listed, no longer published: {address} (add a redirect to "
                      f"{project.content_dir.name}/{REDIRECTS_FILE})", file=sys.stderr)
        return 0
    problems = check_links(project.content_dir, current, redirects, project.languages)
    if problems:
        print(ContentError(problems).report(), file=sys.stderr)
        return 1
    print(f"{listed_file}: every listed address is published or redirected ({len(current)} published).")
    return 0


def check_command(project: Project, args: argparse.Namespace) -> int:
    problems, content = check_content(project)
    if problems:
        print(ContentError(problems).report(), file=sys.stderr)
        return 1
    print(f"Content OK: {project.content_dir.name}/ and translations ({', '.join(project.languages)}); "
          f"{len(content.passages)} quoted passages found in their sources.")
    for line in check_warnings(project, content):
        print(line, file=sys.stderr)
    return 0


def check_warnings(project: Project, content: Content) -> list[str]:
    """What `amparo check` tells editors without failing: reviews and sources to check again,
    unused terms of the term base, and long sentences."""
    lines = [f"Warning: guide '{review.guide}' was checked against an earlier version of its source "
             f"({review.source_version}): its page no longer says it was checked; check it again "
             "(`amparo reviews`)." for review in content.outdated_reviews()]
    lines += [f"Warning: source '{source_id}' was last updated {age} months ago (more than "
              f"{project.max_source_age_months}): check for a newer version."
              for source_id, age in project.settings().stale_sources(content).items()]
    spanish = [str(text) for text in content.texts()]
    spanish += [reader_text((project.docs_dir / page).read_text(encoding="utf-8"))
                for page in spanish_pages(project.docs_dir, set(), project.languages)]
    lines += [f"Warning: {problem}" for problem in TermBase.load(project.content_dir, project.languages).unused(spanish)]
    # Plain language is measured, never enforced here: a warning for editors (amparo/review/readability.py).
    if not readability.available():
        return lines + ["Note: the readability report was skipped: install the 'readability' extra (make does)."]
    return lines + [f"Warning: {line}" for line in readability.warnings(readability.report(content, project.docs_dir))]


def build_command(project: Project, args: argparse.Namespace) -> int:
    return build(project, args.config_file)


def reviews_command(project: Project, args: argparse.Namespace) -> int:
    for line in review_lines(load_content(project.content_dir, project.sources_dir)):
        print(line)
    return 0


def changes_command(project: Project, args: argparse.Namespace) -> int:
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


def schema_command(project: Project, args: argparse.Namespace) -> int:
    path = project.content_dir / SCHEMA_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content_schema(), encoding="utf-8")
    print(f"Wrote {path}")
    return 0


def translations_command(project: Project, args: argparse.Namespace) -> int:
    if args.action == "stamp":
        return stamp_command(project, args.files)
    if args.action == "update":
        content = load_content(project.content_dir, project.sources_dir)
        for path in update_catalogs(list(content.texts()), project.content_dir, project.translated_languages):
            print(f"Wrote {path}")
        return 0
    return translation_status(project)


def translation_status(project: Project) -> int:
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


COMMANDS = {
    "check": check_command,
    "build": build_command,
    "schema": schema_command,
    "translations": translations_command,
    "reviews": reviews_command,
    "changes": changes_command,
    "quiz": lambda project, args: quiz_command(project, args.action, args.language),
    "bundle": lambda project, args: measure_command(project),
    "links": links_command,
}


if __name__ == "__main__":
    sys.exit(main())

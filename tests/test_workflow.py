"""The GitHub workflow gives reviewers of every pull request the report and the built site.

GitHub itself cannot run here, so this reads the workflow as GitHub would (YAML) and checks the
steps; deployment is not exercised."""

import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def action(step: dict) -> str | None:
    """`actions/checkout@v4` or `…@<commit>` → `actions/checkout`: pinning does not change which."""
    return step["uses"].split("@")[0] if "uses" in step else None


def test_the_review_job_runs_on_pull_requests_only():
    document = workflow()
    triggers = document.get("on", document.get(True))   # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    review = document["jobs"]["review"]
    assert review["if"] == "github.event_name == 'pull_request'"
    assert "permissions" not in review or review["permissions"].get("contents") in (None, "read")
    assert document["permissions"] == {"contents": "read"}


def test_the_report_goes_to_the_job_summary_and_the_site_is_uploaded():
    steps = workflow()["jobs"]["review"]["steps"]
    names = [action(step) or step.get("name") for step in steps]
    checkout = steps[names.index("actions/checkout")]
    # The base branch must be there to compare with.
    assert checkout["with"]["fetch-depth"] == 0
    report = next(step for step in steps if "make --silent changes" in step.get("run", ""))
    assert 'BASE="origin/$BASE_REF"' in report["run"]
    # The branch name reaches the shell as a variable, never pasted into the script.
    assert report["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert '>> "$GITHUB_STEP_SUMMARY"' in report["run"] and "exit 1" in report["run"]
    build = next(index for index, step in enumerate(steps) if step.get("run") == "make build")
    upload = names.index("actions/upload-artifact")
    assert steps.index(report) < build < upload
    assert steps[upload]["with"]["path"] == "site" and steps[upload]["with"]["name"] == "site-for-review"


def test_the_review_job_uses_the_actions_the_workflow_already_trusts():
    document = workflow()
    used_elsewhere = {action(step) for name, job in document["jobs"].items() if name != "review"
                      for step in job["steps"]} - {None}
    review = {action(step) for step in document["jobs"]["review"]["steps"]} - {None}
    assert review - used_elsewhere == {"actions/upload-artifact"}


def test_the_make_target_the_workflow_calls_exists():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\nchanges: $(STAMP)\n\t$(BIN)/amparo changes $(BASE)\n" in makefile
    assert "STAMP := $(VENV)/.installed" in makefile


def _address_check() -> tuple[list[dict], dict]:
    steps = workflow()["jobs"]["deploy"]["steps"]
    check = next(step for step in steps if "BASE_URL" in step.get("env", {}))
    return steps, check


@pytest.mark.parametrize("base_url, fails", [("", True), ("http://127.0.0.1:8000", True), ("/", True),
                                               ("https://someone.github.io/amparo", False)])
def test_the_deploy_stops_without_the_site_public_address(base_url, fails):
    """The QR codes carry the site's address: a deploy without it (the local default) would print
    codes that lead nowhere. The check runs before the build, on what configure-pages gives."""
    steps, check = _address_check()
    build = next(step for step in steps if step.get("run") == "make build")
    assert steps.index(check) < steps.index(build)
    assert check["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert build["env"]["AMPARO_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    result = subprocess.run(["bash", "-e", "-c", check["run"]], env={"BASE_URL": base_url, "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True)
    assert (result.returncode != 0) == fails, (base_url, result.stdout, result.stderr)

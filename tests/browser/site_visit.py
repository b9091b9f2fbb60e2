"""One visit of every built page of a language, shared by the three whole-site audits that used
to load each page once each: the policy and nothing from elsewhere (test_site_pages.py), axe-core
(test_site_audit.py) and HTML_CodeSniffer (test_html_codesniffer.py).

Each page is loaded once, in a guarded context with its Content-Security-Policy enforced, and
looked at in this order:
1. at desktop size, once it has loaded: axe-core (as the axe audit did, at the `load` event);
2. the same page made phone-sized (a viewport change, not a reload: the theme's styles follow
   media queries and its scripts listen for the change, so the checker sees the phone's layout):
   HTML_CodeSniffer;
3. the network quiet for 500 ms (`networkidle`, as the policy audit waited for): the status, the
   policy's meta tags, the CSP violations reported since the page was asked for, and every request
   to another host, failed and recorded by the Guard.
The checkers run while the page finishes loading instead of after it, which is where the time
goes: the quiet half-second, on every page, overlaps them. Both are evaluated through the
DevTools protocol, which the page's policy does not govern (the policy refuses inline scripts,
and HTML_CodeSniffer needed a context without it before); neither makes a request, so anything
the Guard records is the page's own doing.

Each audit's findings are kept apart, and a checker that fails on a page is a finding of that
audit alone: a failure in one never hides what the others found. What a page's audit found is
kept with the digests of every file it was found from (audit_cache.py), and read again instead
of made while none of them, nor the audit, has changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

from audit_cache import AuditCache
from browser_helpers import DESKTOP, MOBILE, SAVE_DATA, Guard

REPO = Path(__file__).resolve().parents[2]

# axe-core: WCAG 2.2 A and AA, violations only.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()
# The same run as AXE.run(page, options=...), returning only the violations (all the report
# reads): the passes and inapplicable rules are most of the payload on a big page.
_AXE_RUN = "axe.run(%s).then((results) => ({violations: results.violations}))" % json.dumps(
    {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})

# HTML_CodeSniffer (npm `html_codesniffer`, package-lock.json), errors only (type 1): warnings
# and notices are things for a person to look at, not failures.
HTMLCS = REPO / "node_modules/html_codesniffer/build/HTMLCS.js"
SNIFF = """() => new Promise((resolve) => HTMLCS.process("WCAG2AA", document, () => resolve(
  HTMLCS.getMessages().filter((m) => m.type === 1).map((m) => `${m.code}: ${m.msg} ${m.element.outerHTML.slice(0, 120)}`))))"""

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_CSP = re.compile(r'http-equiv="Content-Security-Policy"\s+content="([^"]*)"', re.IGNORECASE)


def script_src(policy: str) -> list[str]:
    for directive in policy.split(";"):
        name, *values = directive.split()
        if name == "script-src":
            return values
    return []


def axe_report(page) -> str | None:
    """axe-core's report of the WCAG 2.2 A/AA violations on the page, or None when there are none."""
    page.evaluate(AXE.axe_script)
    results = AxeResults(page.evaluate(_AXE_RUN))
    return results.generate_report() if results.violations_count else None


def sniff(page, source: str) -> list[str]:
    """HTML_CodeSniffer's WCAG 2 AA errors on the page."""
    page.evaluate(source)
    return page.evaluate(SNIFF)


def policy_problems(path: str, html: str) -> list[str]:
    """The page's one CSP meta tag, first after the charset, allows no eval() and no inline code."""
    metas = _META.findall(html)
    policies = _CSP.findall(html)
    if len(policies) != 1:
        return [f"{path}: {len(policies)} CSP meta tags"]
    if len(metas) < 2 or "charset" not in metas[0].lower() or "Content-Security-Policy" not in metas[1]:
        return [f"{path}: the CSP is not the first meta after the charset: {metas[:2]}"]
    sources = script_src(policies[0])
    # 'wasm-unsafe-eval' is allowed (WebAssembly only); eval() and inline code are not.
    return [f"{path}: script-src allows {forbidden}" for forbidden in ("'unsafe-eval'", "'unsafe-inline'")
            if forbidden in sources]


@dataclass
class PageFindings:
    """What each audit found on one page."""

    policy: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    axe: str | None = None
    sniffer: list[str] = field(default_factory=list)


@dataclass(repr=False)
class Findings:
    """What each audit found on one language's pages."""

    paths: list[str]
    policy: list[str] = field(default_factory=list)       # status, CSP meta tags, CSP violations
    foreign: list[str] = field(default_factory=list)      # requests to other hosts (failed)
    axe: list[str] = field(default_factory=list)          # "<path>:\n<axe-core's report>"
    sniffer: dict[str, list[str]] = field(default_factory=dict)  # path: HTML_CodeSniffer errors

    def add(self, path: str, page: PageFindings) -> None:
        self.policy += page.policy
        self.foreign += page.foreign
        if page.axe:
            self.axe.append(f"{path}:\n{page.axe}")
        if page.sniffer:
            self.sniffer[path] = page.sniffer

    def __repr__(self):  # what pytest prints beside a failed assertion: the message says the rest
        return f"Findings({len(self.paths)} pages)"


def kept_findings(browser, server: str, site_dir: Path) -> AuditCache:
    """The kept findings of this audit: these checkers, this code, this browser."""
    checkers = [AXE.axe_script, HTMLCS.read_text(encoding="utf-8") if HTMLCS.exists() else ""]
    return AuditCache.of("site-visit", browser, server, site_dir, [Path(__file__)], checkers)


def kept_axe_reports(name: str, browser, server: str, site_dir: Path, test_file: str) -> AuditCache:
    """axe-core's reports as the tests of `test_file` make them (axe_report, after what the test
    does first), kept while nothing they were made from changes (audit_cache.py)."""
    return AuditCache.of(name, browser, server, site_dir, [Path(__file__), Path(test_file)], [AXE.axe_script])


def visit(browser, server: str, paths: list[str], cache: AuditCache) -> Findings:
    """Audits each page of `paths`, or reads what an earlier run found on it where nothing it was
    found from has changed (audit_cache.py)."""
    findings = Findings(paths)
    if not HTMLCS.exists():
        raise RuntimeError(f"{HTMLCS.relative_to(REPO)} is missing: run `npm ci --ignore-scripts` (make test does)")
    unchanged = {path: _kept(cache, path) for path in paths}
    to_audit = [path for path in paths if unchanged[path] is None]
    audited = _audit(browser, server, to_audit, cache) if to_audit else {}
    for path in paths:
        findings.add(path, unchanged[path] or audited[path])
    return findings


def _kept(cache: AuditCache, path: str) -> PageFindings | None:
    kept = cache.found(path)
    return PageFindings(**kept) if kept is not None else None


def _audit(browser, server: str, paths: list[str], cache: AuditCache) -> dict[str, PageFindings]:
    source = HTMLCS.read_text(encoding="utf-8")
    guard = Guard(server)
    context = browser.new_context(base_url=server, viewport=DESKTOP)
    guard.attach(context)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    # As a phone that saves data: the live quiz page does not start its engine (Pyodide, 4 s of
    # CPU per language here). test_languages.py starts it and completes the quiz in every language,
    # under the same guard and policy; the page audited here is the same until a date is asked.
    context.add_init_script(SAVE_DATA)
    page = context.new_page()
    audited, asked, complete, first_foreign = {}, {}, {}, {}
    try:
        for path in paths:
            requested.clear()
            first_foreign[path] = len(guard.foreign)
            audited[path], complete[path] = _visit_page(page, guard, path, source)
            asked[path] = list(requested)
    finally:
        context.close()
    for path, foreign in foreign_by_page(first_foreign, guard.foreign).items():
        audited[path].foreign = foreign
        if complete[path]:
            cache.keep(path, asked[path], asdict(audited[path]))
    return audited


def foreign_by_page(first: dict[str, int], foreign: list[str]) -> dict[str, list[str]]:
    """Each page's requests to other hosts, from `first` (page → how many had been recorded when
    it was asked for, in the order visited): a request belongs to the page it was made on or
    after, the last page's until its browser closed."""
    ends = [*list(first.values())[1:], len(foreign)]
    return {path: foreign[start:end] for (path, start), end in zip(first.items(), ends)}


def _visit_page(page, guard: Guard, path: str, source: str) -> tuple[PageFindings, bool]:
    """What the audits found on the page, and whether each of them could run to its end."""
    found = PageFindings()
    page.set_viewport_size(DESKTOP)
    guard.csp.clear()
    try:
        response = page.goto(path)
    except Exception as error:  # each audit would have stopped here: each reports it
        message = f"could not be loaded: {error}"
        return PageFindings(policy=[f"{path}: {message}"], axe=message, sniffer=[message]), False
    complete = True
    try:
        found.axe = axe_report(page)
    except Exception as error:
        found.axe, complete = f"axe-core could not run: {error}", False
    page.set_viewport_size(MOBILE)
    try:
        found.sniffer = sniff(page, source)
    except Exception as error:
        found.sniffer, complete = [f"HTML_CodeSniffer could not run: {error}"], False
    try:
        page.wait_for_load_state("networkidle")
    except Exception as error:
        found.policy.append(f"{path}: the network never went quiet: {error}")
        return found, False
    if response is None or response.status != 200:
        found.policy.append(f"{path}: status {response and response.status}")
        return found, complete
    found.policy.extend(policy_problems(path, response.text()))
    if guard.csp:
        found.policy.append(f"{path}: CSP violations {guard.csp}")
    return found, complete

import base64
import hashlib

from amparo.publish.csp import add_policy, headers_file, policy

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>t</title>
<script>var a = 1;</script><script src="x.js"></script></head><body><script>b()</script></body></html>"""


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_policy_is_first_in_head_and_allows_only_present_inline_scripts():
    html = add_policy(PAGE)
    head = html.split("</head>")[0]
    # Before anything it governs: the title, and every script (a policy only covers what follows it).
    policy_at = head.index('http-equiv="Content-Security-Policy"')
    assert policy_at < head.index("<title>") and policy_at < head.index("<script")
    assert head.index('<meta charset="utf-8">') < policy_at
    csp = html.split('content="', 1)[1].split('"', 1)[0]
    assert sha("var a = 1;") in csp and sha("b()") in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "default-src 'none'" in csp
    assert '<meta name="referrer" content="no-referrer">' in html


def test_adding_twice_keeps_one_policy():
    html = add_policy(add_policy(PAGE))
    assert html.count("Content-Security-Policy") == 1


def test_no_other_host_is_allowed():
    for directive in policy([], []).split("; "):
        for source in directive.split()[1:]:
            assert source.startswith("'") or source in ("data:",), directive


def test_headers_file_covers_every_page_and_serves_wasm(tmp_path):
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<html><head></head><body><script>c()</script></body></html>")
    text = headers_file(tmp_path)
    assert sha("c()") in text and sha("var a = 1;") in text
    assert "frame-ancestors 'none'" in text
    assert "/*.wasm\n  Content-Type: application/wasm" in text

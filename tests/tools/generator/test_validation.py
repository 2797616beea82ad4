"""Publish checks on generated pages."""

from __future__ import annotations

import pytest

from saasapp.tools.generator.validation import validate_tool_html

OK = "<!DOCTYPE html><html><head><title>t</title></head><body><main>hi</main></body></html>"


def codes(html, allowed=(), max_bytes=100_000):
    return [p.code for p in validate_tool_html(html, list(allowed), max_bytes)]


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def test_a_plain_page_is_publishable():
    assert validate_tool_html(OK, [], 10_000) == []


def test_script_from_an_unknown_host_is_refused_with_an_explanation():
    html = page('<script src="https://evil.example/x.js"></script>')
    [problem] = validate_tool_html(html, ["cdn.allowed.test"], 10_000)
    assert problem.code == "external_script"
    assert "evil.example" in problem.message and "allowed hosts" in problem.message


@pytest.mark.parametrize(
    "src",
    [
        "https://cdn.allowed.test/lib.js",
        "https://x.static.test/a.js",
        "/static/app.js",
        "app.js",
        "data:text/javascript,1",
    ],
)
def test_allowlisted_relative_and_data_scripts_pass(src):
    assert (
        codes(page(f'<script src="{src}"></script>'), ["cdn.allowed.test", "*.static.test"]) == []
    )


@pytest.mark.parametrize(
    "src",
    [
        "//evil.example/x.js",
        "HTTP://EVIL.example/x.js",
        " https://evil.example/x",
        "https://cdn.allowed.test.evil.example/x.js",
        "ftp://files.example/x.js",
    ],
)
def test_tricky_external_scripts_are_refused(src):
    assert codes(page(f'<script src="{src}"></script>'), ["cdn.allowed.test"]) == [
        "external_script"
    ]


@pytest.mark.parametrize(
    "action", ["https://collect.example/leads", "//collect.example/leads", "http://localhost/x"]
)
def test_forms_posting_off_platform_are_refused(action):
    assert codes(page(f'<form action="{action}" method=post><input name=e></form>')) == [
        "form_off_platform"
    ]
    assert codes(page(f'<form><button formaction="{action}">Go</button></form>')) == [
        "form_off_platform"
    ]


def test_forms_without_or_with_relative_action_pass():
    assert codes(page('<form><input></form><form action="/t/x/submit"></form>')) == []


@pytest.mark.parametrize(
    "tag",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<img src="vbscript:msgbox(1)">',
    ],
)
def test_javascript_urls_are_refused(tag):
    assert "javascript_url" in codes(page(tag))


def test_other_refusals():
    assert codes(page("", '<base href="https://evil.example/">')) == ["base_tag"]
    assert codes(page("", '<meta http-equiv="refresh" content="0; url=https://evil.example">')) == [
        "meta_refresh"
    ]
    assert codes(page("", '<meta http-equiv="refresh" content="30">')) == []
    assert codes(page("", '<link rel="stylesheet" href="https://fonts.example/css">')) == [
        "external_stylesheet"
    ]
    assert codes(page("", '<link rel="canonical" href="https://example.org/t/x">')) == []
    assert codes(page("", "<style>@import url('https://evil.example/a.css');</style>")) == [
        "css_import",
        "css_url",
    ]
    assert codes(page("", "<style>body{background:url(https://evil.example/bg.png)}</style>")) == [
        "css_url"
    ]
    assert codes(page("<style>b{background:url(data:image/png;base64,AA)}</style>")) == []
    assert codes(page('<div style="background:url(//evil.example/x.png)"></div>')) == ["css_url"]
    assert codes(page('<iframe src="https://evil.example/"></iframe>')) == ["external_frame"]
    assert codes(page('<object data="https://evil.example/x.swf"></object>')) == ["external_frame"]
    assert codes(page('<embed src="https://evil.example/x">')) == ["external_frame"]
    assert codes(page('<iframe srcdoc="<p>hi</p>"></iframe>')) == []


def test_size_limit_and_empty_pages():
    assert codes(OK, max_bytes=10) == ["too_large"]
    assert codes("   ") == ["empty"]
    assert codes("just text") == ["no_markup"]

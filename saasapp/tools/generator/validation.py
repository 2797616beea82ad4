"""Checks a generated page must pass before it can be published.

A published tool runs on the platform's own origin path, so it must not pull code from hosts
nobody vetted, post what users type to somewhere else, or navigate the visitor away. Each
problem explains itself; an empty list means publishable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


# Attributes whose value is a URL the browser may load or navigate to.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background"}
)
# <link rel> values that make the browser fetch the href.
FETCHING_LINK_RELS = frozenset(
    {
        "stylesheet",
        "preload",
        "modulepreload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
        "prerender",
        "import",
        "manifest",
        "icon",
        "shortcut",
        "apple-touch-icon",
    }
)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\(\s*)?['\"]?([^'\"\)\s;]+)", re.IGNORECASE)
_SCRIPTISH_SCHEME = re.compile(r"^(javascript|vbscript):", re.IGNORECASE)
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def _squeeze(url: str) -> str:
    # Browsers ignore tabs, newlines and leading spaces inside a scheme ("java\tscript:").
    return _CONTROL_AND_SPACE.sub("", url)


def is_script_url(url: str) -> bool:
    return bool(_SCRIPTISH_SCHEME.match(_squeeze(url)))


def external_host(url: str) -> str | None:
    """The host an absolute or protocol-relative URL points at; None for relative and data:.

    A URL with a scheme other than http(s) (ftp:, file:, ...) that is not data:/blob: counts as
    external too, under its scheme name.
    """
    squeezed = _squeeze(url).replace("\\", "/")
    if not squeezed:
        return None
    if squeezed.startswith("//"):
        return (urlsplit("http:" + squeezed).hostname or "").lower() or "?"
    parts = urlsplit(squeezed)
    scheme = parts.scheme.lower()
    if not scheme:
        return None
    if scheme in ("data", "blob", "about", "mailto", "tel", "javascript", "vbscript"):
        return None
    if scheme in ("http", "https"):
        return (parts.hostname or "").lower() or "?"
    return f"{scheme}:"


def host_allowed(host: str, allowed_hosts: list[str]) -> bool:
    """Exact host names, or "*.example.org" for its subdomains."""
    host = host.lower().rstrip(".")
    for allowed in allowed_hosts:
        allowed = allowed.strip().lower().rstrip(".")
        if not allowed:
            continue
        if allowed.startswith("*."):
            if host.endswith(allowed[1:]):
                return True
        elif host == allowed:
            return True
    return False


class _Checker(HTMLParser):
    def __init__(self, allowed_hosts: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed_hosts
        self.problems: list[Problem] = []
        self.elements = 0
        self._in_style = False

    def add(self, code: str, message: str) -> None:
        problem = Problem(code, message)
        if problem not in self.problems:
            self.problems.append(problem)

    def _foreign(self, url: str | None) -> str | None:
        if not url:
            return None
        host = external_host(url)
        if host is None or host_allowed(host, self.allowed):
            return None
        return host

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        values = {name.lower(): (value or "") for name, value in attrs}
        self._check_urls(tag, values)
        if tag == "script" and values.get("src"):
            host = self._foreign(values["src"])
            if host:
                self.add(
                    "external_script",
                    f"<script> loads code from {host}, which is not on the allowed hosts. "
                    "Inline the script or use an allowed host.",
                )
        elif tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            host = self._foreign(values["href"])
            if host and rels & FETCHING_LINK_RELS:
                code = "external_stylesheet" if "stylesheet" in rels else "external_link"
                self.add(
                    code,
                    f'<link rel="{" ".join(sorted(rels))}"> loads {values["href"]!r} from '
                    f"{host}, which is not on the allowed hosts. Inline the CSS instead.",
                )
        elif tag == "base":
            self.add("base_tag", "<base> changes where every link points: remove it.")
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", values.get("content", ""), re.I)
            target = match.group(1).strip() if match else ""
            if target and (self._foreign(target) or is_script_url(target)):
                self.add(
                    "meta_refresh",
                    f"<meta http-equiv=refresh> sends visitors to {target!r}, off the platform.",
                )
        elif tag in ("iframe", "frame", "object", "embed"):
            for attr in ("src", "data"):
                host = self._foreign(values.get(attr))
                if host:
                    self.add(
                        "external_frame",
                        f"<{tag}> embeds content from {host}, which is not on the allowed hosts.",
                    )
        if tag == "form" or "formaction" in values:
            for attr in ("action", "formaction"):
                target = values.get(attr, "")
                if target and external_host(target) is not None:
                    self.add(
                        "form_off_platform",
                        f"A form posts to {target!r}. Forms may only submit on the page itself "
                        "(no action, or a relative one).",
                    )
        if values.get("style"):
            self._check_css(values["style"])
        if tag == "style":
            self._in_style = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css(data)

    def _check_urls(self, tag: str, values: dict[str, str]) -> None:
        for name, value in values.items():
            if (name in URL_ATTRIBUTES or name.endswith(":href")) and is_script_url(value):
                self.add(
                    "javascript_url",
                    f'<{tag} {name}="{value[:60]}"> runs code from a URL: use an event '
                    "listener in the page's script instead.",
                )

    def _check_css(self, css: str) -> None:
        for match in _CSS_IMPORT.finditer(css):
            host = self._foreign(match.group(1))
            if host:
                self.add(
                    "css_import",
                    f"@import loads a stylesheet from {host}, which is not on the allowed hosts.",
                )
        for match in _CSS_URL.finditer(css):
            host = self._foreign(match.group(2))
            if host:
                self.add(
                    "css_url",
                    f"CSS url() loads {match.group(2)[:80]!r} from {host}, which is not on the "
                    "allowed hosts. Use a data: URL or an allowed host.",
                )


def validate_tool_html(html: str, allowed_hosts: list[str], max_bytes: int) -> list[Problem]:
    """Problems that block publishing ``html``; an empty list means publishable."""
    problems: list[Problem] = []
    size = len(html.encode("utf-8"))
    if size > max_bytes:
        problems.append(
            Problem(
                "too_large",
                f"The page is {size:,} bytes; the limit is {max_bytes:,}. Make it smaller.",
            )
        )
    if not html.strip():
        return [*problems, Problem("empty", "The page is empty.")]
    checker = _Checker(list(allowed_hosts))
    try:
        checker.feed(html)
        checker.close()
    except Exception as exc:  # html.parser is lenient; anything it raises is a real break
        return [*problems, Problem("unparsable", f"The HTML does not parse: {exc}")]
    if checker.elements == 0:
        problems.append(Problem("no_markup", "The page holds no HTML elements."))
    return problems + checker.problems

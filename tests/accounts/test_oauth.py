"""Where a sign-in may send the browser next: only to paths of this site."""

import pytest

from saasapp.accounts.oauth import safe_next


@pytest.mark.parametrize(
    "path",
    ["/", "/tools", "/tools/42?tab=versions", "/wallet#history", "/a/b%2Fc", "/r/CODE?x=1&y=2"],
)
def test_local_paths_are_kept(path):
    assert safe_next(path) == path


@pytest.mark.parametrize(
    "path",
    [
        None,
        "",
        "tools",
        "https://evil.example/",
        "http:/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        "javascript:alert(1)",
        "/" + "a" * 2000,
    ],
)
def test_anything_else_becomes_the_home_page(path):
    assert safe_next(path) == "/"

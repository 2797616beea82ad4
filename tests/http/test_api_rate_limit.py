"""The API's rate-limit dependency: 429 in the error shape, with Retry-After."""

from fastapi import Depends

from saasapp.http.deps import rate_limit
from saasapp.settings import get_settings
from tests.utils.api import add_route, assert_error_shape


def limited_api(api, rule="2/minute"):
    def ping():
        return {"pong": True}

    add_route(api, "GET", "/api/v1/ping", ping, dependencies=[Depends(rate_limit(rule, "ping"))])
    return api


def test_over_the_limit_is_429_with_retry_after(api, client):
    limited_api(api)
    assert [client.get("/api/v1/ping").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/ping")
    error = assert_error_shape(response, 429, "rate_limited")
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert error["details"] == {"limit": "2/minute", "retry_after": retry_after}
    assert "Try again in" in error["message"]


def test_forwarded_for_is_ignored_unless_trusted(api, client, monkeypatch):
    limited_api(api, "1/minute")
    assert client.get("/api/v1/ping", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 200
    # Spoofing another address does not buy a fresh allowance...
    assert client.get("/api/v1/ping", headers={"X-Forwarded-For": "2.2.2.2"}).status_code == 429
    # ...unless the deployment says a trusted proxy sets the header.
    monkeypatch.setattr(get_settings(), "trust_forwarded_for", True)
    assert client.get("/api/v1/ping", headers={"X-Forwarded-For": "3.3.3.3"}).status_code == 200

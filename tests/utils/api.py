"""API test fixtures (a fresh app and its client, signed-in callers) and assertions."""

import pytest
from fastapi.testclient import TestClient

from saasapp.http.app import create_api
from tests.utils.accounts import bearer, signed_in


@pytest.fixture
def api():
    """A fresh API app (tests may add routes to it)."""
    return create_api()


@pytest.fixture
def client(api, db, redis_client):
    with TestClient(api, raise_server_exceptions=False) as test_client:
        yield test_client


def add_route(api, method, path, endpoint, **kwargs):
    """Add a route ahead of the API's catch-all for unknown paths."""
    api.add_api_route(path, endpoint, methods=[method], **kwargs)
    api.router.routes.insert(0, api.router.routes.pop())


def assert_error_shape(response, status, code):
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response.headers["x-request-id"]
    return error


@pytest.fixture
def maker(client, mailbox):
    return bearer(signed_in(client, mailbox, "maker@example.com")["access_token"])


@pytest.fixture
def stranger(client, mailbox):
    return bearer(signed_in(client, mailbox, "stranger@example.com")["access_token"])


@pytest.fixture
def admin(client, mailbox):
    return bearer(signed_in(client, mailbox, "admin@example.com")["access_token"])

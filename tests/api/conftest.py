import pytest
from fastapi.testclient import TestClient

from saasapp.api import create_api
from tests.utils.vercel_server import vercel_server  # noqa: F401


@pytest.fixture
def api():
    """A fresh API app (tests may add routes to it)."""
    return create_api()


@pytest.fixture
def client(api, db, redis_client):
    with TestClient(api, raise_server_exceptions=False) as test_client:
        yield test_client

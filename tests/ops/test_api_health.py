"""GET /api/v1/health: 200 when database, Redis and a worker are up; 503 naming what is down."""

from saasapp.core import health as health_service
from saasapp.redis_conn import connect
from saasapp.worker.heartbeat import HEARTBEATS_KEY, beat


def test_all_up_is_200(client, redis_client):
    beat(redis_client, "test-worker")
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"]
    assert body["worker"] == {**body["worker"], "ok": True, "workers": 1}


def test_no_worker_heartbeat_is_503(client, redis_client):
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False
    assert response.json()["database"]["ok"] is True


def test_stale_heartbeat_counts_as_down(client, redis_client):
    redis_client.hset(HEARTBEATS_KEY, "old-worker", "1000.0")
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False


def test_redis_down_is_503_and_says_nothing_more(client, redis_client, monkeypatch):
    beat(redis_client, "test-worker")
    # A real client to a port nobody listens on.
    dead = connect("redis://127.0.0.1:1/0")
    monkeypatch.setattr(health_service, "get_redis", lambda: dead)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"] == {"ok": False, "detail": "unavailable"}
    assert body["worker"]["ok"] is False
    assert "127.0.0.1" not in response.text


def test_database_down_is_503(client, redis_client, monkeypatch):
    from saasapp.db import make_engine

    beat(redis_client, "test-worker")
    dead_engine = make_engine("postgresql+psycopg://nobody:pw@127.0.0.1:1/none")

    def check_dead_database():
        with dead_engine.connect():
            pass

    monkeypatch.setattr(health_service, "check_database", check_dead_database)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "unavailable"}
    assert "nobody" not in response.text and "psycopg" not in response.text

"""`python -m saasapp.worker` as a real process: heartbeat, jobs, clean stop."""

import pytest
from fastapi.testclient import TestClient
from rq.job import Job

from saasapp.http.app import create_api
from saasapp.queues import get_queue
from saasapp.settings import get_settings
from saasapp.worker.heartbeat import live_workers
from tests.utils.processes import start_worker, stop, wait_for


@pytest.fixture
def worker(db, redis_client):
    process = start_worker(env={"WORKER_HEARTBEAT_SECONDS": "1"})
    yield process
    stop(process)


def test_worker_heartbeat_makes_health_green_and_stop_makes_it_red(worker, redis_client):
    ttl = get_settings().worker_heartbeat_ttl
    workers = wait_for(lambda: live_workers(redis_client, ttl))
    assert any(name.endswith(f":{worker.pid}") for name in workers)
    with TestClient(create_api()) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert stop(worker) == 0
        assert live_workers(redis_client, ttl) == {}
        response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False


def test_worker_runs_enqueued_jobs(worker, redis_client):
    job = get_queue().enqueue("saasapp.core.jobs.dispatch_events")
    wait_for(lambda: Job.fetch(job.id, connection=redis_client).is_finished)
    assert Job.fetch(job.id, connection=redis_client).return_value() == {}

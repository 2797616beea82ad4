"""Generations through a real worker process: offline, the LLM path against the OpenAI
stand-in (SSE streaming, 429 then success, 500s), cancellation."""

import json

import pytest
from fastapi.testclient import TestClient

from saasapp.db import new_session
from saasapp.http.app import create_api
from saasapp.tools.generator import offline
from saasapp.tools.generator.brief import Brief
from saasapp.tools.models import Tool, ToolVersion
from tests.utils.processes import start_worker, stop, wait_for

PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Tip split</title>'
    "<style>button{background:#4f46e5}</style></head><body><h1>Tip split</h1>"
    "<input id=bill type=number><output id=out></output>"
    "<script>document.getElementById('bill').oninput=function(e){"
    "document.getElementById('out').textContent=(e.target.value*0.15).toFixed(2)}</script>"
    "</body></html>\n"
)


@pytest.fixture
def client(db, redis_client, mailbox):
    with TestClient(create_api(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def worker_process(db, redis_client):
    started = []

    def start(env=None):
        process = start_worker(env=env)
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


def poll(client, headers, url, statuses=("succeeded", "failed", "cancelled"), timeout=60):
    return wait_for(
        lambda: (body := client.get(url, headers=headers).json())["status"] in statuses and body,
        timeout=timeout,
    )


def versions(tool_id):
    with new_session() as session:
        tool = session.get(Tool, tool_id)
        rows = session.query(ToolVersion).filter(ToolVersion.tool_id == tool_id).all()
        return tool, sorted(rows, key=lambda v: v.number)


def test_offline_generation_end_to_end_through_a_worker(client, maker, worker_process):
    worker_process()
    started = client.post(
        "/api/v1/tools", json={"prompt": "A countdown to our product launch"}, headers=maker
    ).json()
    done = poll(client, maker, started["status_url"])
    assert done["status"] == "succeeded", done["error"]
    assert done["started_at"] and done["finished_at"] and done["duration_ms"] >= 0
    tool, [version] = versions(started["tool_id"])
    assert tool.current_version_id == version.id and done["version_id"] == version.id
    assert version.html == done["text"] and 'data-archetype="countdown"' in version.html


def test_llm_generation_streams_and_retries_a_429(client, maker, worker_process, openai_server):
    spec = offline.draft_spec(Brief("A tip calculator")).model_dump(mode="json")
    spec["name"], spec["slug"] = "Tip Split", ""
    openai_server.json_reply(json.dumps(spec), prompt_tokens=100, completion_tokens=50)
    openai_server.error(429, headers={"Retry-After": "0"})
    deltas = ["```html\n"] + [PAGE[i : i + 40] for i in range(0, len(PAGE), 40)] + ["```"]
    openai_server.stream_reply(deltas, prompt_tokens=200, completion_tokens=300)
    worker_process()  # started after the fixture pointed OPENAI_BASE_URL at the stand-in
    started = client.post(
        "/api/v1/tools", json={"prompt": "A tip calculator"}, headers=maker
    ).json()
    done = poll(client, maker, started["status_url"])
    assert done["status"] == "succeeded", done["error"]
    assert done["provider"] == openai_server.base_url.split("//")[1].split("/")[0]
    assert done["model"] == "test-model"
    assert (done["prompt_tokens"], done["completion_tokens"], done["total_tokens"]) == (
        300, 350, 650,
    )  # fmt: skip
    assert done["text"] == "".join(deltas)  # the raw streamed answer
    tool, [version] = versions(started["tool_id"])
    assert version.html == PAGE  # fences dropped
    assert tool.name == "Tip Split" and tool.slug == "tip-split"  # the model named it
    assert version.manifest["generator"].endswith("/test-model")
    paths = [r["path"] for r in openai_server.requests]
    assert paths == ["/v1/chat/completions"] * 3
    assert openai_server.requests[2]["json"]["stream"] is True


def test_llm_failure_keeps_the_previous_version(client, maker, worker_process, openai_server):
    spec = offline.draft_spec(Brief("A tip calculator")).model_dump(mode="json")
    openai_server.stream_reply([PAGE])
    for _ in range(4):  # the first try and OPENAI_MAX_RETRIES=3 retries
        openai_server.error(500, "upstream exploded", headers={"Retry-After": "0"})
    worker_process()
    started = client.post("/api/v1/tools", json={"spec": spec}, headers=maker).json()
    assert poll(client, maker, started["status_url"])["status"] == "succeeded"
    refine = client.post(
        f"/api/v1/tools/{started['tool_id']}/refine",
        json={"instruction": "Add a tip slider"},
        headers=maker,
    ).json()
    failed = poll(client, maker, refine["status_url"])
    assert failed["status"] == "failed"
    assert "HTTP 500" in failed["error"] and "after 4 attempts" in failed["error"]
    assert failed["finished_at"] and failed["version_id"] is None
    tool, [version] = versions(started["tool_id"])
    assert tool.current_version_id == version.id and version.html == PAGE
    assert len(openai_server.requests) == 5


def test_cancel_a_running_generation(client, maker, worker_process):
    worker_process(env={"OFFLINE_STREAM_DELAY_MS": "300"})
    started = client.post(
        "/api/v1/tools", json={"prompt": "An invoice builder for freelancers"}, headers=maker
    ).json()
    running = poll(client, maker, started["status_url"], statuses=("running",), timeout=30)
    wait_for(lambda: client.get(started["status_url"], headers=maker).json()["text"])
    assert running["status"] == "running"
    response = client.post(f"/api/v1/generations/{started['generation_id']}/cancel", headers=maker)
    assert response.status_code == 200
    done = poll(client, maker, started["status_url"], timeout=30)
    assert done["status"] == "cancelled" and done["error"] == "Cancelled."
    assert 0 < len(done["text"]) < 20_000  # stopped part-way
    tool, found = versions(started["tool_id"])
    assert found == [] and tool.current_version_id is None

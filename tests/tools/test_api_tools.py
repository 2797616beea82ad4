"""The tools API: build, poll, versions, diff, revert, refine, quota, ownership, admin."""

import pytest

from saasapp.db import new_session
from saasapp.settings import get_settings
from tests.utils.tools import events_of, run_jobs


def build(client, headers, prompt="A mortgage calculator for first-time buyers"):
    response = client.post("/api/v1/tools", json={"prompt": prompt}, headers=headers)
    assert response.status_code == 202, response.text
    run_jobs()
    return response.json()


def test_build_from_a_prompt_then_poll_the_generation(client, maker):
    response = client.post("/api/v1/tools", json={"prompt": "A mortgage calculator"}, headers=maker)
    assert response.status_code == 202
    started = response.json()
    assert started["status"] == "queued"
    assert started["status_url"] == f"/api/v1/generations/{started['generation_id']}"
    queued = client.get(started["status_url"], headers=maker).json()
    assert queued["status"] == "queued" and queued["finished"] is False
    run_jobs()
    done = client.get(started["status_url"], headers=maker).json()
    assert done["status"] == "succeeded" and done["finished"] and done["error"] == ""
    assert done["text"].startswith("<!DOCTYPE html>")
    tool = client.get(f"/api/v1/tools/{started['tool_id']}", headers=maker).json()
    assert tool["current_version"] == 1 and tool["status"] == "draft"
    assert tool["generator"] == "offline" and tool["offline"] is True
    assert tool["manifest"]["archetype"] == "calculator"
    assert tool["active_generation_id"] is None and tool["vercel"] is None
    listed = client.get("/api/v1/tools", headers=maker).json()
    assert [t["id"] for t in listed["items"]] == [started["tool_id"]]
    version = client.get(f"/api/v1/tools/{tool['id']}/versions/1", headers=maker).json()
    assert version["html"] == done["text"] and version["source"] == "generate"


def test_build_from_an_invalid_spec_lists_the_problems(client, maker):
    response = client.post(
        "/api/v1/tools", json={"spec": {"name": "X", "style": {"accent": "red"}}}, headers=maker
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_spec"
    assert any("accent" in p for p in error["details"]["problems"])


def test_wizard_offline_spec_and_no_questions(client, maker):
    info = client.get("/api/v1/generator", headers=maker).json()
    assert info["offline"] is True and "calculator" in info["archetypes"]
    assert len(info["example_ideas"]) >= 8
    body = {"idea": "Convert recipes between cups and grams", "style": "dark, teal"}
    draft = client.post("/api/v1/generator/spec", json=body, headers=maker).json()
    assert draft["offline"] is True and draft["spec"]["archetype"] == "converter"
    assert draft["spec"]["style"] == {"accent": "#0d9488", "tone": "friendly", "theme": "dark"}
    questions = client.post("/api/v1/generator/questions", json=body, headers=maker).json()
    assert questions == {"questions": []}
    started = client.post("/api/v1/tools", json={"spec": draft["spec"]}, headers=maker)
    assert started.status_code == 202


def test_refine_diff_and_revert(client, maker):
    tool_id = build(client, maker)["tool_id"]
    response = client.post(
        f"/api/v1/tools/{tool_id}/refine",
        json={"instruction": "make the button orange"},
        headers=maker,
    )
    assert response.status_code == 202
    run_jobs()
    generation = client.get(response.json()["status_url"], headers=maker).json()
    assert generation["status"] == "succeeded" and generation["kind"] == "refine"
    diff = client.get(f"/api/v1/tools/{tool_id}/diff?from=1&to=2", headers=maker).json()
    assert "+" in diff["diff"] and "#ea580c" in diff["diff"]
    reverted = client.post(
        f"/api/v1/tools/{tool_id}/revert", json={"version": 1}, headers=maker
    ).json()
    assert reverted["number"] == 3 and reverted["source"] == "revert"
    versions = client.get(f"/api/v1/tools/{tool_id}/versions", headers=maker).json()["items"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    same = client.get(f"/api/v1/tools/{tool_id}/diff?from=1&to=3", headers=maker).json()
    assert same["diff"] == ""
    history = client.get(f"/api/v1/tools/{tool_id}/generations", headers=maker).json()
    assert [g["kind"] for g in history["items"]] == ["refine", "generate"]


def test_offline_refine_refuses_what_it_cannot_do(client, maker):
    tool_id = build(client, maker)["tool_id"]
    response = client.post(
        f"/api/v1/tools/{tool_id}/refine",
        json={"instruction": "connect it to my CRM"},
        headers=maker,
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "instruction_not_understood"
    assert "offline generator cannot follow" in error["message"]


def test_daily_quota_answers_429_quota_exceeded(client, maker, monkeypatch):
    monkeypatch.setenv("GENERATION_DAILY_QUOTA", "1")
    get_settings.cache_clear()
    try:
        build(client, maker)
        assert client.get("/api/v1/me/quota", headers=maker).json()["remaining"] == 0
        response = client.post("/api/v1/tools", json={"prompt": "Another"}, headers=maker)
        assert response.status_code == 429
        error = response.json()["error"]
        assert error["code"] == "quota_exceeded"
        assert "all 1 generations for today" in error["message"]
        assert int(response.headers["Retry-After"]) > 0
        quota = client.get("/api/v1/me/quota", headers=maker).json()
        assert quota["used"] == 1 and quota["limit"] == 1
        assert quota["resets_at"].endswith(("Z", "+00:00"))
    finally:
        get_settings.cache_clear()


def test_generation_starts_are_rate_limited(client, maker, monkeypatch):
    monkeypatch.setenv("GENERATION_RATE_LIMIT", "2/minute")
    get_settings.cache_clear()
    try:
        codes = [
            client.post("/api/v1/tools", json={"prompt": "Timer"}, headers=maker).status_code
            for _ in range(3)
        ]
    finally:
        get_settings.cache_clear()
    assert codes == [202, 202, 429]


def test_another_user_gets_404_on_every_tool_route(client, maker, stranger):
    started = build(client, maker)
    tool_id, generation_id = started["tool_id"], started["generation_id"]
    calls = [
        ("get", f"/api/v1/tools/{tool_id}", None),
        ("get", f"/api/v1/tools/{tool_id}/versions", None),
        ("get", f"/api/v1/tools/{tool_id}/versions/1", None),
        ("get", f"/api/v1/tools/{tool_id}/versions/1/preview", None),
        ("get", f"/api/v1/tools/{tool_id}/versions/1/preview-url", None),
        ("get", f"/api/v1/tools/{tool_id}/diff?from=1&to=1", None),
        ("post", f"/api/v1/tools/{tool_id}/revert", {"version": 1}),
        ("post", f"/api/v1/tools/{tool_id}/refine", {"instruction": "make it blue"}),
        ("get", f"/api/v1/tools/{tool_id}/generations", None),
        ("get", f"/api/v1/tools/{tool_id}/publish-check", None),
        ("post", f"/api/v1/tools/{tool_id}/publish", None),
        ("post", f"/api/v1/tools/{tool_id}/unpublish", None),
        ("get", f"/api/v1/tools/{tool_id}/export.zip", None),
        ("post", f"/api/v1/tools/{tool_id}/deploy/vercel", None),
        ("get", f"/api/v1/generations/{generation_id}", None),
        ("post", f"/api/v1/generations/{generation_id}/cancel", None),
    ]
    for method, url, body in calls:
        response = client.request(method, url, json=body, headers=stranger)
        assert response.status_code == 404, (url, response.text)
        assert response.json()["error"]["code"] in ("tool_not_found", "generation_not_found")
    assert client.get("/api/v1/tools", headers=stranger).json()["items"] == []
    tool = client.get(f"/api/v1/tools/{tool_id}", headers=maker).json()
    assert tool["status"] == "draft"  # the stranger's publish did nothing


def test_routes_need_a_signed_in_user(client):
    assert client.get("/api/v1/tools").status_code == 401
    assert client.post("/api/v1/tools", json={"prompt": "x"}).status_code == 401


def test_admin_can_unpublish_any_tool_but_not_read_it(client, maker, admin):
    tool_id = build(client, maker)["tool_id"]
    published = client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker).json()
    assert published["status"] == "published"
    assert client.get(f"/api/v1/tools/{tool_id}", headers=admin).status_code == 404
    response = client.post(f"/api/v1/tools/{tool_id}/unpublish", headers=admin)
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert client.get(f"/t/{published['slug']}").status_code == 404


def test_events_tool_generated_and_tool_published(client, maker):
    tool_id = build(client, maker)["tool_id"]
    client.post(f"/api/v1/tools/{tool_id}/publish", headers=maker)
    [generated] = events_of("tool.generated")
    [published] = events_of("tool.published")
    assert generated.payload["tool_id"] == published.payload["tool_id"] == tool_id
    assert published.payload["url"].endswith(f"/t/{published.payload['slug']}")
    assert generated.aggregate == published.aggregate == f"tool:{tool_id}"


def test_generation_text_is_visible_while_it_streams(client, maker):
    """The poll reads what the worker flushed, not a stale copy of the session."""
    from saasapp.tools.models import Generation

    started = build(client, maker)
    with new_session() as session:
        row = session.get(Generation, started["generation_id"])
        row.text = "partial"
        session.add(row)
        session.commit()
    polled = client.get(started["status_url"], headers=maker).json()
    assert polled["text"] == "partial" and polled["text_length"] == 7
    rest = client.get(started["status_url"] + "?offset=4", headers=maker).json()
    assert rest["text"] == "ial" and rest["text_length"] == 7


# Out-of-range numbers (found by the API fuzzer: each answered 500 from the database)

HUGE = 10**26


def test_revert_to_a_version_number_out_of_range_is_422(client, maker):
    tool_id = build(client, maker)["tool_id"]
    response = client.post(f"/api/v1/tools/{tool_id}/revert", json={"version": HUGE}, headers=maker)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["fields"][0]["field"] == "version"
    too_big = client.post(f"/api/v1/tools/{tool_id}/revert", json={"version": 2**31}, headers=maker)
    assert too_big.status_code == 422
    # The largest number that can exist is merely not found.
    largest = client.post(
        f"/api/v1/tools/{tool_id}/revert", json={"version": 2**31 - 1}, headers=maker
    )
    assert largest.status_code == 404


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", f"/api/v1/tools/{HUGE}"),
        ("get", f"/api/v1/tools/1/versions/{HUGE}"),
        ("get", f"/api/v1/tools/1/versions/{HUGE}/preview-url"),
        ("get", f"/api/v1/tools/1/diff?from=1&to={HUGE}"),
        ("get", f"/api/v1/tools/1/export.zip?version={HUGE}"),
        ("get", f"/api/v1/generations/{HUGE}"),
        ("get", f"/api/v1/generations/1?offset={HUGE}"),
        ("post", f"/api/v1/generations/{HUGE}/cancel"),
        ("delete", f"/api/v1/me/api-keys/{HUGE}"),
        ("get", "/api/v1/tools/0"),
        ("get", "/api/v1/tools/-1"),
    ],
)
def test_ids_and_numbers_out_of_range_are_422(client, maker, method, url):
    response = client.request(method, url, headers=maker)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


def test_versions_and_generations_page_newest_first(client, maker):
    tool_id = build(client, maker)["tool_id"]
    for instruction in ("make it blue", "make it green"):
        response = client.post(
            f"/api/v1/tools/{tool_id}/refine", json={"instruction": instruction}, headers=maker
        )
        assert response.status_code == 202, response.text
        run_jobs()
    first = client.get(f"/api/v1/tools/{tool_id}/versions?limit=2", headers=maker).json()
    assert [v["number"] for v in first["items"]] == [3, 2] and first["next_cursor"]
    rest = client.get(
        f"/api/v1/tools/{tool_id}/versions",
        params={"limit": 2, "cursor": first["next_cursor"]},
        headers=maker,
    ).json()
    assert [v["number"] for v in rest["items"]] == [1] and rest["next_cursor"] is None
    generations = client.get(
        f"/api/v1/tools/{tool_id}/generations", params={"limit": 1}, headers=maker
    ).json()
    assert [g["kind"] for g in generations["items"]] == ["refine"]
    older = client.get(
        f"/api/v1/tools/{tool_id}/generations",
        params={"limit": 5, "cursor": generations["next_cursor"]},
        headers=maker,
    ).json()
    assert [g["kind"] for g in older["items"]] == ["refine", "generate"]

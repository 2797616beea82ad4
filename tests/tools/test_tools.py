"""Tools through the services: offline build and refine, versions, diff, revert, quota,
cancel, ownership."""

import pytest

from saasapp.accounts.models import Role
from saasapp.core.errors import NotFound, ServiceError, TooManyAttempts
from saasapp.db import new_session
from saasapp.settings import get_settings
from saasapp.tools import generations, runner, tools
from saasapp.tools.generator import offline
from saasapp.tools.generator.brief import Brief
from saasapp.tools.models import GenerationStatus, ToolVersion, VersionSource
from tests.utils.tools import events_of, fresh_generation, fresh_tool, make_user, run_jobs


@pytest.fixture
def owner(session, redis_client):
    return make_user(session, "maker@example.com")


@pytest.fixture
def other(session):
    return make_user(session, "other@example.com")


def build(session, user, prompt="A tip calculator for restaurants"):
    generation = generations.start_generation(session, user, prompt=prompt)
    run_jobs()
    return fresh_generation(generation.id)


def test_offline_generation_builds_a_version_and_emits_tool_generated(session, owner):
    generation = generations.start_generation(
        session, owner, prompt="A tip calculator for restaurants"
    )
    assert generation.status == GenerationStatus.QUEUED
    tool = fresh_tool(generation.tool_id)
    assert tool.generator == "offline" and tool.current_version_id is None
    run_jobs()
    done = fresh_generation(generation.id)
    assert done.status == GenerationStatus.SUCCEEDED, done.error
    assert done.provider == "" and done.total_tokens == 0
    tool = fresh_tool(generation.tool_id)
    version = session.get(ToolVersion, tool.current_version_id)
    assert version.number == 1 and version.source == VersionSource.GENERATE
    assert done.text == version.html and "<!DOCTYPE html>" in version.html
    assert version.manifest["generator"] == "offline"
    [event] = events_of("tool.generated")
    assert event.payload["tool_id"] == tool.id and event.payload["version"] == 1


def test_a_spec_is_validated_and_built_as_given(session, owner):
    spec = offline.draft_spec(Brief("Word counter for essays")).model_dump(mode="json")
    spec["name"], spec["slug"] = "Essay Counter", ""
    generation = generations.start_generation(session, owner, spec=spec)
    run_jobs()
    tool = fresh_tool(generation.tool_id)
    assert tool.name == "Essay Counter" and tool.slug == "essay-counter"
    assert "Essay Counter" in session.get(ToolVersion, tool.current_version_id).html
    with pytest.raises(ServiceError) as error:
        generations.start_generation(session, owner, spec={"name": ""})
    assert error.value.code == "invalid_spec" and error.value.details["problems"]


def test_offline_refine_changes_colour_title_and_theme(session, owner):
    tool_id = build(session, owner).tool_id
    generation = generations.refine_tool(
        session, owner, tool_id=tool_id, instruction="Make the button blue and use dark mode"
    )
    run_jobs()
    assert fresh_generation(generation.id).status == GenerationStatus.SUCCEEDED
    v2 = tools.get_version(session, owner, tool_id=tool_id, number=2)
    assert "--accent:#2563eb" in v2.html and "--bg:#0f172a" in v2.html
    assert v2.source == VersionSource.REFINE and v2.note.startswith("Make the button")
    generations.refine_tool(
        session, owner, tool_id=tool_id, instruction='Change the title to "Tip <Jar>"'
    )
    run_jobs()
    v3 = tools.get_version(session, owner, tool_id=tool_id, number=3)
    assert "<title>Tip &lt;Jar&gt;</title>" in v3.html
    assert '<h1 id="tool-name">Tip &lt;Jar&gt;</h1>' in v3.html
    assert fresh_tool(tool_id).name == "Tip <Jar>"


def test_offline_refine_says_when_it_does_not_understand(session, owner):
    tool_id = build(session, owner).tool_id
    with pytest.raises(ServiceError) as error:
        generations.refine_tool(
            session, owner, tool_id=tool_id, instruction="Add a login with Google"
        )
    assert error.value.code == "instruction_not_understood"
    assert "offline generator" in error.value.message and error.value.details["understood"]
    assert generations.quota_status(session, owner).used == 1  # not counted


def test_diff_and_revert(session, owner):
    tool_id = build(session, owner).tool_id
    generations.refine_tool(session, owner, tool_id=tool_id, instruction="make it green")
    run_jobs()
    diff = tools.diff_versions(session, owner, tool_id=tool_id, from_number=1, to_number=2)
    assert diff.startswith("--- v1/index.html\n+++ v2/index.html\n")
    assert "+--accent:#16a34a" in diff.replace(":root{", "")
    reverted = tools.revert_to_version(session, owner, tool_id=tool_id, number=1)
    assert reverted.number == 3 and reverted.source == VersionSource.REVERT
    v1 = tools.get_version(session, owner, tool_id=tool_id, number=1)
    assert reverted.html == v1.html
    assert fresh_tool(tool_id).current_version_id == reverted.id
    assert tools.diff_versions(session, owner, tool_id=tool_id, from_number=1, to_number=3) == ""
    assert [v.number for v in tools.list_versions(session, owner, tool_id=tool_id)] == [3, 2, 1]


def test_other_users_get_not_found_everywhere(session, owner, other):
    generation = build(session, owner)
    tool_id = generation.tool_id
    calls = [
        lambda: tools.get_tool(session, other, tool_id),
        lambda: tools.list_versions(session, other, tool_id=tool_id),
        lambda: tools.get_version(session, other, tool_id=tool_id, number=1),
        lambda: tools.revert_to_version(session, other, tool_id=tool_id, number=1),
        lambda: generations.refine_tool(session, other, tool_id=tool_id, instruction="blue"),
        lambda: generations.get_generation(session, other, generation_id=generation.id),
        lambda: generations.cancel_generation(session, other, generation_id=generation.id),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    assert tools.list_tools(session, other) == []


def test_daily_quota(session, owner, monkeypatch):
    monkeypatch.setenv("GENERATION_DAILY_QUOTA", "2")
    get_settings.cache_clear()
    try:
        build(session, owner)
        build(session, owner)
        used, limit, resets_at = generations.quota_status(session, owner)
        assert (used, limit) == (2, 2) and resets_at.hour == 0 and resets_at.minute == 0
        with pytest.raises(TooManyAttempts) as error:
            generations.start_generation(session, owner, prompt="Another one")
        assert error.value.code == "quota_exceeded" and "2 generations" in error.value.message
        assert error.value.retry_after > 0
    finally:
        get_settings.cache_clear()


def test_cancel_a_queued_generation_keeps_no_version(session, owner):
    generation = generations.start_generation(session, owner, prompt="Unit converter")
    cancelled = generations.cancel_generation(session, owner, generation_id=generation.id)
    assert cancelled.status == GenerationStatus.CANCELLED
    run_jobs()  # the job finds it cancelled and does nothing
    assert fresh_generation(generation.id).status == GenerationStatus.CANCELLED
    assert fresh_tool(generation.tool_id).current_version_id is None


def test_slug_avoids_reserved_words_and_duplicates(session, owner):
    assert tools.unique_slug(session, "Admin") == "admin-tool"
    first = build(session, owner, prompt="A tip calculator")
    second = build(session, owner, prompt="A tip calculator")
    assert fresh_tool(second.tool_id).slug == fresh_tool(first.tool_id).slug + "-2"


def test_stale_running_generations_are_failed(session, owner):
    from datetime import timedelta

    from saasapp.core.columns import utcnow

    generation = generations.start_generation(session, owner, prompt="Countdown")
    with new_session() as s:
        row = s.get(type(generation), generation.id)
        row.status = GenerationStatus.RUNNING
        row.started_at = utcnow() - timedelta(hours=1)
        s.add(row)
        s.commit()
    assert runner.fail_stale_generations(new_session) == 1
    assert fresh_generation(generation.id).status == GenerationStatus.FAILED


def test_admin_role_does_not_open_other_users_tools(session, owner):
    admin = make_user(session, "boss@example.com", Role.ADMIN)
    tool_id = build(session, owner).tool_id
    with pytest.raises(NotFound):
        tools.get_tool(session, admin, tool_id)


def test_a_slug_taken_concurrently_gets_a_random_suffix(session, owner, monkeypatch):
    first = build(session, owner, prompt="A tip calculator")
    taken = fresh_tool(first.tool_id).slug
    monkeypatch.setattr(generations, "unique_slug", lambda session, wanted: taken)
    second = generations.start_generation(session, owner, prompt="A tip calculator")
    slug = fresh_tool(second.tool_id).slug
    assert slug.startswith(taken + "-") and len(slug) == len(taken) + 7
    run_jobs()
    assert fresh_generation(second.id).status == GenerationStatus.SUCCEEDED


def test_a_crash_fails_the_generation_and_keeps_the_previous_version(session, owner, monkeypatch):
    tool_id = build(session, owner).tool_id
    previous = fresh_tool(tool_id).current_version_id

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runner.offline_refine, "apply", explode)
    generation = generations.refine_tool(session, owner, tool_id=tool_id, instruction="make it red")
    run_jobs()
    failed = fresh_generation(generation.id)
    assert failed.status == GenerationStatus.FAILED and failed.finished_at is not None
    assert "RuntimeError: disk full" in failed.error
    assert fresh_tool(tool_id).current_version_id == previous

    monkeypatch.setattr(runner.offline_refine, "apply", lambda *a: (_ for _ in ()).throw(
        KeyboardInterrupt()))  # fmt: skip
    generation = generations.refine_tool(session, owner, tool_id=tool_id, instruction="make it red")
    with pytest.raises(KeyboardInterrupt):
        runner.run_generation(generation.id, new_session)
    assert fresh_generation(generation.id).status == GenerationStatus.FAILED


def test_simultaneous_starts_cannot_overrun_the_quota(session, owner, monkeypatch):
    import threading
    import time

    monkeypatch.setattr(get_settings(), "generation_daily_quota", 1)
    counted = generations.quota_status

    def slow_count(session, user):
        status = counted(session, user)
        time.sleep(0.3)  # widen the gap between counting and inserting
        return status

    monkeypatch.setattr(generations, "quota_status", slow_count)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def start(prompt):
        with new_session() as own:
            user = own.get(type(owner), owner.id)
            barrier.wait()
            try:
                generations.start_generation(own, user, prompt=prompt)
                outcomes.append("started")
            except TooManyAttempts as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=start, args=(f"A tip calculator {i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["quota_exceeded", "started"]

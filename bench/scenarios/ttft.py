"""Scenario ``ttft``: time to the first streamed token of a model-built tool, through our pipeline,
vs the ``openai`` client calling the same server directly.

A local OpenAI-compatible stand-in (``bench/llm_standin.py``, its own process) streams every
answer as SSE with a fixed delay before each token. Ours: ``start_generation`` with a wizard spec
(so the model is asked for the page only, one streamed request, as the baseline), with
``OPENAI_BASE_URL`` pointing at the stand-in; a real ``python -m saasapp.worker`` runs the job
(``tool_runner.run_generation``); the first token is the first moment ``Generation.text`` is
non-empty, seen by polling the database every ``POLL_SECONDS`` (the runner records no timestamp
of its own). Latency runs from just before ``start_generation``. Baseline: one ``openai.OpenAI``
client (created once, as a caller would keep it) calls the stand-in with ``stream=True``;
latency runs from just before ``create`` to the first content delta.

One generation at a time: the next starts once the previous one finished and the queue is idle
(its ``tool.generated`` dispatcher job included). Runs alternate ours and the baseline.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import urllib.request
from collections.abc import Iterator

from bench.harness import (
    Comparison,
    Environment,
    Figure,
    Options,
    free_port,
    http_status,
    percentile,
    wait_until,
)
from bench.scenarios.events import settle, start_worker
from bench.scenarios.http_health import server_argv
from saasapp.tools.generator.brief import Brief

NAME = "ttft"
DEFAULT_RUNS = 20
QUICK_RUNS = 5
TOKEN_DELAY_MS = 20
TOKENS = 40
POLL_SECONDS = 0.002
MODEL = "bench-model"
IDEA = "A tip calculator"


def llm_env(base_url: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "bench",
        "OPENAI_MODEL": MODEL,
        "OPENAI_MAX_RETRIES": "0",
        "OPENAI_TIMEOUT_SECONDS": "30",
        # Many generations by one user in a few seconds: lift the quota and the rate limit.
        "GENERATION_DAILY_QUOTA": "100000",
        "GENERATION_RATE_LIMIT": "100000/minute",
    }


@contextlib.contextmanager
def environment_variables(values: dict[str, str]) -> Iterator[None]:
    """``values`` in this process's environment (and settings) for the block."""
    from saasapp.settings import get_settings

    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


def _bench_user():

    from saasapp.accounts.models import User
    from saasapp.db import new_session

    with new_session() as session:
        user = User(email="ttft-bench@example.com", display_name="ttft-bench")
        session.add(user)
        session.commit()
        return user


def _generation_state(generation_id: int) -> tuple[int, str]:
    """(length of Generation.text, status), read in a fresh transaction."""
    from sqlalchemy import func, select

    from saasapp.db import get_engine
    from saasapp.tools.models import Generation

    with get_engine().connect() as connection:
        row = connection.execute(
            select(func.length(Generation.text), Generation.status).where(
                Generation.id == generation_id
            )
        ).one()
    return int(row[0] or 0), str(row[1])


def ours_once(user, spec: dict, deadline: float) -> tuple[float | None, int, float]:
    """(seconds to the first text or None, generation id, start time) of one generation."""

    from saasapp.db import new_session
    from saasapp.tools.generations import start_generation

    started = time.time()
    clock = time.perf_counter()
    with new_session() as session:
        generation_id = start_generation(session, user, spec=spec).id
    first = None
    while time.monotonic() < deadline:
        length, status = _generation_state(generation_id)
        if length:
            first = time.perf_counter() - clock
            break
        if status in ("failed", "cancelled", "succeeded"):
            break
        time.sleep(POLL_SECONDS)
    return first, generation_id, started


def wait_finished(generation_id: int, deadline: float) -> str:
    while time.monotonic() < deadline:
        _length, status = _generation_state(generation_id)
        if status in ("failed", "cancelled", "succeeded"):
            return status
        time.sleep(0.02)
    return "timeout"


def baseline_once(client) -> float | None:
    """Seconds from ``create`` to the first content delta (None when there was none)."""
    clock = time.perf_counter()
    stream = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Build the page."}],
        stream=True,
        stream_options={"include_usage": True},
    )
    try:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                return time.perf_counter() - clock
    finally:
        stream.close()
    return None


def _arrivals(url: str) -> list[float]:
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        return json.loads(response.read())


def _figure(target: str, seconds: list[float], attempts: int, baseline: bool = False) -> Figure:
    ms = [s * 1000 for s in seconds]
    total = sum(seconds)
    return Figure(
        scenario=NAME,
        target=target,
        throughput=len(seconds) / total if total else float("nan"),
        p50_ms=percentile(ms, 50),
        p99_ms=percentile(ms, 99),
        unit="first tokens/s",
        count=len(seconds),
        errors=attempts - len(seconds),
        baseline=baseline,
    )


def run(env: Environment, options: Options) -> list[Comparison]:
    import openai

    from saasapp.tools.generator import offline

    runs = options.runs or (QUICK_RUNS if options.quick else DEFAULT_RUNS)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    arrivals_url = f"http://127.0.0.1:{port}/arrivals"
    standin_env = {
        **env.env,
        "BENCH_LLM_DELAY_MS": str(TOKEN_DELAY_MS),
        "BENCH_LLM_TOKENS": str(TOKENS),
    }
    standin = env.processes.start(
        "llm-standin", server_argv("uvicorn", "bench.llm_standin:create_app", port, 1), standin_env
    )
    ours: list[float] = []
    base: list[float] = []
    dispatch: list[float] = []  # start_generation → the request reached the stand-in
    statuses: dict[str, int] = {}
    worker = None
    try:
        try:
            wait_until(lambda: http_status(arrivals_url) == 200, 30, "the LLM stand-in")
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{env.processes.log_tail('llm-standin')}") from exc
        variables = llm_env(base_url)
        with environment_variables(variables):
            worker = start_worker(env, variables)
            user = _bench_user()
            spec = offline.draft_spec(Brief(IDEA)).model_dump(mode="json")
            client = openai.OpenAI(api_key="bench", base_url=base_url, max_retries=0, timeout=30)
            deadline = time.monotonic() + options.time_limit
            for index in range(1 + runs):  # the first of each is a warm-up
                if time.monotonic() >= deadline:
                    break
                first, generation_id, started = ours_once(
                    user, spec, min(deadline, time.monotonic() + 30)
                )
                status = wait_finished(generation_id, min(deadline, time.monotonic() + 30))
                settle(max(1.0, deadline - time.monotonic()))
                arrived = _arrivals(arrivals_url)[-1]
                took = baseline_once(client)
                if index == 0:
                    continue
                statuses[status] = statuses.get(status, 0) + 1
                if first is not None and status == "succeeded":
                    ours.append(first)
                    dispatch.append(arrived - started)
                if took is not None:
                    base.append(took)
            client.close()
    finally:
        if worker is not None:
            env.processes.stop(worker)
        env.processes.stop(standin)
    attempts = sum(statuses.values())
    ours_figure = _figure("first token in Generation.text (worker pipeline)", ours, attempts)
    base_figure = _figure("openai client, first delta", base, attempts, baseline=True)
    dispatch_ms = [d * 1000 for d in dispatch]
    return [
        Comparison(
            ours_figure,
            base_figure,
            notes=[
                f"ttft: local OpenAI-compatible SSE stand-in, {TOKENS} tokens, "
                f"{TOKEN_DELAY_MS} ms before each (the first too); one generation at a time by "
                "one `python -m saasapp.worker`, runs alternating with the baseline, 1 warm-up "
                f"each; Generation.text polled every {POLL_SECONDS * 1000:g} ms; "
                f"throughput = 1 / mean. Generation statuses: {statuses}.",
                "ttft: of ours, start_generation → the request at the stand-in: p50 "
                f"{percentile(dispatch_ms, 50):.1f} ms, p99 {percentile(dispatch_ms, 99):.1f} ms "
                "(enqueue, the forked work horse, the claim, the client).",
            ],
        )
    ]

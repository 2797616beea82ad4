"""Benchmark plumbing: a throw-away platform environment, processes stopped by PID, wrk, tables.

Every figure is printed next to a baseline measured in the same run on the same machine, and as
a ratio ``ours / baseline``: absolute numbers vary from machine to machine, ratios much less.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from saasapp.settings import PROJECT_ROOT

# ---------------------------------------------------------------------------------------------
# Options and results


@dataclass(frozen=True)
class Options:
    """How long and how hard each scenario runs (``--quick`` shrinks every bound)."""

    quick: bool = False
    duration: float = 10.0  # seconds of wrk per HTTP target
    warmup: float = 2.0  # seconds of wrk before each HTTP measurement, not counted
    connections: int = 32
    threads: int = 2
    server: str = "granian"  # or "uvicorn"
    server_workers: int = 1
    repeat: int = 3  # alternating rounds per HTTP target; the median one is reported
    events: int = 300  # events (and baseline jobs) per measurement
    runs: int = 0  # repetitions per target of generator and ttft (0: each scenario's default)
    time_limit: float = 120.0  # seconds any one measurement may take before it gives up

    @classmethod
    def make(cls, quick: bool, **overrides) -> Options:
        base = (
            cls(quick=True, duration=3.0, warmup=1.0, repeat=1, events=50, time_limit=60.0)
            if quick
            else cls()
        )
        values = {k: v for k, v in overrides.items() if v is not None}
        return cls(**{**base.__dict__, **values})


@dataclass
class Figure:
    """One measured target: throughput (per second) and latency percentiles (milliseconds)."""

    scenario: str
    target: str
    throughput: float
    p50_ms: float
    p99_ms: float
    unit: str = "req/s"
    count: int = 0
    errors: int = 0
    baseline: bool = False
    note: str = ""


@dataclass
class Comparison:
    """Our figure and the baseline it is compared with."""

    ours: Figure
    baseline: Figure
    notes: list[str] = field(default_factory=list)

    @property
    def throughput_ratio(self) -> float:
        return _ratio(self.ours.throughput, self.baseline.throughput)

    @property
    def p50_ratio(self) -> float:
        return _ratio(self.ours.p50_ms, self.baseline.p50_ms)

    @property
    def p99_ratio(self) -> float:
        return _ratio(self.ours.p99_ms, self.baseline.p99_ms)


def _ratio(ours: float, baseline: float) -> float:
    return ours / baseline if baseline else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of ``values``; nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-pct * len(ordered) // 100)))  # ceil(pct/100 * n), at least 1
    return ordered[min(rank, len(ordered)) - 1]


def median_run(figures: Sequence[Figure]) -> Figure:
    """The run with the median throughput (the lower middle one of an even count)."""
    ordered = sorted(figures, key=lambda f: f.throughput)
    return ordered[(len(ordered) - 1) // 2]


def format_table(comparisons: Sequence[Comparison]) -> str:
    """A Markdown table: each target's figures, then the ratio row per comparison."""
    header = (
        "| scenario | target | throughput | p50 ms | p99 ms | n | errors |\n"
        "|---|---|---:|---:|---:|---:|---:|"
    )
    lines = [header]
    shown: list[Figure] = []
    for comparison in comparisons:
        for figure in (comparison.baseline, comparison.ours):
            if any(figure is seen for seen in shown):
                continue  # a baseline shared by several comparisons
            shown.append(figure)
            label = f"{figure.target} (baseline)" if figure.baseline else figure.target
            lines.append(
                f"| {figure.scenario} | {label} | {figure.throughput:,.1f} {figure.unit} "
                f"| {figure.p50_ms:.2f} | {figure.p99_ms:.2f} | {figure.count:,} "
                f"| {figure.errors} |"
            )
        lines.append(
            f"| {comparison.ours.scenario} | **ratio: {comparison.ours.target} / baseline** "
            f"| **{comparison.throughput_ratio:.2f}x** | **{comparison.p50_ratio:.2f}x** "
            f"| **{comparison.p99_ratio:.2f}x** | | |"
        )
    lines.append("")
    lines.append(
        "Ratios are ours / baseline. Throughput: higher is better, so a ratio below 1 means we "
        "are slower. Latency: lower is better, so a ratio above 1 means we are slower."
    )
    notes = [note for comparison in comparisons for note in comparison.notes]
    lines.extend(f"- {note}" for note in notes)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Processes


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    """Child processes started by the benchmark, each leading its own process group, stopped by
    PID (the group: granian workers, RQ work horses) in reverse order of start."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: list[tuple[str, subprocess.Popen]] = []

    def _log_path(self, name: str) -> Path:
        return self.log_dir / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.log"

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log_file = self._log_path(name).open("ab")
        process = subprocess.Popen(
            argv,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()
        self.children.append((name, process))
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 10.0) -> None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(5)
        self.children = [(n, p) for n, p in self.children if p is not process]

    def stop_all(self) -> None:
        for _name, process in reversed(list(self.children)):
            self.stop(process)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self._log_path(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise RuntimeError(f"{what} not ready within {timeout:.0f}s")


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------
# The throw-away platform: temporary DATA_DIR, migrated SQLite, embedded Redis (or REDIS_URL)


@dataclass
class Environment:
    data_dir: Path
    env: dict[str, str]
    processes: Processes
    redis_url: str


@contextlib.contextmanager
def platform_environment(redis_url: str = "", keep: bool = False) -> Iterator[Environment]:
    """Point this process and its children at a fresh database and Redis; clean up after.

    With ``redis_url`` empty, an embedded Redis server runs in the temporary folder.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="saasapp-bench-"))
    processes = Processes(data_dir)
    overrides = {
        "APP_ENV": "development",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'bench.db'}",
        "REDIS_URL": redis_url,
        "LOG_JSON": "true",
        "LOG_LEVEL": "INFO",  # as deployed: one log line per API request
        "SENTRY_DSN": "",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    _clear_caches()
    embedded = None
    try:
        from saasapp.db import migrate
        from saasapp.settings import get_settings

        settings = get_settings()
        if not redis_url:
            from saasapp.redis_conn import start_embedded_redis

            embedded = start_embedded_redis(settings.embedded_redis_socket)
        migrate()
        yield Environment(data_dir, dict(os.environ), processes, settings.effective_redis_url)
    finally:
        processes.stop_all()
        _dispose_engine()
        if embedded is not None:
            processes.stop(embedded)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _clear_caches()
        if keep:
            print(f"kept {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _clear_caches() -> None:
    from saasapp.db import get_engine
    from saasapp.redis_conn import get_redis
    from saasapp.settings import get_settings

    get_settings.cache_clear()
    get_redis.cache_clear()
    get_engine.cache_clear()


def _dispose_engine() -> None:
    from saasapp.db import get_engine

    with contextlib.suppress(Exception):
        get_engine().dispose()


# ---------------------------------------------------------------------------------------------
# wrk


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk duration {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> dict[str, float]:
    """Requests/s, p50/p99 (ms), request count and error count from ``wrk --latency``."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    count = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and count):
        raise ValueError(f"unreadable wrk output:\n{output}")
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return {
        "rps": float(rps.group(1)),
        "p50_ms": _ms(p50.group(1)),
        "p99_ms": _ms(p99.group(1)),
        "count": int(count.group(1)),
        "errors": errors,
    }


def run_wrk(url: str, duration: float, connections: int, threads: int) -> dict[str, float]:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("benchmarks only target 127.0.0.1")
    argv = [
        "wrk",
        "--latency",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "5s",
        url,
    ]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 30, check=True)
    return parse_wrk(result.stdout)

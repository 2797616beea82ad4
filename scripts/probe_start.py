"""Run the container's command outside Docker and probe it, as CI does.

    .venv/bin/python scripts/probe_start.py [--no-build] [--timeout 240]

Builds the frontend as the image does (scripts/build-frontend), starts scripts/start on a free
port with APP_ENV=production against PostgreSQL (its own database, created if missing) and
Redis (database 14) on 127.0.0.1, waits for GET /api/v1/health and GET / to answer 200, checks
the JSON error shape of an unknown API path and, with /usr/bin/chromium, that the status page
fills in through the websocket; then sends SIGTERM and checks a clean exit (code 0)
with no process left from those it started. Prints PASS/FAIL lines; on failure, the server log.

Environment: PROBE_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres, the
server's maintenance database), PROBE_DATABASE (saasapp_start), PROBE_REDIS_URL
(redis://127.0.0.1:6379/14, flushed first).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("PROBE_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("PROBE_DATABASE", "saasapp_start")
REDIS_URL = os.environ.get("PROBE_REDIS_URL", "redis://127.0.0.1:6379/14")
STOP_TIMEOUT = 30.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ProbeFailed(Exception):
    pass


def say(status: str, message: str) -> None:
    print(f"{status} {message}", flush=True)


def check(condition: bool, message: str, detail: str = "") -> None:
    if not condition:
        raise ProbeFailed(f"{message}{': ' + detail if detail else ''}")
    say("PASS", message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_services() -> str:
    """Create the probe's database if missing, empty its Redis database; return the app's URL."""
    import psycopg
    import redis
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    redis.Redis.from_url(REDIS_URL).flushdb()
    parts = urlsplit(POSTGRES_URL)
    return urlunsplit(("postgresql+psycopg", parts.netloc, f"/{DATABASE}", "", ""))


def get(url: str, timeout: float = 5) -> tuple[int, bytes, str]:
    """Status, body and content type of a GET; errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (127.0.0.1)
            return response.status, response.read(), response.headers.get("content-type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("content-type", "")


# Processes, by id only: /proc/<pid>/stat gives parent, process group, session and start time.
def proc_stat(pid: int) -> tuple[int, int, int, int] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    if fields[0] == "Z":  # a zombie has exited; only its parent's wait is missing
        return None
    ppid, pgid, sid, start = int(fields[1]), int(fields[2]), int(fields[3]), int(fields[19])
    return ppid, pgid, sid, start


def all_processes() -> dict[int, tuple[int, int, int, int]]:
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := proc_stat(int(entry.name))) is not None:
            table[int(entry.name)] = stat
    return table


def descendants(root: int) -> dict[int, tuple[int, int, int, int]]:
    """``root`` and every process below it: pid -> (ppid, pgid, sid, start time)."""
    table = all_processes()
    found = {root: table[root]} if root in table else {}
    grew = True
    while grew:
        grew = False
        for pid, stat in table.items():
            if pid not in found and stat[0] in found:
                found[pid] = stat
                grew = True
    return found


def leftovers(started: dict[int, tuple[int, int, int, int]]) -> dict[int, tuple]:
    """Processes still alive that we started: the same pid and start time, or a process in a
    session or process group one of them led (a grandchild re-parented after its parent)."""
    groups = {stat[1] for stat in started.values()} | {stat[2] for stat in started.values()}
    groups &= set(started)
    alive = {}
    for pid, stat in all_processes().items():
        same = pid in started and started[pid][3] == stat[3]
        if same or stat[1] in groups or stat[2] in groups:
            alive[pid] = stat
    return alive


def kill_all(started: dict[int, tuple[int, int, int, int]]) -> None:
    for pid in leftovers(started):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def probe(args: argparse.Namespace) -> float:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database_url = prepare_services()
    say("PASS", f"PostgreSQL database {DATABASE} ready, Redis {REDIS_URL} flushed")
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PORT": str(port),
        "WORKERS": "1",
        "LOG_JSON": "false",
        "REFLEX_BACKEND_HOST": "127.0.0.1",  # the probe's server listens on loopback only
    }
    if not args.no_build:
        began = time.monotonic()
        build = subprocess.run(
            [str(ROOT / "scripts" / "build-frontend")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        check(
            build.returncode == 0,
            f"scripts/build-frontend built the frontend ({time.monotonic() - began:.0f} s)",
            build.stdout[-4000:] + build.stderr[-4000:],
        )

    log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open for the server's life)
        prefix="probe-start-", suffix=".log", delete=False
    )
    args.log_path = log_file.name
    began = time.monotonic()
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "start")],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    args.started = {}
    say("INFO", f"scripts/start running as pid {process.pid} on {base}, log {log_file.name}")
    try:
        seconds = wait_healthy(process, base, args)
        check(True, f"GET /api/v1/health answered 200 after {seconds:.1f} s")
        args.started = descendants(process.pid)
        run_checks(base, args)
        say("INFO", f"processes started: {len(args.started)}; sending SIGTERM to {process.pid}")
        process.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        try:
            code = process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
        waited = time.monotonic() - stopping
        stopped = f"scripts/start exited with code 0 after SIGTERM ({waited:.1f} s)"
        check(code == 0, stopped, f"exit code {code}")
        left: dict = {}
        deadline = time.monotonic() + 5
        while (left := leftovers(args.started)) and time.monotonic() < deadline:
            time.sleep(0.2)
        check(not left, "no process it started is left", f"still running: {sorted(left)}")
        status = None
        with contextlib.suppress(OSError):
            status = get(f"{base}/api/v1/health", timeout=2)[0]
        check(status is None, f"port {port} is closed")
        return seconds
    finally:
        if process.poll() is None:
            args.started = args.started or descendants(process.pid)
            kill_all(args.started)
            process.kill()
            process.wait(10)
        kill_all(args.started)
        log_file.close()
        say("INFO", f"total {time.monotonic() - began:.1f} s from start to stopped")


def wait_healthy(process: subprocess.Popen, base: str, args: argparse.Namespace) -> float:
    began = time.monotonic()
    last = "no answer"
    while time.monotonic() - began < args.timeout:
        if process.poll() is not None:
            raise ProbeFailed(f"scripts/start exited with code {process.returncode} before healthy")
        try:
            status, body, _ = get(f"{base}/api/v1/health", timeout=3)
            if status == 200:
                return time.monotonic() - began
            last = f"{status} {body[:300]!r}"
        except OSError as error:
            last = str(error)
        time.sleep(1)
    raise ProbeFailed(f"/api/v1/health not 200 within {args.timeout:.0f} s (last: {last})")


def run_checks(base: str, args: argparse.Namespace) -> None:
    status, body, kind = get(f"{base}/")
    check(status == 200 and b"<html" in body.lower(), "GET / answered 200 with the home page")
    status, body, kind = get(f"{base}/status")
    check(status == 200 and "text/html" in kind, "GET /status answered 200 (HTML)")
    status, body, kind = get(f"{base}/no-such-page")
    check(status == 404 and "text/html" in kind, "GET /no-such-page answered 404 (HTML)")
    status, body, kind = get(f"{base}/api/v1/no-such-route")
    try:
        error = json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        error = {}
    check(
        status == 404 and error.get("code") == "not_found" and bool(error.get("request_id")),
        "GET /api/v1/no-such-route answered 404 with the JSON error shape",
        f"{status} {body[:300]!r}",
    )
    if Path(CHROMIUM).exists():
        check_in_browser(base)
    else:
        say("SKIP", f"browser check: no {CHROMIUM}")
    log_text = Path(args.log_path).read_text(errors="replace")
    if args.expect_prebuilt:
        check(
            "frontend_prebuilt" in log_text and "frontend_rebuild" not in log_text,
            "the web app served the prebuilt frontend (no rebuild at start)",
        )


def check_in_browser(base: str) -> None:
    """The status page fills in through the websocket: the built frontend reaches the backend."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.goto(f"{base}/status")
            try:
                for name in ("database", "redis", "worker"):
                    expect(page.locator(f"#status-{name}")).to_have_text("up", timeout=20_000)
            except AssertionError as error:
                raise ProbeFailed(f"/status in a browser: {error}") from None
        finally:
            browser.close()
    say("PASS", "/status in a browser shows database, Redis and worker up (websocket works)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="use the existing .web build")
    parser.add_argument("--timeout", type=float, default=240, help="seconds to become healthy")
    args = parser.parse_args()
    args.expect_prebuilt = not args.no_build
    args.log_path = None
    args.started = {}
    try:
        seconds = probe(args)
    except ProbeFailed as error:
        say("FAIL", str(error))
    except Exception as error:
        say("FAIL", f"{type(error).__name__}: {error}")
    else:
        say("PASS", f"container start command: healthy in {seconds:.1f} s, stopped cleanly")
        return 0
    if args.log_path:
        print(f"---- server log ({args.log_path}) ----", flush=True)
        print(Path(args.log_path).read_text(errors="replace")[-20000:], flush=True)
        print("---- end of server log ----", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())

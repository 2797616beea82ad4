"""``python -m saasapp.serve``: the whole platform in one command (and the container's).

Starts the embedded Redis server when ``REDIS_URL`` is unset, applies migrations, then runs the
web app (Reflex, production mode, one port), an RQ worker and the periodic-job scheduler as child
processes. If any child exits, or on SIGINT/SIGTERM, every child is stopped and the command exits.

``reflex run --env prod`` rebuilds the frontend at every start (bun, ~10-20 s). With
``--prebuilt`` (the container's ``scripts/start``), a frontend already built by
``scripts/build-frontend`` (``reflex export``) is served as is, mounted into the production
backend on the same port; when there is no such build, or it was made for another port or
before the sources changed, the web app is rebuilt as without the flag.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from saasapp.db import migrate
from saasapp.log import configure_logging, get_logger
from saasapp.redis_conn import embedded_redis_running, start_embedded_redis
from saasapp.settings import PROJECT_ROOT, get_settings

log = get_logger("saasapp.serve")

WEB_DIR = PROJECT_ROOT / ".web"
PREBUILT_INDEX = WEB_DIR / "build" / "client" / "index.html"
# What the frontend build is made from; a change after the build makes it stale.
FRONTEND_SOURCES = ("rxconfig.py", "saasapp", "assets")


class Supervisor:
    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.stopping = False

    def add(self, name: str, process: subprocess.Popen) -> None:
        self.children.append((name, process))
        log.info("process_started", process=name, pid=process.pid)

    def spawn(self, name: str, argv: list[str], **kwargs) -> None:
        # Each child leads its own process group so the whole tree (granian workers, RQ work
        # horses) can be stopped together.
        self.add(name, subprocess.Popen(argv, cwd=PROJECT_ROOT, start_new_session=True, **kwargs))

    def first_exited(self) -> tuple[str, int] | None:
        for name, process in self.children:
            if process.poll() is not None:
                return name, process.returncode
        return None

    def stop(self, timeout: float = 15.0) -> None:
        self.stopping = True
        for name, process in reversed(self.children):
            if process.poll() is None:
                log.info("process_stopping", process=name, pid=process.pid)
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _name, process in reversed(self.children):
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(remaining)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(5)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        if process.poll() is None:
            process.send_signal(sig)


def _wait_until_healthy(url: str, supervisor: Supervisor, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and supervisor.first_exited() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(1)
    return False


def prebuilt_frontend_problem(port: int) -> str | None:
    """Why the frontend in ``.web/build`` cannot be served on ``port`` as is; None if it can.

    The build bakes in the backend URL (``.web/env.json``): the browser keeps its port, so a
    build made for another port would open its websocket on the wrong one.
    """
    if not PREBUILT_INDEX.is_file():
        return "no frontend build in .web/build"
    try:
        ping_url = json.loads((WEB_DIR / "env.json").read_text())["PING"]
    except (OSError, ValueError, KeyError):
        return "no readable .web/env.json"
    api_url = os.environ.get("REFLEX_API_URL") or f"http://localhost:{port}"
    if ping_url != f"{api_url.rstrip('/')}/ping":
        return f"built for {ping_url.removesuffix('/ping')}, served at {api_url}"
    built_at = PREBUILT_INDEX.stat().st_mtime
    for name in FRONTEND_SOURCES:
        root = PROJECT_ROOT / name
        paths = [root] if root.is_file() else root.rglob("*")
        for path in paths:
            if (
                "__pycache__" not in path.parts
                and path.is_file()
                and path.stat().st_mtime > built_at
            ):
                return f"{path.relative_to(PROJECT_ROOT)} changed after the build"
    return None


def serve_prebuilt_web(port: int) -> None:
    """Serve the built frontend and the backend on ``port`` without rebuilding.

    What ``reflex run --env prod`` does after its build step: production mode, no compile,
    the compiled frontend mounted into the backend (granian). These are Reflex internals of
    the pinned version; scripts/probe_start.py exercises them in CI (page, websocket, stop).
    """
    from reflex.istate.manager import reset_disk_state_manager
    from reflex.utils import exec as reflex_exec
    from reflex_base import constants
    from reflex_base.config import get_config, reload_config
    from reflex_base.environment import environment

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_COMPILE_CONTEXT.set(constants.CompileContext.RUN)
    environment.REFLEX_SKIP_COMPILE.set(True)
    config = get_config()
    config._set_persistent(frontend_port=port, backend_port=port)
    reload_config()
    reset_disk_state_manager()
    reflex_exec.run_backend_prod(
        config.backend_host,
        port,
        config.loglevel.subprocess_level(),
        mount_frontend_compiled_app=True,
    )


def _web_command(port: int, prebuilt: bool) -> list[str]:
    python = sys.executable
    if prebuilt:
        problem = prebuilt_frontend_problem(port)
        if problem is None:
            log.info("frontend_prebuilt", build=str(PREBUILT_INDEX.parent))
            return [python, "-m", "saasapp.serve", "--serve-prebuilt-web", "--port", str(port)]
        log.warning("frontend_rebuild", reason=problem)
    ports = ["--frontend-port", str(port), "--backend-port", str(port)]
    return [python, "-m", "reflex", "run", "--env", "prod", *ports]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m saasapp.serve")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--workers", type=int, default=1, help="RQ worker processes")
    parser.add_argument("--no-cron", action="store_true", help="do not run the scheduler here")
    parser.add_argument(
        "--prebuilt",
        action="store_true",
        help="serve the frontend built by scripts/build-frontend instead of rebuilding it",
    )
    # The web child of --prebuilt (internal).
    parser.add_argument("--serve-prebuilt-web", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_prebuilt_web:
        serve_prebuilt_web(args.port)
        return 0

    configure_logging()
    settings = get_settings()
    supervisor = Supervisor()

    def on_signal(signum, _frame):
        if not supervisor.stopping:  # a second signal must not cut the orderly stop short
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        if settings.is_embedded_redis and not embedded_redis_running(
            settings.embedded_redis_socket
        ):
            supervisor.add("redis", start_embedded_redis(settings.embedded_redis_socket))
        migrate()
        log.info("migrations_applied")
        python = sys.executable
        for index in range(args.workers):
            supervisor.spawn(f"worker-{index + 1}", [python, "-m", "saasapp.worker"])
        if not args.no_cron:
            supervisor.spawn("cron", [python, "-m", "saasapp.worker", "--cron"])
        supervisor.spawn("web", _web_command(args.port, args.prebuilt))
        health = f"http://127.0.0.1:{args.port}/api/v1/health"
        if _wait_until_healthy(health, supervisor, timeout=300):
            url = f"http://localhost:{args.port}"
            log.info("ready", url=url)
            print(f"\n  saasapp is running at {url}  (Ctrl-C to stop)\n", flush=True)
        while (exited := supervisor.first_exited()) is None:
            time.sleep(0.5)
        name, code = exited
        log.error("process_exited", process=name, code=code)
        return code or 1
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop()


if __name__ == "__main__":
    sys.exit(main())

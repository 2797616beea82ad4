"""``python -m saasapp.serve``: the whole platform in one command (and the container's).

Starts the embedded Redis server when ``REDIS_URL`` is unset, applies migrations, then runs the
web app (Reflex, production mode, one port), an RQ worker and the periodic-job scheduler as child
processes. If any child exits, or on SIGINT/SIGTERM, every child is stopped and the command exits.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m saasapp.serve")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--workers", type=int, default=1, help="RQ worker processes")
    parser.add_argument("--no-cron", action="store_true", help="do not run the scheduler here")
    args = parser.parse_args(argv)

    configure_logging()
    settings = get_settings()
    supervisor = Supervisor()

    def on_signal(signum, _frame):
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
        reflex = [python, "-m", "reflex", "run", "--env", "prod"]
        reflex += ["--frontend-port", str(args.port), "--backend-port", str(args.port)]
        supervisor.spawn("web", reflex)
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

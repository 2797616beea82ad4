"""``python -m bench`` (``make bench``): run scenarios against real processes on 127.0.0.1.

Each scenario measures our code and a baseline in the same run and prints both with the ratio
ours / baseline. The platform runs on a temporary SQLite database and an embedded Redis server
(or on ``REDIS_URL`` when set), created for the run and removed after it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from bench.harness import Comparison, Options, format_table, platform_environment, wrk_available
from bench.scenarios import events, generator, http_health, published, ttft

SCENARIOS = {module.NAME: module for module in (http_health, events, generator, ttft, published)}
HTTP_SCENARIOS = {http_health.NAME, published.NAME}  # loaded by wrk


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        help="run only this scenario (repeatable); default: all",
    )
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    parser.add_argument("--duration", type=float, help="seconds of wrk per HTTP target")
    parser.add_argument("--connections", type=int, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, help="wrk threads (default 2)")
    parser.add_argument("--server", choices=["granian", "uvicorn"], help="default granian")
    parser.add_argument("--server-workers", type=int, help="HTTP server workers (default 1)")
    parser.add_argument("--repeat", type=int, help="alternating HTTP rounds (default 3)")
    parser.add_argument("--events", type=int, help="events and baseline jobs per measurement")
    parser.add_argument(
        "--runs", type=int, help="repetitions per target of generator and ttft (default 300/20)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    return parser.parse_args(argv)


def _raise_on_sigterm(signum, _frame) -> None:
    # Turn SIGTERM into an exception so the finally blocks stop every child process.
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    options = Options.make(
        args.quick,
        duration=args.duration,
        connections=args.connections,
        threads=args.threads,
        server=args.server,
        server_workers=args.server_workers,
        repeat=args.repeat,
        events=args.events,
        runs=args.runs,
    )
    names = args.scenario or list(SCENARIOS)
    if HTTP_SCENARIOS & set(names) and not wrk_available():
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    # Even when started in the background (where SIGINT may arrive ignored), Ctrl-C stops all.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    comparisons: list[Comparison] = []
    started = time.monotonic()
    try:
        with platform_environment(os.environ.get("REDIS_URL", ""), keep=args.keep) as env:
            for name in names:
                print(f"running {name}...", file=sys.stderr, flush=True)
                comparisons.extend(SCENARIOS[name].run(env, options))
    except KeyboardInterrupt:
        print("interrupted; every process started was stopped", file=sys.stderr)
        return 130
    print(format_table(comparisons))
    print(f"\n(total {time.monotonic() - started:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

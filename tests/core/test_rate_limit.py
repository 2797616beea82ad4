"""Rate limits on the real Redis: counted, shared between processes, surviving restarts."""

import subprocess
import sys

from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from saasapp.core import rate_limit
from saasapp.core.errors import TooManyAttempts
from saasapp.settings import PROJECT_ROOT


def test_allows_up_to_the_limit_then_refuses_with_retry_after(redis_client):
    results = [rate_limit.hit("3/minute", "login", "10.0.0.1") for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.remaining for r in results[:3]] == [2, 1, 0]
    assert 1 <= results[3].retry_after <= 60
    assert results[0].retry_after == 0


def test_keys_and_scopes_are_counted_separately(redis_client):
    for _ in range(2):
        rate_limit.hit("2/minute", "login", "a")
    assert not rate_limit.hit("2/minute", "login", "a").allowed
    assert rate_limit.hit("2/minute", "login", "b").allowed
    assert rate_limit.hit("2/minute", "otp", "a").allowed


def test_enforce_raises_with_a_readable_message(redis_client):
    rate_limit.enforce("1/hour", "reset", "x")
    try:
        rate_limit.enforce("1/hour", "reset", "x")
    except TooManyAttempts as exc:
        assert exc.retry_after > 60
        assert exc.message.startswith("Too many attempts. Try again in ")
        assert "minute" in exc.message
    else:
        raise AssertionError("second call must be refused")


def test_reset_forgets_the_count(redis_client):
    rate_limit.hit("1/minute", "login", "c")
    assert not rate_limit.hit("1/minute", "login", "c").allowed
    rate_limit.reset("1/minute", "login", "c")
    assert rate_limit.hit("1/minute", "login", "c").allowed


def test_counts_are_shared_with_another_process_and_survive_a_restart(redis_client):
    # Another process (another web worker) spends the whole allowance...
    code = (
        "from saasapp.core import rate_limit as r\n"
        "print([r.hit('3/minute', 'shared', 'ip').allowed for _ in range(3)])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[True, True, True]"
    # ...and a limiter created afresh here, as after a restart, still sees it.
    rate_limit.get_limiter.cache_clear()
    assert not rate_limit.hit("3/minute", "shared", "ip").allowed


def test_redis_down_lets_requests_through(redis_client):
    dead = MovingWindowRateLimiter(
        RedisStorage("redis://127.0.0.1:1/0", wrap_exceptions=True, socket_connect_timeout=0.2)
    )
    result = rate_limit.hit("1/minute", "login", "d", limiter=dead)
    assert result.allowed and result.retry_after == 0


def test_storage_uri_for_the_embedded_socket():
    assert rate_limit.storage_uri("unix:///data/redis.sock") == "redis+unix:///data/redis.sock"
    assert rate_limit.storage_uri("redis://h:6379/2") == "redis://h:6379/2"

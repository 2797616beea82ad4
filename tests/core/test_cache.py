"""The Redis cache: get-or-set with TTL, invalidation by key and prefix, Redis outages."""

import time

import redis

from saasapp.core.cache import NAMESPACE, Cache, cache
from saasapp.redis_conn import connect


class Loader:
    def __init__(self, value):
        self.value = value
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_get_or_set_loads_once_then_serves_from_redis(redis_client):
    loader = Loader({"views": 12, "title": "Landing"})
    assert cache.get_or_set("page:1:html", 60, loader) == {"views": 12, "title": "Landing"}
    assert cache.get_or_set("page:1:html", 60, loader) == {"views": 12, "title": "Landing"}
    assert loader.calls == 1
    ttl = redis_client.ttl(NAMESPACE + "page:1:html")
    assert 55 <= ttl <= 60


def test_ttl_expiry_reloads(redis_client):
    loader = Loader("v1")
    cache.get_or_set("k", 60, loader)
    redis_client.pexpire(NAMESPACE + "k", 1)  # as if the TTL ran out
    time.sleep(0.01)
    loader.value = "v2"
    assert cache.get_or_set("k", 60, loader) == "v2"
    assert loader.calls == 2


def test_invalidate_by_key(redis_client):
    loader = Loader([1, 2])
    cache.get_or_set("dash:7", 60, loader)
    assert cache.invalidate("dash:7", "dash:missing") == 1
    cache.get_or_set("dash:7", 60, loader)
    assert loader.calls == 2


def test_invalidate_prefix_drops_only_that_family(redis_client):
    for key in ["page:12:html", "page:12:meta", "page:120:html", "dash:12"]:
        cache.get_or_set(key, 60, Loader(key))
    redis_client.set("page:12:not-ours", "x")  # outside the cache namespace
    assert cache.invalidate_prefix("page:12:") == 2
    assert cache.get("page:12:html") is None and cache.get("page:12:meta") is None
    assert cache.get("page:120:html") == "page:120:html"
    assert cache.get("dash:12") == "dash:12"
    assert redis_client.get("page:12:not-ours") == b"x"


def test_invalidate_prefix_handles_many_keys_and_glob_characters(redis_client):
    for i in range(1200):
        cache.get_or_set(f"bulk:{i}", 60, Loader(i))
    cache.get_or_set("weird*[x]:1", 60, Loader("w"))
    cache.get_or_set("weirdo:1", 60, Loader("o"))
    assert cache.invalidate_prefix("bulk:") == 1200
    assert cache.invalidate_prefix("weird*[x]:") == 1
    assert cache.get("weirdo:1") == "o"


def test_redis_down_falls_through_to_the_source_and_pauses_the_cache():
    dead = connect("redis://127.0.0.1:1/0")  # nobody listens there
    asked = []
    broken = Cache(lambda: asked.append(1) or dead)
    loader = Loader({"fresh": True})
    assert broken.get_or_set("x", 60, loader) == {"fresh": True}
    assert broken.get_or_set("x", 60, loader) == {"fresh": True}
    assert loader.calls == 2
    assert broken.get("x") is None
    assert broken.invalidate("x") == 0
    assert broken.invalidate_prefix("x") == 0
    assert len(asked) == 1  # after the first failure Redis is not tried again for a while


def test_cache_resumes_after_the_pause(redis_client):
    working = Cache(lambda: redis_client, pause_seconds=0.05)
    working._failed("get", redis.ConnectionError("blip"))
    assert working.get_or_set("resume", 60, Loader(1)) == 1
    assert working.get("resume") is None  # still paused: nothing stored
    time.sleep(0.06)
    assert working.get_or_set("resume", 60, Loader(2)) == 2
    assert working.get("resume") == 2

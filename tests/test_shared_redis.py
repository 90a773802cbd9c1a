"""Two installations, or two test runs, on one Redis database keep to their own keys (issue 14, item 7): the
cache and the channel layer write under USTAZ_REDIS_PREFIX, and the tests empty the cache by that prefix,
not with FLUSHDB."""

from __future__ import annotations

import os

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from testkit import caches as test_caches

URL = os.environ.get("USTAZ_REDIS_URL") or "redis://127.0.0.1:6379/13"


@pytest.fixture
def server():
    client = redis.Redis.from_url(URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis does not answer at 127.0.0.1:6379 (CI has it)")
    yield client
    test_caches.unlink_prefixed(URL, "ustaz_a")
    test_caches.unlink_prefixed(URL, "ustaz_b")
    client.close()


def _cache_settings(prefix: str) -> dict:
    return {
        "REDIS_URL": URL,
        "REDIS_PREFIX": prefix,
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": URL,
                "KEY_PREFIX": prefix,
            }
        },
    }


def test_emptying_one_runs_cache_leaves_the_others(server):
    with override_settings(**_cache_settings("ustaz_b")):
        caches["default"].set("login-failures", 4)
    with override_settings(**_cache_settings("ustaz_a")):
        caches["default"].set("login-failures", 2)
        test_caches.clear()
        assert caches["default"].get("login-failures") is None
    with override_settings(**_cache_settings("ustaz_b")):
        assert caches["default"].get("login-failures") == 4  # FLUSHDB would have taken it too


def test_the_installations_keys_carry_its_prefix():
    """Set by the environment alone: the cache and the channel layer of a scaled installation."""
    import json
    import subprocess
    import sys

    env = {**os.environ, "USTAZ_REDIS_URL": URL, "USTAZ_REDIS_PREFIX": "kaznui_test"}
    code = (
        "import json; from ustaz import settings as s; "
        "print(json.dumps([s.CACHES['default']['KEY_PREFIX'], s.CHANNEL_LAYERS['default']['CONFIG']['prefix']]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["kaznui_test", "kaznui_test:asgi"]

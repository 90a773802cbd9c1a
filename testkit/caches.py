"""Emptying the cache between tests without touching what another run keeps on the same Redis database.

Django's RedisCache.clear() empties the whole Redis database (FLUSHDB): two test runs sharing a server would wipe
each other's rate limits and sessions. Here only the keys of this installation's prefix
(`USTAZ_REDIS_PREFIX`) go."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def clear() -> None:
    if settings.REDIS_URL:
        unlink_prefixed(settings.REDIS_URL, settings.REDIS_PREFIX)
    else:
        cache.clear()


def unlink_prefixed(url: str, prefix: str) -> int:
    """Remove the keys under `prefix:` from the Redis database at `url`; how many there were."""
    import redis

    client = redis.Redis.from_url(url)
    removed, batch = 0, []
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                removed += client.unlink(*batch)
                batch = []
        if batch:
            removed += client.unlink(*batch)
    finally:
        client.close()
    return removed

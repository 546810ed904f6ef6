"""The one rate-limit counter (sign-in failures, comments): a fixed window in the cache,
shared by every worker through Redis in production, per process in the demo."""

from django.core.cache import cache


def count_in_window(key: str, window: int) -> int:
    """Count one more hit on `key` in a window of `window` seconds; returns the count so far.

    cache.add + cache.incr is atomic on locmem and Redis, so concurrent workers never lose
    a hit."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1

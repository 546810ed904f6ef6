"""TODO docstring"""

from django.core.cache import cache


def _count_in_window(key: str, timeout: int) -> int:
    """Atomic fixed-window counter: cache.add + cache.incr is atomic on locmem and Redis."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1

"""Results computed once per data version: a page seen by many viewers costs one computation until
the data changes.

The key is ``(data_version, ctx, args)``: the store's data-version counter (one indexed row, ~0.1 ms
to read) changes with every write, so a cached result is never stale; the context carries the
viewer, language, reference date and as-of day, so no viewer ever gets another's scope. The cache
lives in the process (bounded LRU); another worker simply computes its own copy. Cached frames are
shared between callers: treat them as read-only.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Callable, ParamSpec, TypeVar

from data_sources import queries
from services.context import Context

P = ParamSpec("P")
R = TypeVar("R")


def by_data_version(maxsize: int = 64) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate ``function(ctx, *args)`` to reuse its result while the data version is unchanged."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        results: OrderedDict[tuple, R] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def cached(ctx: Context, *args, **kwargs):  # type: ignore[no-untyped-def]
            key = (queries.data_version(ctx.engine), ctx, args, tuple(sorted(kwargs.items())))
            with lock:
                if key in results:
                    results.move_to_end(key)
                    return results[key]
            value = function(ctx, *args, **kwargs)
            with lock:
                results[key] = value
                while len(results) > maxsize:
                    results.popitem(last=False)
            return value

        cached.cache_clear = results.clear  # type: ignore[attr-defined]
        return cached  # type: ignore[return-value]

    return decorate

"""Fixed-window rate limits in the shared cache (CACHE_URL=redis://... makes them count
across all app servers; the default per-process memory cache counts per process)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as the web server saw it. Behind a proxy, configure it to set
    REMOTE_ADDR (gunicorn --forwarded-allow-ips); X-Forwarded-For is never trusted here."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, who: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False when `who` has used up `limit` attempts in the window."""
    key = f"rl:{scope}:{who}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count <= limit

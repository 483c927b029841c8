"""Login rate limiting: failed sign-ins per (user name, client address) and per address, kept in memory.

After ``max_failures`` failures for one name from one address within
``window`` seconds, further attempts for that name from that address are
refused (HTTP 429) until the oldest failure leaves the window; after
``address_failures`` failures from one address (any names) within the window,
that address is refused for every name. A success clears the name's count.
The tables are bounded (``MAX_KEYS`` entries each, cachetools ``TTLCache``):
when full, the entries used longest ago are dropped first, never all at
once. The counts live in the server process: restarting it clears them, and
several processes count separately (documented in docs/web.md).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from cachetools import TTLCache

WINDOW_SECONDS = 15 * 60
MAX_KEYS = 100_000
#: failures from one address, over all user names, per window (a flood of made-up names)
ADDRESS_FACTOR = 4


class LoginLimiter:
    def __init__(self, max_failures: int = 5, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic,
                 *, address_failures: int | None = None, max_keys: int = MAX_KEYS) -> None:
        self.max_failures = max_failures
        self.address_failures = address_failures or max_failures * ADDRESS_FACTOR
        self.window = window
        self.clock = clock
        self._failures: TTLCache[tuple[str, str], deque[float]] = TTLCache(max_keys, window, timer=clock)
        self._by_address: TTLCache[str, deque[float]] = TTLCache(max_keys, window, timer=clock)
        self._lock = threading.Lock()

    def _key(self, username: str, address: str) -> tuple[str, str]:
        return (username.strip().lower()[:128], address)

    def _wait(self, times: deque[float] | None, limit: int, now: float) -> int:
        if not times:
            return 0
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < limit:
            return 0
        return max(1, int(self.window - (now - times[0])) + 1)

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = self.clock()
        with self._lock:
            return max(self._wait(self._failures.get(self._key(username, address)), self.max_failures, now),
                       self._wait(self._by_address.get(address), self.address_failures, now))

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            key = self._key(username, address)
            times = self._failures.get(key) or deque()
            times.append(now)
            self._failures[key] = times  # (re)set: the entry lives a window after its latest failure
            by_address = self._by_address.get(address) or deque(maxlen=self.address_failures)
            by_address.append(now)
            self._by_address[address] = by_address

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop(self._key(username, address), None)

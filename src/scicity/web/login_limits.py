"""Login rate limiting: failed sign-ins per (user name, client address), kept in memory.

After ``max_failures`` failures within ``window`` seconds, further attempts for
that name from that address are refused (HTTP 429) until the oldest failure
leaves the window. A success clears the count. The counts live in the server
process: restarting it clears them, and several processes count separately
(documented in docs/web.md).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 15 * 60
MAX_KEYS = 100_000


class LoginLimiter:
    def __init__(self, max_failures: int = 5, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _key(self, username: str, address: str) -> tuple[str, str]:
        return (username.strip().lower()[:128], address)

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = self.clock()
        with self._lock:
            times = self._failures.get(self._key(username, address))
            if not times:
                return 0
            while times and now - times[0] > self.window:
                times.popleft()
            if len(times) < self.max_failures:
                return 0
            return max(1, int(self.window - (now - times[0])) + 1)

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            if len(self._failures) > MAX_KEYS:  # bounded memory under a flood of made-up names
                self._failures.clear()
            self._failures.setdefault(self._key(username, address), deque()).append(self.clock())

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop(self._key(username, address), None)

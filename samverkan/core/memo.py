"""A small memo of unpickled values in this process, in front of Django's cache.

For values cached under a key that names the revision they were built at (so what is stored under a key
never changes): the memo cannot serve anything the shared cache would not, and a cached page does not
unpickle its rows on every request. The objects are shared by the process's threads: callers never
change what they get.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any


class LocalMemo:
    """A thread-safe LRU of (expiry, value) by cache key, in this process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: Any, seconds: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

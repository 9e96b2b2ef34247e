"""Rendered answers kept per process, bounded in bytes (issue 8 item 8).

An answer depends only on its key (the Step: menus and prompts versions, URLs, state,
event), so it is worked out once. The bound is in bytes, key included, not in entries: a
key can be long (a Host header, a caller id) and so can an answer (the read-out). The
oldest entries go first.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Generic
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MAX_BYTES = 8 * 1024 * 1024
"""About 7,000 answers of the shipped menus (1.1 KB each on average, 3 KB at most); the
16,000 answers of the whole walk (tests/test_walk.py) would take 18 MB, calls use a few."""
ENTRY_OVERHEAD = 300
"""Bytes a dict slot, the key and the answer's objects cost beyond their contents."""


class AnswerCache(Generic[K, V]):
    """A dict of answers that never holds more than `max_bytes`."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        """Bytes held now, by the same measure as the bound."""
        self._entries: dict[K, tuple[V, int]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)  # no lock: a dict read is atomic, and hits are hot
        return entry[0] if entry is not None else None

    def put(self, key: K, value: V, size: int) -> None:
        """Keep `value` (`size` bytes of contents) under `key`, dropping the oldest to fit."""
        cost = size + len(repr(key)) + ENTRY_OVERHEAD
        if cost > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, cost)
            self.size += cost
            while self.size > self.max_bytes:
                oldest = next(iter(self._entries))  # dicts keep insertion order
                self.size -= self._entries.pop(oldest)[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

"""Wrong console passwords, counted per client address (issue 22 item 12).

1,654 guesses a second once met no resistance and left no trace. Now an address has a few
tries free; each wrong one after them makes it wait twice as long as the last before its
next try is even checked (1 s, 2 s, 4 s, ... up to MAX_WAIT). A right password clears its
record. The client is told 429 and how long to wait, never made to wait on a worker's
thread (a sleeping thread is one fewer to answer calls). The records live in the worker's
memory, at most MAX_ADDRESSES of them, the longest quiet forgotten first, so a flood of
addresses costs a bounded few hundred kB; each worker keeps its own.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)
FREE_TRIES = 5
"""Wrong tries in a row an address may make before it has to wait (a mistyped password)."""
FIRST_WAIT = 1.0
MAX_WAIT = 300.0
FORGET_AFTER = 900.0
"""Seconds after its last wrong try that an address starts again from nothing."""
MAX_ADDRESSES = 1024
LOG_EVERY = 60.0
"""An address's wrong tries are logged at most once in this many seconds."""


@dataclass
class _Tries:
    wrong: int = 0
    last: float = 0.0
    until: float = 0.0
    logged: float = -math.inf


class Lockout:
    """Per client address: how long until its next try, and its wrong tries, logged."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 limit: int = MAX_ADDRESSES) -> None:
        self.clock = clock
        """Seconds, any origin (tests put a fake here)."""
        self.limit = limit
        self._tries: OrderedDict[str, _Tries] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tries)

    def wait(self, address: str) -> float:
        """Seconds `address` must wait before a try is checked (0: it may try now)."""
        now = self.clock()
        with self._lock:
            tries = self._current(address, now)
            return max(0.0, tries.until - now) if tries else 0.0

    def failed(self, address: str) -> None:
        """A wrong user name or password from `address`."""
        now = self.clock()
        with self._lock:
            tries = self._current(address, now) or _Tries()
            tries.wrong += 1
            tries.last = now
            over = tries.wrong - FREE_TRIES
            wait = min(FIRST_WAIT * 2 ** over, MAX_WAIT) if over >= 0 else 0.0
            tries.until = now + wait
            self._tries[address] = tries
            self._tries.move_to_end(address)
            while len(self._tries) > self.limit:
                self._tries.popitem(last=False)
            if now - tries.logged < LOG_EVERY:
                return
            tries.logged = now
        # Never the password, nor the user name tried (a password typed in the wrong box).
        log.warning("console: wrong user name or password from %s (%d in a row%s)", address,
                    tries.wrong, f"; its next try is checked in {wait:g} s" if wait else "")

    def succeeded(self, address: str) -> None:
        """The operator's password from `address`: it starts again from nothing."""
        with self._lock:
            self._tries.pop(address, None)

    def _current(self, address: str, now: float) -> _Tries | None:
        tries = self._tries.get(address)
        if tries is not None and now - tries.last >= FORGET_AFTER:
            del self._tries[address]
            return None
        return tries

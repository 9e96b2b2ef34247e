"""Files that are whole or absent: written to a temp name in the same folder, then renamed.

A ^C, a kill or a lost network mid-write never leaves half a prompt, half a manifest or
half a fallback document where a web server or Twilio would read it (pre-commit store.py).
A temp name (`.<name>.<pid>.<random>.part`) says which process writes it, so a temp file
whose writer was killed (kill -9 runs no cleanup) can be told from one being written, and
the next write of the same file removes it (issue 22 item 13).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path


def _umask() -> int:
    # /proc reads it without changing it; os.umask can only set it, and setting it twice
    # leaves a moment in which another thread (or a child it starts) would see 0.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _umask()
"""Read once at import, before any thread starts."""


def write_atomic(path: Path, data: bytes, check: Callable[[Path], None] | None = None) -> None:
    """Write `data` to a temp file beside `path`, run `check` on it, then rename it over `path`.

    The file gets the mode of any new file (0666 less the umask), not mkstemp's 0600: the
    webhook may run as another user and must be able to read it.
    """
    remove_leftovers(path.parent, path.name)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                suffix=".part")
    try:
        # No fsync: the rename already makes a ^C, a kill or a lost network harmless, and
        # fsyncing the growing manifest after each of ~400 prompts tripled the build time.
        with os.fdopen(fd, "wb") as file:
            os.fchmod(file.fileno(), 0o666 & ~UMASK)
            file.write(data)
        if check is not None:
            check(Path(temp))
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


_WRITER = re.compile(r"\.(\d+)\.[^.]+\.part$")


def leftovers(folder: Path, name: str = "") -> list[Path]:
    """Temp files in `folder` (of the file `name` only, if given) whose writer is gone."""
    try:
        entries = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    prefix = f".{name}." if name else "."
    return sorted(folder / entry for entry in entries
                  if entry.startswith(prefix) and entry.endswith(".part")
                  and not _writing(entry[len(prefix) - 1:]))


def remove_leftovers(folder: Path, name: str = "") -> list[Path]:
    """Remove the temp files `leftovers` finds; those removed."""
    gone = []
    for path in leftovers(folder, name):
        try:
            path.unlink()
        except OSError:
            continue  # removed by another writer meanwhile, or not ours to remove
        gone.append(path)
    return gone


def _writing(tail: str) -> bool:
    """Whether the process named in a temp file's name is running (a name without one is
    from before names carried it: its writer is long gone)."""
    found = _WRITER.search(tail)
    if found is None:
        return False
    try:
        os.kill(int(found.group(1)), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process: alive
    return True

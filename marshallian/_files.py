"""Atomic file writes: a temporary file in the target folder, then a rename.

An interrupted run never leaves a half-written file at the target path, and a second run
replaces the first cleanly. Used by the command line, the report, the figures and sweeps.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def give_usual_mode(path, mode: int = 0o666) -> None:
    """Give ``path`` the mode a plain ``open``/``mkdir`` would (``mode`` less the umask):
    ``tempfile`` makes its files 0600 and folders 0700, which would otherwise survive the
    rename onto the target."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)


def atomic_write(path, data) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    Parameters
    ----------
    path : str or Path
        Target; its folder is created if missing.
    data : str, bytes or callable
        Text (UTF-8), bytes, or ``write(fh)`` called with a binary file handle.

    The data go to a temporary file in the same folder, which is then renamed over ``path``:
    a reader sees the old file or the new one, never a half-written one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from marshallian._files import atomic_write
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "out" / "a.txt", "one complete file").read_text()
    'one complete file'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        give_usual_mode(tmp)  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path

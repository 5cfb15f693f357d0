"""Atomic file writes: a temporary file in the target folder, then a rename.

An interrupted run never leaves a half-written file at the target path, and a second run
replaces the first cleanly. Used by the command line, the report, the figures and sweeps.
The checks of an output before any work is done live here too: :func:`check_output_file`
(a file to write) and :func:`check_output_folder` (a folder to write).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import InvalidParameterError, Violation


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


def check_output_file(name: str, path, *, new_folders: bool = True) -> Path:
    """Validate a file to write (the ``--out`` of a command) before any work is done.

    ``path`` must not be a folder, and its folder must be a writable folder of a regular
    file system: with ``new_folders`` the nearest folder that exists (:func:`atomic_write`
    makes the rest), else its own folder, which must exist. Each violation raises
    :class:`~marshallian.errors.InvalidParameterError` naming ``name``, the path and the rule.
    The command's own rules (the file's suffix) are checked by the command.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_file("--out", folder / "new" / "a.csv").name
    'a.csv'
    >>> check_output_file("--out", folder / "new" / "a.csv", new_folders=False)
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: --out='.../new/a.csv': its folder must exist and be writable
    """
    p = Path(path)
    if p.is_dir():
        raise InvalidParameterError(Violation(name, str(path), "must be a file, not a directory"))
    if new_folders:
        folder = next((q for q in p.absolute().parents if q.exists()), Path("."))
        rule = "must be in a writable folder"
    else:
        folder, rule = p.parent, "its folder must exist and be writable"
    if (
        not folder.is_dir()
        or not os.access(folder, os.W_OK | os.X_OK)
        or not _can_create_in(folder)
    ):
        raise InvalidParameterError(Violation(name, str(path), rule))
    return p


def check_output_folder(name: str, path) -> Path:
    """Validate a folder to write (created if missing) before any work is done.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_folder("--out", folder / "report").name
    'report'
    >>> (folder / "f").write_text("x") and None
    >>> check_output_folder("--out", folder / "f")
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: --out='.../f': must be a directory
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InvalidParameterError(Violation(name, str(path), "must be a directory"))
    parent = p if p.exists() else next((q for q in p.parents if q.exists()), Path("."))
    if not parent.is_dir():  # e.g. /dev/null/x: a file where a folder is needed
        raise InvalidParameterError(
            Violation(name, str(path), f"must be a folder ({parent} is not one)")
        )
    # the output is built beside its target: both must take a new folder (probed)
    if (
        not os.access(parent, os.W_OK)
        or not _can_create_in(parent)
        or (p.exists() and not _can_create_in(p.parent))
    ):
        raise InvalidParameterError(
            Violation(name, str(path), "must be in a writable folder of a regular file system")
        )
    return p


def _can_create_in(folder: Path) -> bool:
    """Whether a folder can be made in ``folder`` (probed, then removed): refuses /proc,
    /sys and read-only mounts even for root, before any work is done. The output is
    built beside its target, so the target's parent is probed."""
    try:
        probe = tempfile.mkdtemp(prefix=".marshallian-probe-", dir=folder)
    except OSError:
        return False
    with contextlib.suppress(OSError):
        os.rmdir(probe)
    return True

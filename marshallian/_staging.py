"""Output folders that always hold one complete run: build beside the target, swap at the end.

:func:`staged_folder` gives a fresh folder next to the target (same file system); the
caller writes everything there; on a normal exit the staged folder replaces the target in
one step (an atomic exchange of the two folders where the kernel offers it, Linux
``renameat2(RENAME_EXCHANGE)``), on an exception it is removed and the target is left as
it was. A kill at any moment leaves the previous folder whole (and, at worst, a hidden
``.NAME.staging-PID-*`` folder beside it, removed by the next run).

When the target also holds entries the run does not own (a user's own files next to a
report, the figures ``figures --only`` did not redraw), they are left where they are: the
staging folder is then hidden inside the target and the run's own entries are replaced
one by one at the end (the one that marks a finished run last).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ._files import give_usual_mode

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class StagedFolder:
    """A staging folder for ``target`` (see :func:`staged_folder`).

    Attributes
    ----------
    target : Path
        The folder the run is for.
    path : Path
        Where the run writes; :meth:`final` maps a path inside it to the target.
    whole : bool
        True when the whole folder is swapped in one step (the target is new or holds only
        entries the run owns); False when the target also holds foreign entries: then the
        staging folder is hidden inside the target and the owned entries are replaced one by
        one, ``last`` entries last (e.g. ``report.md``, whose presence marks a finished run).
    """

    def __init__(self, target, owned=None, last=()):
        self.target = Path(target)
        self._owned = owned
        self.last = tuple(last)
        parent = self.target.parent
        parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_stagings(parent, self.target.name)
        foreign = []
        if self.target.is_dir():
            _remove_dead_stagings(self.target, "")
            foreign = [
                e
                for e in os.listdir(self.target)
                if not self.owns(e)
                and not e.startswith(".staging-")
                and not e.startswith(".trash-")
            ]
        self.whole = not foreign
        where, prefix = (
            (parent, f".{self.target.name}.staging-{os.getpid()}-")
            if self.whole
            else (self.target, f".staging-{os.getpid()}-")
        )
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=where))
        give_usual_mode(self.path, 0o777)
        self.done = False

    def owns(self, name: str) -> bool:
        if self._owned is None:
            return True
        if callable(self._owned):
            return bool(self._owned(name))
        return name in self._owned

    def final(self, p) -> Path:
        """The path ``p`` (inside :attr:`path`) will have once committed."""
        return self.target / Path(p).relative_to(self.path)

    def commit(self) -> Path:
        """Put the staged run in the target's place."""
        if self.done:
            return self.target
        if self.whole:
            try:
                if not self.target.exists():
                    os.rename(self.path, self.target)
                elif _exchange(self.path, self.target):
                    shutil.rmtree(self.path, ignore_errors=True)  # now the old contents
                else:
                    old = Path(
                        tempfile.mkdtemp(
                            prefix=f".{self.target.name}.old-{os.getpid()}-", dir=self.target.parent
                        )
                    )
                    os.rename(self.target, old / "x")
                    os.rename(self.path, self.target)
                    shutil.rmtree(old, ignore_errors=True)
                self.done = True
                return self.target
            except OSError:
                self.target.mkdir(parents=True, exist_ok=True)  # e.g. a mount point
        self._commit_entries()
        self.done = True
        return self.target

    def _commit_entries(self) -> None:
        trash = Path(tempfile.mkdtemp(prefix=f".trash-{os.getpid()}-", dir=self.target))
        new = sorted(os.listdir(self.path), key=lambda n: (n in self.last, n))
        for name in [n for n in os.listdir(self.target) if self.owns(n)]:
            os.rename(self.target / name, trash / name)
        for name in new:
            shutil.move(str(self.path / name), str(self.target / name))
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(self.path, ignore_errors=True)

    def discard(self) -> None:
        """Remove the staged folder; the target stays as it was."""
        if not self.done:
            shutil.rmtree(self.path, ignore_errors=True)
            self.done = True


@contextlib.contextmanager
def staged_folder(target, owned=None, last=()) -> Iterator[StagedFolder]:
    """Build an output folder beside ``target``; swap it in only if the block completes.

    Parameters
    ----------
    target : path
        The output folder (created with its parents if missing).
    owned : container or callable, optional
        Names (top-level entries) the run owns: owned entries of an earlier run are
        dropped even if this run does not write them; others are carried over. None: the
        run owns everything.
    last : iterable of str
        Entries moved last when entries are replaced one by one (see
        :attr:`StagedFolder.whole`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with staged_folder(root / "out") as stage:
    ...     _ = (stage.path / "a.txt").write_text("new")
    >>> sorted(p.name for p in (root / "out").iterdir())
    ['a.txt']
    """
    stage = StagedFolder(target, owned, last)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    else:
        try:
            stage.commit()
        except BaseException:
            stage.discard()
            raise


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders (Linux renameat2); False where unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def _remove_dead_stagings(parent: Path, name: str) -> None:
    """Remove staging/old/trash folders of ``name`` (inside a target: ``""``) left by
    processes that no longer run."""
    kinds = ("staging", "trash") if not name else ("staging", "old")
    for kind in kinds:
        prefix = f".{name}.{kind}-" if name else f".{kind}-"
        for entry in parent.glob(prefix + "*"):
            pid_text = entry.name[len(prefix) :].split("-", 1)[0]
            if pid_text.isdigit() and not _alive(int(pid_text)):
                shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

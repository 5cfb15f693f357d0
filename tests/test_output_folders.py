"""Output folders hold one complete run; workers die with their parent (issue 12 items 4, 5, 10)."""

from __future__ import annotations

import errno
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MARSHALLIAN_BIN, run_cli_inprocess

from marshallian._staging import StagedFolder, staged_folder


def _snapshot(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _previous_report(out: Path) -> dict:
    (out / "figures").mkdir(parents=True)
    (out / "report.md").write_text("# previous run\n", encoding="utf-8")
    (out / "results.json").write_text("{}\n", encoding="utf-8")
    (out / "figures" / "fig1_ppf.png").write_bytes(b"old png")
    (out / "figures" / "fig1_ppf.pdf").write_bytes(b"old pdf")
    return _snapshot(out)


# --------------------------------------------------------------------------- the helper
def test_a_completed_block_replaces_the_folder_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    with staged_folder(out) as stage:
        assert stage.whole and stage.path.parent == tmp_path
        (stage.path / "new.txt").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_exception_leaves_the_previous_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    before = _previous_report(out)
    with (
        pytest.raises(OSError),
        staged_folder(out, owned=("report.md", "results.json", "figures")) as stage,
    ):
        (stage.path / "report.md").write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_foreign_entries_are_kept_and_owned_ones_replaced(tmp_path):
    out = tmp_path / "out"
    _previous_report(out)
    (out / "notes.txt").write_text("mine")
    with staged_folder(
        out, owned=("report.md", "results.json", "figures"), last=("report.md",)
    ) as stage:
        assert not stage.whole and stage.path.parent == out
        (stage.path / "report.md").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.md"]
    assert (out / "notes.txt").read_text() == "mine"


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    leftover = tmp_path / f".out.staging-{dead}-abc"
    leftover.mkdir()
    stage = StagedFolder(tmp_path / "out")
    stage.discard()
    assert not leftover.exists()


# --------------------------------------------------------------------------- the commands
def test_a_report_that_fails_to_write_keeps_the_previous_folder(tmp_path, monkeypatch):
    # issue 12 item 4: on a full disk the old fig1_ppf.png/.pdf were deleted
    import marshallian.report as rep
    from marshallian import _files

    def stubbed(*args):
        raise RuntimeError("stubbed")

    for job in ("_conditions_job", "_claims_job", "_policy_job"):
        monkeypatch.setattr(rep, job, stubbed, raising=False)
    real = _files.atomic_write

    def full_disk(path, data):
        if str(path).endswith("results.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    from marshallian.cli import common

    for module in (_files, common, rep):
        monkeypatch.setattr(module, "atomic_write", full_disk, raising=False)
    out = tmp_path / "r"
    before = _previous_report(out)
    with pytest.raises(OSError):
        rep.build_report(out, draws=1, workers=False, figures=["income_gaps"], formats=("png",))
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_figures_with_a_failing_figure_keep_the_previous_files(tmp_path, monkeypatch):
    import marshallian.figures.registry as reg

    spec = reg.FIGURES["income_gaps"]
    monkeypatch.setitem(
        reg.FIGURES,
        "income_gaps",
        reg.FigureSpec(
            spec.name, spec.title, spec.caption, lambda ctx: (_ for _ in ()).throw(OSError("disk"))
        ),
    )
    out = tmp_path / "figs"
    out.mkdir()
    (out / "income_gaps.png").write_bytes(b"old")
    (out / "fig1_ppf.png").write_bytes(b"old ppf")
    r = run_cli_inprocess(
        [
            "figures",
            "--out",
            str(out),
            "--only",
            "income_gaps",
            "--only",
            "fig1_ppf",
            "--format",
            "png",
        ],
        tmp_path,
    )
    assert r.returncode == 1
    assert (out / "income_gaps.png").read_bytes() == b"old"
    assert (out / "fig1_ppf.png").read_bytes() == b"old ppf"


@pytest.mark.parametrize(
    "target, fragment",
    [
        ("{file}/sub", "is not one"),
        ("/proc/marshallian-out", "writable folder"),
        ("/sys/marshallian-out", "writable folder"),
    ],
)
@pytest.mark.parametrize("command", ["figures", "report"])
def test_unusable_out_exits_2_with_one_line(tmp_path, command, target, fragment):
    # issue 12 item 10: these were exit 1 "internal error"
    a_file = tmp_path / "FILE"
    a_file.write_text("x")
    r = run_cli_inprocess([command, "--out", target.format(file=a_file)], tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and fragment in r.stderr and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- kill
def _children(pid: int) -> set:
    out = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.add(int(d.name))
    return out


def _descendants(pid: int) -> set:
    seen, todo = set(), [pid]
    while todo:
        for c in _children(todo.pop()):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_report_leaves_no_process_and_the_previous_folder(tmp_path, sig):
    # issue 12 item 5: spawn workers and the resource tracker outlived a killed parent
    out = tmp_path / "r"
    before = _previous_report(out)
    proc = subprocess.Popen(
        [
            str(MARSHALLIAN_BIN),
            "report",
            "--out",
            str(out),
            "--draws",
            "1",
            "--grid",
            "4,3",
            "--quiet",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        workers = set()
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            workers |= _descendants(proc.pid)  # the worker + the resource tracker
            time.sleep(0.2)
        assert proc.poll() is None and len(workers) >= 2, "report finished before workers ran"
        proc.send_signal(sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.2)
        assert not [p for p in workers if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _snapshot(out) == before

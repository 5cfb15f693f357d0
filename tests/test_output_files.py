"""One check for a file a command writes (``--out`` of explore, empirics simulate, sweep):
an unusable target is answered with exit 2 and one line naming ``--out``, before any work,
and nothing is written (issue 10: one way to do each thing)."""

from __future__ import annotations

import pytest
from conftest import run_cli_inprocess

from marshallian._files import check_output_file
from marshallian.errors import InvalidParameterError

COMMANDS = {
    "explore": (["explore", "--out"], "page.html"),
    "simulate": (["empirics", "simulate", "--firms", "20", "--out"], "panel.csv"),
    "sweep": (["sweep", "alternative", "--axis", "lam_1S=1:2:3", "--out"], "map.npz"),
}


@pytest.mark.parametrize(
    "target, fragment",
    [
        ("{file}/{name}", "writable"),  # a file where a folder is needed (was exit 1)
        ("/proc/{name}", "writable"),  # not a regular file system (was exit 1)
        ("/dev/null/{name}", "writable"),
        ("{dir}", "must be a file, not a directory"),
    ],
)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_unusable_out_exits_2_with_one_line(tmp_path, command, target, fragment):
    argv, name = COMMANDS[command]
    a_file = tmp_path / "FILE"
    a_file.write_text("x")
    a_dir = tmp_path / name  # a folder named like the output file
    a_dir.mkdir()
    out = target.format(file=a_file, name=name, dir=a_dir)
    r = run_cli_inprocess([*argv, out], tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "--out" in r.stderr and fragment in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["FILE", name])
    assert list(a_dir.iterdir()) == []


def test_new_folders_are_allowed_only_when_asked(tmp_path):
    target = tmp_path / "new" / "deeper" / "a.csv"
    assert check_output_file("--out", target) == target
    with pytest.raises(InvalidParameterError, match="its folder must exist and be writable"):
        check_output_file("--out", target, new_folders=False)
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind

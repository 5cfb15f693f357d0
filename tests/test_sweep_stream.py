"""Sweeps streamed to a file in flat memory; size limits exit 2 (issue 12 items 7, 11)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run_cli_inprocess

import marshallian.sweep as sw
from marshallian.errors import InvalidParameterError
from marshallian.sweep import run as sweep_run
from marshallian.sweep import stream

AXES = {"lam_1S": "0.5:2:61", "Lbar_1": "30:200:37"}


def test_a_streamed_sweep_is_the_in_memory_sweep(tmp_path):
    mem = sw.sweep("alternative", AXES)
    out = tmp_path / "map.npz"
    res = sw.sweep("alternative", AXES, out=out, block=500)  # many blocks, a partial last one
    assert isinstance(res, sw.StreamedSweep) and res.path == out
    z = np.load(out)
    assert np.array_equal(z["bits"], mem.bits) and np.array_equal(z["near_bits"], mem.near_bits)
    assert z["bits"].dtype == mem.bits.dtype
    for k, v in mem.to_arrays().items():
        assert np.array_equal(z[k], v), k
    assert res.counts() == mem.counts()
    d, m = res.to_dict(), mem.to_dict()
    assert d.pop("output") == str(out)
    for key in ("seconds", "backend"):
        d.pop(key), m.pop(key)
    assert d == m
    assert res.summary().splitlines()[1:] == mem.summary().splitlines()[1:]
    assert [p.name for p in tmp_path.iterdir()] == ["map.npz"]


def test_an_interrupted_stream_leaves_nothing(tmp_path, monkeypatch):
    real = sweep_run._eval_block
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(sweep_run, "_eval_block", failing)
    with pytest.raises(KeyboardInterrupt):
        sw.sweep("alternative", AXES, out=tmp_path / "map.npz", block=500)
    assert list(tmp_path.iterdir()) == []


def test_in_memory_results_above_the_limit_are_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(stream, "MAX_IN_MEMORY_POINTS", 1000)
    with pytest.raises(InvalidParameterError, match="at most 1,000 points"):
        sw.sweep("alternative", AXES)
    res = sw.sweep("alternative", AXES, out=tmp_path / "m.npz")
    assert res.size == 61 * 37


@pytest.mark.parametrize("block", [-1, 0, True, 2.5, sw.MAX_BLOCK_POINTS + 1])
def test_bad_block_sizes_raise_the_package_error(block):
    # issue 12 item 11: block=-1 returned uninitialised memory, block=0 a bare ValueError
    with pytest.raises(InvalidParameterError, match="block"):
        sw.sweep("alternative", AXES, block=block)


def test_numpy_integer_block_and_threads_are_accepted():
    res = sw.sweep("alternative", AXES, block=np.int64(1000), threads=np.int32(1))
    assert res.size == 61 * 37


@pytest.mark.parametrize("axis", ["lam_1S=0.5:2:1000000000", "lam_1S=0.5:2:1000000000000"])
def test_absurd_point_counts_exit_2_at_once(tmp_path, axis):
    # issue 12 item 7: 1e9 points passed 6 GB; more raised MemoryError (exit 1)
    r = run_cli_inprocess(["sweep", "alternative", "--axis", axis], tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "at most" in r.stderr


def test_the_cli_streams_large_sweeps_to_out(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "MAX_IN_MEMORY_POINTS", 1000)
    monkeypatch.setattr(sw, "MAX_IN_MEMORY_POINTS", 1000)
    args = ["sweep", "alternative", "--axis", "lam_1S=0.5:2:61", "--axis", "Lbar_1=30:200:37"]
    r = run_cli_inprocess(args, tmp_path)
    assert r.returncode == 2 and "--out" in r.stderr
    r = run_cli_inprocess(args + ["--out", "m.npz", "--format", "csv"], tmp_path)
    assert r.returncode == 2 and "CSV" in r.stderr
    r = run_cli_inprocess(args + ["--out", "m.npz"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert np.load(tmp_path / "m.npz")["bits"].shape == (61, 37)

"""The batch split across a Dask cluster (a small in-process LocalCluster) gives the
same table as the local run."""

import numpy as np
import pytest

from marshallian.solvers.batch import solve_batch

pd = pytest.importorskip("pandas", reason="pandas is in the test extra")


def test_dask_client_gives_the_same_rows(dask_client):
    rng = np.random.default_rng(11)
    cases = {
        "lam_1S": rng.uniform(0.5, 2, 300),
        "lam_2S": rng.uniform(0.5, 2, 300),
        "beta": rng.uniform(0.2, 0.8, 300),
    }
    cases["lam_2S"][5] = 1.0  # a knife edge in one chunk: answered per case remotely
    cases["lam_1S"][5] = 1.0
    local = solve_batch("alternative", cases, chunk=64)
    remote = solve_batch("alternative", cases, chunk=64, client=dask_client)
    pd.testing.assert_frame_equal(local, remote)
    assert sorted(set(remote.case)) == list(range(300))

"""The same sweep on a Dask cluster (a small in-process LocalCluster)."""

import numpy as np

from marshallian import sweep as sw


def test_dask_client_gives_the_same_map(dask_client):
    axes = {"lam_1S": "0.5:2:41", "lam_2S": "log:0.5:2:37"}
    local = sw.sweep("alternative", axes, {"beta": 0.45})
    remote = sw.sweep("alternative", axes, {"beta": 0.45}, client=dask_client, block=300)
    pts = {"lam_1S": np.linspace(0.5, 2, 500), "lam_2S": np.linspace(2, 0.5, 500)}
    remote_pts = sw.sweep("alternative", points=pts, client=dask_client, block=128)
    assert remote.backend.endswith("+dask")
    assert np.array_equal(local.bits, remote.bits)
    assert np.array_equal(local.near_bits, remote.near_bits)
    assert np.array_equal(remote_pts.bits, sw.sweep("alternative", points=pts).bits)

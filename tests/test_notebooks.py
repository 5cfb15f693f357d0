"""The notebooks (one per section of the paper) execute without error and are committed
without outputs. They run in a kernel started from this interpreter (``sys.executable``)
through a temporary kernelspec, so no ``jupyter kernelspec install`` is needed on a fresh
machine and no other Python's ``python3`` kernel can be picked up by mistake."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra")

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = [
    "01-standard-model.ipynb",
    "02-alternative-model.ipynb",
    "03-dynamics.ipynb",
    "04-policy.ipynb",
    "05-empirics.ipynb",
    "06-world.ipynb",
]
KERNEL = "marshallian-test-python"
#: Seconds a cell may take (the notebooks are designed to take a few seconds each).
CELL_TIMEOUT = 300


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A kernelspec running ``sys.executable -m ipykernel_launcher``, found via JUPYTER_PATH."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "marshallian (test)",
                "language": "python",
                "env": {"MPLBACKEND": "Agg"},
            }
        )
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(root))
    mp.setenv("JUPYTER_PLATFORM_DIRS", "1")
    yield root
    mp.undo()


def test_every_section_has_its_notebook():
    assert sorted(p.name for p in NB_DIR.glob("*.ipynb")) == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: outputs left in"


def test_generator_reproduces_the_committed_notebooks(tmp_path):
    sys.path.insert(0, str(NB_DIR))
    try:
        import make_notebooks
    finally:
        sys.path.remove(str(NB_DIR))
    for path in make_notebooks.main(tmp_path):
        assert path.read_text() == (NB_DIR / path.name).read_text(), (
            f"{path.name}: regenerate with python notebooks/make_notebooks.py"
        )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes_without_error(name, kernel_env, tmp_path):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]
    assert images, f"{name}: no figure was displayed"

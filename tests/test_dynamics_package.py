"""The §4 dynamics package: one-way imports, one ``Phase``, public names unchanged (issue 10 item 4)."""

from __future__ import annotations

import ast
import pathlib

import marshallian

PKG = pathlib.Path(marshallian.__file__).parent


def _relative_imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out.add(node.module or "")
    return out


def test_submodules_import_one_way_and_never_the_package():
    dyn = PKG / "solvers" / "dynamics"
    assert _relative_imports(dyn / "law.py") == set()
    assert _relative_imports(dyn / "integration.py") == {"law"}
    assert _relative_imports(dyn / "paths.py") == {"law", "integration"}
    for name in ("law.py", "integration.py", "paths.py", "__init__.py"):
        tree = ast.parse((dyn / name).read_text(encoding="utf-8"))
        defs = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert "__getattr__" not in defs, name


def test_public_names_are_unchanged_and_there_is_one_phase():
    from marshallian.policy import adjustment
    from marshallian.solvers import dynamics

    assert marshallian.Phase is dynamics.Phase
    assert marshallian.path is dynamics.path
    assert marshallian.integrate is dynamics.integrate
    assert not hasattr(adjustment, "Phase")
    classes = [
        p
        for p in PKG.rglob("*.py")
        if any(
            isinstance(n, ast.ClassDef) and n.name == "Phase"
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        )
    ]
    assert [p.relative_to(PKG).as_posix() for p in classes] == ["solvers/dynamics/integration.py"]

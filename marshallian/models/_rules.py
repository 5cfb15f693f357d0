"""Cross-parameter rules shared by the model declarations (``docs/models.md`` §1, ``docs/commands.md``)."""

from __future__ import annotations

from ..errors import Violation

#: |mu_1 + ... + mu_J - 1| must be below this.
SHARE_SUM_ATOL = 1e-9


def shares_sum_to_one(names):
    def rule(v):
        total = sum(v[n] for n in names)
        if abs(total - 1.0) > SHARE_SUM_ATOL:
            yield Violation("+".join(names), total, "Cobb-Douglas shares must sum to 1")

    return rule


def beta_in_unit_interval(v):
    if not v["beta"] < 1:
        yield Violation("beta", v["beta"], "must satisfy 0 < beta < 1")


def theta_above_one(sectors):
    def rule(v):
        for j in sectors:
            theta = v["beta"] + v["alpha"] * v[f"Lbar_{j}"]
            if not theta > 1:
                yield Violation(
                    f"theta_{j}", theta, f"theta_{j} = beta + alpha*Lbar_{j} must be > 1"
                )

    return rule


def eps_above_g(v):
    if not v["eps"] > v["g"]:
        yield Violation("eps", v["eps"], f"must be > g (g={v['g']!r})")

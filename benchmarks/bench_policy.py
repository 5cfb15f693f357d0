"""Speed of the policy layer: equilibria under a tariff, adjustment runs, static claims.

``main()`` returns a dict of medians (seconds) and prints a short table.
"""

from __future__ import annotations

from _testdata import STATIC_CLAIMS
from _timing import median_time, print_table


def _median(fn, repeat=5):
    return median_time(fn, repeat)


def main() -> dict:
    from marshallian.claims import run_claims
    from marshallian.models import get_model
    from marshallian.policy.adjustment import run_policy
    from marshallian.policy.coordination import coordination
    from marshallian.policy.instruments import policy_equilibria, tariff
    from marshallian.policy.welfare import preferences

    alt, std = get_model("alternative"), get_model("standard")
    ces = preferences(alt, alt.params(), sigma=2.0)
    policy_equilibria(alt, None, tariff(2, 3.0))  # warm the compiled functions
    res = {
        "tariff_equilibria_cd_s": _median(lambda: policy_equilibria(alt, None, tariff(2, 3.0))),
        "tariff_equilibria_ces_s": _median(
            lambda: policy_equilibria(alt, None, tariff(2, 3.0), prefs=ces), 3
        ),
        "temporary_tariff_run_s": _median(
            lambda: run_policy(std, None, tariff(2, 1.5), duration=None), 3
        ),
        "coordination_s": _median(lambda: coordination(alt), 3),
        "static_claims_20_draws_s": _median(lambda: run_claims(STATIC_CLAIMS, draws=20), 1),
    }
    res["ces_over_cd_ratio"] = res["tariff_equilibria_ces_s"] / res["tariff_equilibria_cd_s"]
    print_table(res, "benchmark", "median", 28)
    return res


if __name__ == "__main__":
    main()

"""Algorithms: equilibrium enumeration, verification, derived conditions, North's equilibria."""

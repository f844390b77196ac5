"""Shared settings of the kpi tests: one derandomized Hypothesis profile, so CI is deterministic."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "kpi",
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

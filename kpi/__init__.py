"""natije's computations: pure functions on numbers and DataFrames, one computation per module.

No Dash, no SQL, no I/O: inputs come from the data layer, the reference date ``today`` is
always passed in. Formulas, thresholds and worked examples: ``docs/kpi.md``.
"""

from kpi.citizen_demand import (
    DEMAND_GROUP_COLUMNS,
    count_requests,
    requests_growth,
    requests_per_capita,
    resolved_on_time,
)
from kpi.earned_value import EarnedValue, earned_value
from kpi.forecast import (
    INTERVAL_COVERAGE,
    MIN_COVERED_MONTHS,
    MIN_CYCLES,
    MIN_POINTS,
    WINDOW_YEARS,
    Forecast,
    ForecastState,
    fitted_line,
    forecast,
)
from kpi.freshness import FRESHNESS_STATES, PUBLICATION_LAG_DAYS, Freshness, FreshnessState, freshness
from kpi.instructions import DUE_SOON_DAYS, INSTRUCTION_STATES, DueWindow, instruction_states, state_window
from kpi.periods import (
    MONTHS_PER_PERIOD,
    Frequency,
    add_months,
    as_date,
    check_frequency,
    decimal_year,
    period_containing,
    period_end,
    period_label,
    period_starts,
    previous_quarter_end,
    shift_period,
)
from kpi.progress import (
    DIRECTION_SIGN,
    Direction,
    ValueOfTarget,
    add_progress,
    check_direction,
    meets_target,
    progress,
    value_of_target,
)
from kpi.project_health import (
    HEALTH_REASON_PARAMS,
    HEALTH_STEPS,
    MILESTONE_STATES,
    HealthSignal,
    HealthStep,
    ProjectHealth,
    milestone_states,
    project_health,
)
from kpi.regions import PER_CAPITA_BASES, gap_to_national, per_capita, rank_regions, regions_valid_in
from kpi.rollup import RollUp, rollup, rollup_groups
from kpi.scorecard import scorecard
from kpi.status import (
    AT_RISK,
    CONFIDENCE_STEPS,
    OFF_TRACK,
    REASON_PARAMS,
    STATUS_ORDER,
    Assessment,
    ConfidenceStep,
    assess,
    status_for,
)
from kpi.trajectory import expected_progress, expected_value

__all__ = [
    # constants
    "AT_RISK",
    "CONFIDENCE_STEPS",
    "DEMAND_GROUP_COLUMNS",
    "DIRECTION_SIGN",
    "DUE_SOON_DAYS",
    "FRESHNESS_STATES",
    "HEALTH_REASON_PARAMS",
    "HEALTH_STEPS",
    "INSTRUCTION_STATES",
    "INTERVAL_COVERAGE",
    "MIN_COVERED_MONTHS",
    "MIN_CYCLES",
    "MILESTONE_STATES",
    "MIN_POINTS",
    "MONTHS_PER_PERIOD",
    "OFF_TRACK",
    "PER_CAPITA_BASES",
    "PUBLICATION_LAG_DAYS",
    "REASON_PARAMS",
    "STATUS_ORDER",
    "WINDOW_YEARS",
    # types
    "Assessment",
    "ConfidenceStep",
    "Direction",
    "DueWindow",
    "EarnedValue",
    "Forecast",
    "ForecastState",
    "Frequency",
    "Freshness",
    "FreshnessState",
    "HealthSignal",
    "HealthStep",
    "ProjectHealth",
    "RollUp",
    "ValueOfTarget",
    # functions
    "add_months",
    "add_progress",
    "as_date",
    "assess",
    "check_direction",
    "check_frequency",
    "count_requests",
    "decimal_year",
    "earned_value",
    "expected_progress",
    "expected_value",
    "fitted_line",
    "forecast",
    "freshness",
    "gap_to_national",
    "instruction_states",
    "meets_target",
    "milestone_states",
    "per_capita",
    "period_containing",
    "period_end",
    "period_label",
    "period_starts",
    "previous_quarter_end",
    "progress",
    "project_health",
    "rank_regions",
    "regions_valid_in",
    "requests_growth",
    "requests_per_capita",
    "resolved_on_time",
    "rollup",
    "rollup_groups",
    "scorecard",
    "shift_period",
    "state_window",
    "status_for",
    "value_of_target",
]

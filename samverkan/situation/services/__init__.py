"""What the lägesbild app does. Views, API, commands and jobs call these; one module per part."""

from .rounds import (
    DEFAULT_DEADLINE_DAYS,
    default_answer_level,
    period_bounds,
    report_get_or_create,
    report_save,
    report_submit,
    round_create,
)
from .templates import template_as_sections, template_revise

__all__ = [
    "DEFAULT_DEADLINE_DAYS",
    "default_answer_level",
    "period_bounds",
    "report_get_or_create",
    "report_save",
    "report_submit",
    "round_create",
    "template_as_sections",
    "template_revise",
]

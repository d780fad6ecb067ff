"""Step 3 of the cycle: prioritised problems and their cause analysis."""

from .causes import Cause, CauseAnalysis
from .problems import Evidence, Problem

__all__ = ["Cause", "CauseAnalysis", "Evidence", "Problem"]

"""Step 3 of the cycle: prioritised problems and their cause analysis."""

from .causes import Cause, CauseAnalysis
from .problems import RAISABLE_PICTURE_KINDS, Evidence, Problem

__all__ = ["RAISABLE_PICTURE_KINDS", "Cause", "CauseAnalysis", "Evidence", "Problem"]

from .rounds import Answer, Report, Round
from .templates import STATUS_MEANING, Question, Section, StatusLevel, Template, Trend

__all__ = [
    "STATUS_MEANING",
    "Answer",
    "Question",
    "Report",
    "Round",
    "Section",
    "StatusLevel",
    "Template",
    "Trend",
]

from .events import Event, EventCategory, Place
from .picture import AreaSummary, JointPicture, PictureItem, PictureVersion, SituationRevision
from .rounds import Answer, Report, Round
from .schedule import RoundSchedule
from .templates import STATUS_MEANING, Question, Section, StatusLevel, Template, Trend

__all__ = [
    "STATUS_MEANING",
    "Answer",
    "AreaSummary",
    "Event",
    "EventCategory",
    "JointPicture",
    "PictureItem",
    "PictureVersion",
    "Place",
    "Question",
    "Report",
    "Round",
    "RoundSchedule",
    "Section",
    "SituationRevision",
    "StatusLevel",
    "Template",
    "Trend",
]

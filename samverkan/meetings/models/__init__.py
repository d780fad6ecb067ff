"""Meetings and minutes: a group's meetings, their agenda and minutes, justering and publishing."""

from .agenda import AgendaItem, Decision, MeetingFollowUp
from .feeds import CalendarFeed, hash_feed_token
from .meeting import Attendance, Meeting
from .minutes import Amendment, JusteringItemComment, JusteringResponse, Minutes

__all__ = [
    "AgendaItem",
    "Amendment",
    "Attendance",
    "CalendarFeed",
    "Decision",
    "JusteringItemComment",
    "JusteringResponse",
    "Meeting",
    "MeetingFollowUp",
    "Minutes",
    "hash_feed_token",
]

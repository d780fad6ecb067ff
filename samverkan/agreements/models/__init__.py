from .agreement import Agreement, FactSource, Signatory
from .focus import FocusArea, FocusAreaChange
from .groups import Group, GroupMember
from .promises import CitizenPromise, PromiseActivity

__all__ = [
    "Agreement",
    "CitizenPromise",
    "FactSource",
    "FocusArea",
    "FocusAreaChange",
    "Group",
    "GroupMember",
    "PromiseActivity",
    "Signatory",
]

from .audit import AuditEntry
from .collaboration import (
    Collaboration,
    CountyReader,
    Membership,
    Participation,
    Role,
    decode_roles,
    encode_roles,
)
from .confidentiality import ConfidentialContent, ConfidentialQuerySet, TenantManager, TenantQuerySet
from .feedback import AccessibilityFeedback
from .level import DEFAULT_RESTRICTED_TO, LEVEL_HELP, Level
from .notices import Notice
from .organisations import Affiliation, Organisation, Person
from .places import Kommun, Lan, PoliceArea, Polisregion
from .publication import DatabaseEpoch, PublicRevision
from .tokens import TOKEN_PREFIX, ApiToken, hash_token

__all__ = [
    "DEFAULT_RESTRICTED_TO",
    "LEVEL_HELP",
    "TOKEN_PREFIX",
    "AccessibilityFeedback",
    "Affiliation",
    "ApiToken",
    "AuditEntry",
    "Collaboration",
    "ConfidentialContent",
    "ConfidentialQuerySet",
    "CountyReader",
    "DatabaseEpoch",
    "Kommun",
    "Lan",
    "Level",
    "Membership",
    "Notice",
    "Organisation",
    "Participation",
    "Person",
    "PoliceArea",
    "Polisregion",
    "PublicRevision",
    "Role",
    "TenantManager",
    "TenantQuerySet",
    "decode_roles",
    "encode_roles",
    "hash_token",
]

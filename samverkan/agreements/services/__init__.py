"""Writes for agreements, focus areas, groups and citizen promises.

Every function: keyword-only, atomic, takes ``acting_user``, checks ``can_edit_agreements``, validates
(ValidationError naming the field), refuses personal data in öppen text, writes the audit log.
"""

from samverkan.agreements.services.agreement import (
    AGREEMENT_TEXT_FIELDS,
    ALLOWED_TRANSITIONS,
    agreement_create,
    agreement_renew,
    agreement_set_status,
    agreement_update,
    renewed_title,
)
from samverkan.agreements.services.documents import (
    fact_source_delete,
    fact_source_save,
    signatory_delete,
    signatory_save,
)
from samverkan.agreements.services.focus import (
    focus_area_add,
    focus_area_move,
    focus_area_retire,
    focus_area_update,
)
from samverkan.agreements.services.groups import (
    GROUP_FIELDS,
    group_member_remove,
    group_member_save,
    group_save,
)
from samverkan.agreements.services.promises import (
    promise_activity_delete,
    promise_activity_save,
    promise_save,
)

__all__ = [
    "AGREEMENT_TEXT_FIELDS",
    "ALLOWED_TRANSITIONS",
    "GROUP_FIELDS",
    "agreement_create",
    "agreement_renew",
    "agreement_set_status",
    "agreement_update",
    "fact_source_delete",
    "fact_source_save",
    "focus_area_add",
    "focus_area_move",
    "focus_area_retire",
    "focus_area_update",
    "group_member_remove",
    "group_member_save",
    "group_save",
    "promise_activity_delete",
    "promise_activity_save",
    "promise_save",
    "renewed_title",
    "signatory_delete",
    "signatory_save",
]

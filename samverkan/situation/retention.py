"""Gallring for the lägesbild: free text about what happened goes, the pattern stays.

After the years below, members' incident reports are deleted, and the free text and named places of
report answers and of agreed pictures are emptied; statuses, trends, numbers and counts remain, so the
picture's history (how an area moved) survives while what could point at people does not.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.retention import RetentionRule
from samverkan.situation.models import Answer, Event, PictureItem


def rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            key="situation.events",
            label=_("Händelserapporter"),
            years=5,
            queryset=Event.objects.all,
            date_field="occurred_at",
        ),
        RetentionRule(
            key="situation.answer_texts",
            label=_("Fritext och platser i lägesbildsrapporter"),
            years=5,
            queryset=Answer.objects.all,
            date_field="report__round__period_end",
            date_is_day=True,
            action="clear",
            clear=(("text", ""), ("places", [])),
            already_clear=lambda qs: qs.exclude(text="", places=[]),
        ),
        RetentionRule(
            key="situation.picture_texts",
            label=_("Fritext och händelser i fastställda lägesbilder"),
            years=5,
            queryset=lambda: PictureItem.objects.filter(
                kind__in=[PictureItem.Kind.TEXT, PictureItem.Kind.PLACES, PictureItem.Kind.EVENT]
            ),
            date_field="version__picture__round__period_end",
            date_is_day=True,
            action="clear",
            clear=(("text", ""), ("payload", {})),
            already_clear=lambda qs: qs.exclude(Q(text="") & Q(payload={})),
        ),
    ]

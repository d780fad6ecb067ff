"""Forms for groups and their members. They validate input; group_save and group_member_save decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, Group, GroupMember
from samverkan.core.conflicts import with_version
from samverkan.core.forms import ConfidentialityFields
from samverkan.core.models import Level, Organisation


def _confidentiality_initial(obj: Any) -> dict[str, Any]:
    return {"level": obj.level, "restricted_to": sorted(obj.restricted_roles)}


class GroupForm(ConfidentialityFields):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ av grupp"), choices=Group.Kind.choices)
    tier = forms.ChoiceField(
        label=_("Strategisk eller operativ"),
        choices=Group.Tier.choices,
        initial=Group.Tier.OPERATIV,
        widget=forms.RadioSelect,
        help_text=_("Den strategiska gruppen beslutar om inriktningen; den operativa gör arbetet."),
    )
    purpose = forms.CharField(
        label=_("Uppdrag"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    meetings_per_year = forms.IntegerField(
        label=_("Möten per år"),
        required=False,
        min_value=1,
        max_value=52,
        help_text=_("Till exempel 4 för ett möte per kvartal."),
    )
    rhythm_note = forms.CharField(
        label=_("Mötesrytm"),
        required=False,
        max_length=200,
        help_text=_("Till exempel: ett möte per kvartal."),
    )
    place = forms.CharField(
        label=_("Mötesplats"),
        required=False,
        max_length=200,
        help_text=_("Till exempel: polisstationen."),
    )
    reports_to = forms.ModelChoiceField(
        label=_("Rapporterar till"), queryset=Group.objects.none(), required=False
    )
    meets_around = forms.ModelChoiceField(
        label=_("Möts i anslutning till"),
        queryset=Group.objects.none(),
        required=False,
        help_text=_(
            "Till exempel den strategiska gruppen som den operativa gruppen förbereder och följer upp."
        ),
    )
    meets_around_relation = forms.ChoiceField(
        label=_("Möts före eller efter"),
        choices=[("", "–"), *Group.Relation.choices],
        required=False,
    )
    agreements = forms.ModelMultipleChoiceField(
        label=_("Överenskommelser"),
        queryset=Agreement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De överenskommelser som beskriver gruppen."),
    )
    is_active = forms.BooleanField(label=_("Gruppen är aktiv"), required=False, initial=True)

    field_order = [
        "name",
        "kind",
        "tier",
        "purpose",
        "meetings_per_year",
        "rhythm_note",
        "place",
        "reports_to",
        "meets_around",
        "meets_around_relation",
        "agreements",
        "is_active",
        "level",
        "restricted_to",
    ]

    def __init__(self, *args: Any, groups: Any, agreements: Any, **kwargs: Any):
        """``groups``: the other groups of the collaboration; ``agreements``: its agreements."""
        kwargs.setdefault("initial", {}).setdefault("level", Level.OPPEN)
        super().__init__(*args, **kwargs)
        self.fields["reports_to"].queryset = groups  # type: ignore[attr-defined]
        self.fields["meets_around"].queryset = groups  # type: ignore[attr-defined]
        self.fields["agreements"].queryset = agreements  # type: ignore[attr-defined]

    @classmethod
    def for_group(cls, group: Group | None, *, data: Any = None, **kwargs: Any) -> GroupForm:
        if group is None:
            return cls(data=data, **kwargs)
        initial = {
            "name": group.name,
            "kind": group.kind,
            "tier": group.tier,
            "purpose": group.purpose,
            "meetings_per_year": group.meetings_per_year,
            "rhythm_note": group.rhythm_note,
            "place": group.place,
            "reports_to": group.reports_to_id,
            "meets_around": group.meets_around_id,
            "meets_around_relation": group.meets_around_relation,
            "agreements": list(group.agreements.values_list("pk", flat=True)),
            "is_active": group.is_active,
            **_confidentiality_initial(group),
        }
        return with_version(cls(data=data, initial=initial, **kwargs), group)


class GroupMemberForm(ConfidentialityFields):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("En organisation som inte är aktör i samverkan kan bara delta som inbjuden."),
    )
    person_name = forms.CharField(
        label=_("Person"), required=False, max_length=200, help_text=_("Namn, om en viss person deltar.")
    )
    representing = forms.CharField(
        label=_("Företräder"),
        required=False,
        max_length=200,
        help_text=_("Till exempel ”Det lokala privata näringslivet” när ingen organisation är vald."),
    )
    standing = forms.ChoiceField(
        label=_("Deltagande"),
        choices=GroupMember.Standing.choices,
        initial=GroupMember.Standing.STANDIGT,
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label=_("Roll i gruppen"),
        choices=GroupMember.GroupRole.choices,
        initial=GroupMember.GroupRole.LEDAMOT,
    )

    field_order = [
        "organisation",
        "person_name",
        "representing",
        "standing",
        "role",
        "level",
        "restricted_to",
    ]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("level", Level.OPPEN)
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    @classmethod
    def for_member(cls, member: GroupMember | None, *, data: Any = None, **kwargs: Any) -> GroupMemberForm:
        if member is None:
            return cls(data=data, **kwargs)
        initial = {
            "organisation": member.organisation_id,
            "person_name": member.person.name if member.person else "",
            "representing": member.representing,
            "standing": member.standing,
            "role": member.role,
            **_confidentiality_initial(member),
        }
        return cls(data=data, initial=initial, **kwargs)

"""Forms for problems, scores, the triangle and causes. They validate input; the services decide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import FocusArea
from samverkan.analysis.models import Cause, CauseAnalysis, Evidence, Problem
from samverkan.analysis.models.problems import CRITERIA, SCORE_MAX
from samverkan.core.areas import area_choices
from samverkan.core.conflicts import with_version
from samverkan.core.forms import ConfidentialityFields, DateInput, DayField
from samverkan.core.models import Kommun
from samverkan.core.personaldata import PersonalDataCheck
from samverkan.indicators.models import Indicator

SCORE_CHOICES = [(str(n), str(n)) for n in range(SCORE_MAX + 1)]


def _levels_initial(row: Any) -> dict[str, Any]:
    return {"level": row.level, "restricted_to": sorted(row.restricted_roles)}


class ProblemForm(PersonalDataCheck, ConfidentialityFields):
    personal_data_fields = ("title", "description", "where", "when", "affected")
    title = forms.CharField(label=_("Problem"), max_length=200)
    description = forms.CharField(
        label=_("Vad händer"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    where = forms.CharField(label=_("Var"), required=False, max_length=300)
    when = forms.CharField(label=_("När"), required=False, max_length=300)
    affected = forms.CharField(label=_("Vilka drabbas"), required=False, max_length=300)
    area_code = forms.ChoiceField(label=_("Lägesbildsområde"), required=False)
    focus_area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Fokusområde"), queryset=FocusArea.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Problem.Status.choices, initial=Problem.Status.AKTIVT
    )

    field_order = [
        "title",
        "description",
        "where",
        "when",
        "affected",
        "area_code",
        "focus_area",
        "status",
        "level",
        "restricted_to",
        "acknowledge_personal_data",
    ]

    def __init__(self, *args: Any, focus_areas: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [("", "–"), *area_choices()]  # type: ignore[attr-defined]
        self.fields["focus_area"].queryset = focus_areas  # type: ignore[attr-defined]

    @classmethod
    def for_problem(cls, problem: Problem | None, *, data: Any = None, **kwargs: Any) -> ProblemForm:
        if problem is None:
            return cls(data=data, **kwargs)
        initial = {
            "title": problem.title,
            "description": problem.description,
            "where": problem.where,
            "when": problem.when,
            "affected": problem.affected,
            "area_code": problem.area_code,
            "focus_area": problem.focus_area_id,
            "status": problem.status,
            **_levels_initial(problem),
        }
        return with_version(cls(data=data, initial=initial, **kwargs), problem)


class ScoreForm(forms.Form):
    """Brå's eight criteria, each a 0–3 radio group with its help text; unanswered stays unscored."""

    scored_by = forms.CharField(label=_("Poängsatt av"), required=False, max_length=200)
    scored_on = DayField(label=_("Datum"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, label, help_text in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                help_text=help_text,
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    @classmethod
    def for_problem(cls, problem: Problem, *, data: Any = None) -> ScoreForm:
        initial: dict[str, Any] = {name: getattr(problem, name) for name, _l, _h in CRITERIA}
        initial.update(scored_by=problem.scored_by, scored_on=problem.scored_on)
        return with_version(cls(data=data, initial=initial), problem)

    def scores(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name, _l, _h in CRITERIA}


class TriangleForm(PersonalDataCheck, forms.Form):
    personal_data_fields = ("offender", "handler", "target", "guardian", "place", "manager", "hypothesis")

    def __init__(self, *args: Any, level: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The triangle is read at its problem's level: the personal-data rule follows it.
        self.personal_data_level = level  # type: ignore[misc]
        for name in self.personal_data_fields:
            model_field: Any = CauseAnalysis._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=str(model_field.verbose_name).capitalize(),
                help_text=model_field.help_text,
                required=False,
                max_length=model_field.max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields([*self.personal_data_fields, "acknowledge_personal_data"])

    @classmethod
    def for_analysis(cls, analysis: CauseAnalysis | None, *, level: str, data: Any = None) -> TriangleForm:
        if analysis is None:
            return cls(data=data, level=level)
        initial = {name: getattr(analysis, name) for name in cls.personal_data_fields}
        return with_version(cls(data=data, initial=initial, level=analysis.level), analysis)


class _ReadRowsIterator(ModelChoiceIterator):
    """The choices of a field given ``rows`` the page has read already: drawn without a second query
    (a submitted id is still looked up in the field's queryset)."""

    def __iter__(self) -> Iterator[Any]:
        rows = getattr(self.field, "rows", None)
        if rows is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in rows:
            yield self.choice(row)

    def __len__(self) -> int:
        rows = getattr(self.field, "rows", None)
        if rows is None:
            return super().__len__()
        return len(rows) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        rows = getattr(self.field, "rows", None)
        return super().__bool__() if rows is None else bool(rows) or self.field.empty_label is not None


class ReadRowsChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = _ReadRowsIterator
    rows: list[Any] | None = None


class CauseForm(PersonalDataCheck, forms.Form):
    personal_data_fields = ("text", "evidence_note")
    text = forms.CharField(label=_("Orsak"), max_length=500)
    bone = forms.ChoiceField(
        label=_("Del av triangeln"),
        choices=Cause.Bone.choices,
        initial=Cause.Bone.ANNAT,
        help_text=_("En orsak under en annan hamnar på samma ben som den."),
    )
    parent = ReadRowsChoiceField(
        label=_("Orsak till"),
        queryset=Cause.objects.none(),
        required=False,
        empty_label=_("– direkt orsak till problemet –"),
    )
    evidence_note = forms.CharField(
        label=_("Stöd för orsaken"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, parents: Any, level: str, parent_rows: list[Cause] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.personal_data_level = level  # type: ignore[misc]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].rows = parent_rows  # type: ignore[attr-defined]

    @classmethod
    def for_cause(cls, cause: Cause | None, *, data: Any = None, **kwargs: Any) -> CauseForm:
        if cause is None:
            return cls(data=data, **kwargs)
        initial = {
            "text": cause.text,
            "bone": cause.bone,
            "parent": cause.parent_id,
            "evidence_note": cause.evidence_note,
        }
        return with_version(cls(data=data, initial=initial, **kwargs), cause)


class EvidenceForm(PersonalDataCheck, forms.Form):
    personal_data_fields = ("label", "note")
    kind = forms.ChoiceField(
        label=_("Typ av underlag"),
        choices=[
            (Evidence.Kind.OVRIGT, Evidence.Kind.OVRIGT.label),
            (Evidence.Kind.INDIKATOR, Evidence.Kind.INDIKATOR.label),
        ],
    )
    indicator: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Indikator i statistiken"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("Krävs när underlaget är en indikator i statistiken."),
    )
    kommun: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=Kommun.objects.none(),
        required=False,
        help_text=_("Vilken av samverkans kommuner indikatorn gäller (valfritt)."),
    )
    label = forms.CharField(
        label=_("Underlag"),
        max_length=500,
        required=False,
        help_text=_("Tomt för en indikator: indikatorns namn."),
    )
    note = forms.CharField(
        label=_("Kommentar"), required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    cause = forms.ModelChoiceField(label=_("Stöd för orsak"), queryset=Cause.objects.none(), required=False)

    def __init__(
        self,
        *args: Any,
        causes: Any,
        level: str,
        indicators: Any = None,
        kommuner: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.personal_data_level = level  # type: ignore[misc]
        self.fields["cause"].queryset = causes  # type: ignore[attr-defined]
        if indicators is not None:
            self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        if kommuner is not None:
            self.fields["kommun"].queryset = kommuner  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("kind") == Evidence.Kind.INDIKATOR:
            indicator = cleaned.get("indicator")
            if indicator is None and "indicator" not in self.errors:
                self.add_error("indicator", _("Välj en indikator i statistiken."))
            elif indicator is not None and not (cleaned.get("label") or "").strip():
                cleaned["label"] = indicator.name[:500]
        else:
            # Other kinds point at no indicator; what the pickers held is not kept.
            cleaned["indicator"], cleaned["kommun"] = None, None
            if not (cleaned.get("label") or "").strip() and "label" not in self.errors:
                self.add_error("label", forms.Field.default_error_messages["required"])
        return cleaned

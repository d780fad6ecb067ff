"""Forms for rounds, reports, the schedule and template revisions. They validate; services decide and write."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from html import escape as escape_text  # Django's escape less its lazy-string check, for plain text
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import EditConflict, VersionField
from samverkan.core.formrender import bound_html, option_tag
from samverkan.core.forms import DateInput, DayField
from samverkan.core.models import Level, Organisation
from samverkan.core.personaldata import (
    ACKNOWLEDGE_LABEL,
    IDENTITY_KINDS,
    Finding,
    check_free_text,
    warned_fields,
)
from samverkan.core.shipped import shipped
from samverkan.situation.models import (
    STATUS_MEANING,
    Answer,
    Question,
    Round,
    Section,
    StatusLevel,
    Template,
    Trend,
)


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline given as a date means the end of that day, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{shipped(obj.name)} (version {obj.version})"


class RoundCreateForm(forms.Form):
    template = TemplateChoiceField(label=_("Mall"), queryset=Template.objects.none(), empty_label=None)
    period = forms.ChoiceField(label=_("Period"), choices=Round.Period.choices, initial=Round.Period.MONTH)
    period_start = DayField(
        label=_("Periodens början"),
        widget=DateInput(),
        help_text=_("En månad, ett kvartal eller ett tertial börjar den 1:a; en vecka på en måndag."),
    )
    deadline = DayField(
        label=_("Sista dag att rapportera"),
        required=False,
        widget=DateInput(),
        help_text=_("Lämna tomt för fem dagar efter periodens slut."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Tillfrågade organisationer"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, templates: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisations"].initial = [o.pk for o in organisations]
        self.fields["period_start"].initial = timezone.localdate().replace(day=1)

    def clean_deadline(self) -> dt.datetime | None:
        day = self.cleaned_data.get("deadline")
        return end_of_day(day) if day else None


class DeadlineForm(forms.Form):
    deadline = DayField(label=_("Ny sista dag"), widget=DateInput())

    def clean_deadline(self) -> dt.datetime:
        return end_of_day(self.cleaned_data["deadline"])


class ReportStartForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Rapportera för"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


# One radio option of a status or trend question, whitespace included as the page always had it.
_CHOICE = (
    '\n            <div class="choice choice--{}">\n              {}\n              <label for="{}">{}<strong>{}</strong>{}'
    "</label>\n            </div>\n          "
)
_SWATCH = '<span class="swatch swatch--{}" aria-hidden="true"></span>'
_MEANING = ' <span class="meaning">{}</span>'
# The frame of each option around its radio and id, per (language, question kind, value).
_CHOICE_PARTS: dict[tuple[Any, ...], tuple[str, list[str]]] = {}
_CHOICE_PARTS_MAX = 512


@dataclass
class QuestionRow:
    question: Question
    field: Any = None  # the bound answer field; None when the answer is begränsad and not readable
    level: Any = None
    options: list[tuple[Any, Any]] = dataclasses.field(
        default_factory=list
    )  # (radio, meaning) for status/trend
    conflict: EditConflict | None = None  # someone else saved this answer meanwhile
    acknowledge: Any = None  # the answer's own personal-data tick box (text answers)
    show_acknowledge: bool = False  # shown beside the answer it concerns, once asked for

    @property
    def choices_html(self) -> str:
        """The radio options with their labels (and, for a status, its swatch and meaning), built once
        in Python: a template loop here cost ~10 lookups per option, 48 options a form. What does not
        change between pages (the option's frame, label and meaning, which the question's kind and the
        option's value decide: ``layout``) is made once per language."""
        status = self.question.kind == Question.Kind.STATUS
        language = get_language()
        html = []
        for radio, meaning in self.options:
            value, label = radio.data["value"], radio.data["label"]
            key = (language, self.question.kind, value)
            parts = _CHOICE_PARTS.get(key)
            if parts is None:
                before, after = str(
                    format_html(
                        _CHOICE,
                        value,
                        mark_safe("\0"),
                        mark_safe("\0"),
                        format_html(_SWATCH, value) if status else "",
                        label,
                        format_html(_MEANING, meaning) if meaning else "",
                    )
                ).split("\0", 1)
                parts = (before, after.split("\0", 1))
                if len(_CHOICE_PARTS) < _CHOICE_PARTS_MAX:
                    _CHOICE_PARTS[key] = parts
            before, (middle, after) = parts
            html.append(f"{before}{option_tag(radio)}{middle}{escape_text(radio.id_for_label)}{after}")
        return mark_safe("".join(html))  # noqa: S308 - the frame built by format_html, the rest escaped


class TranslatedChoices(BaseChoiceIterator):
    """(value, label) pairs with the labels already translated: a ``ChoiceField`` and its widget take a
    ``BaseChoiceIterator`` as it is, where a list is normalised twice per field and each lazy label
    translated again wherever it is shown (a report form has ~30 choice fields)."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.choices = choices

    def __iter__(self) -> Any:
        return iter(self.choices)


_TRANSLATED_CHOICES: dict[tuple[str, str], TranslatedChoices] = {}


def translated_choices(name: str, choices: Any) -> TranslatedChoices:
    """``choices`` (a model's choices, lazy labels) in the active language, made once per name and
    language (``name`` tells the lists apart)."""
    key = (name, get_language() or "")
    found = _TRANSLATED_CHOICES.get(key)
    if found is None:
        found = TranslatedChoices([(value, str(label)) for value, label in choices])
        if len(_TRANSLATED_CHOICES) < _CHOICE_PARTS_MAX:
            _TRANSLATED_CHOICES[key] = found
    return found


@dataclass
class SectionRows:
    section: Section
    rows: list[QuestionRow]


# The kinds of question whose answer is free text (checked for personal data).
FREE_TEXT_KINDS = (Question.Kind.TEXT, Question.Kind.PLACES)
# Every field of one answer, after its ``q<id>``: an error on any of them holds back that answer only.
ANSWER_PARTS = ("", "_level", "_version", "_shown", "_ack")


class ReportForm(forms.Form):
    """One field per question (``q<id>``, so services' errors land on it) and a level per answer.

    Each answer stands on its own: one refused answer (personal data, a value outside the scale) is
    marked where it is while the others save (``answers_for_service`` leaves it out). A free-text
    answer has its own tick box (``q<id>_ack``) for the phone numbers and e-mail it may hold at intern
    and begränsad, shown beside it as soon as it is asked for.
    """

    LEVEL_CHOICES = Level.choices  # short, for narrow screens; the form explains the levels once

    def __init__(
        self,
        *args: Any,
        sections: list[Section],
        answers: dict[int, Answer],
        hidden: set[int],
        default_level: str,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.hidden = hidden
        self.answers = answers
        self.questions: list[Question] = []
        for section in sections:
            for question in section.questions.all():
                if question.pk in hidden:
                    continue
                self.questions.append(question)
                answer = answers.get(question.pk)
                name = f"q{question.pk}"
                self.fields[name] = self._answer_field(question, answer)
                self.fields[f"{name}_level"] = forms.ChoiceField(
                    label=_("Sekretessnivå för svaret"),
                    choices=translated_choices("level", self.LEVEL_CHOICES),
                    initial=answer.level if answer else default_level,
                )
                # The answer's version this page started from (0: none yet), and the version whose text
                # an autosave conflict has shown beside this answer (see answers_for_service).
                self.fields[f"{name}_version"] = VersionField(initial=answer.version if answer else 0)
                self.fields[f"{name}_shown"] = VersionField()
                if question.kind in FREE_TEXT_KINDS:
                    self.fields[f"{name}_ack"] = forms.BooleanField(label=ACKNOWLEDGE_LABEL, required=False)
        self.personal_data_findings: dict[str, list[Finding]] = {}
        # The answers a save left as they were (refused by the form or the service), set by the view.
        self.held_back: set[int] = set()

    @staticmethod
    def _answer_field(question: Question, answer: Answer | None) -> forms.Field:
        # The shipped template's questions in the reader's language; a collaboration's own as written.
        help_text = shipped(question.help_text)
        common: dict[str, Any] = {"label": shipped(question.text), "required": False, "help_text": help_text}
        if question.kind == Question.Kind.STATUS:
            return forms.ChoiceField(
                choices=translated_choices("status", StatusLevel.choices),
                widget=forms.RadioSelect,
                initial=answer.status if answer else None,
                **common,
            )
        if question.kind == Question.Kind.TREND:
            return forms.ChoiceField(
                choices=translated_choices("trend", Trend.choices),
                widget=forms.RadioSelect,
                initial=answer.trend if answer else None,
                **common,
            )
        if question.kind == Question.Kind.NUMBER:
            return forms.IntegerField(min_value=0, initial=answer.number if answer else None, **common)
        if question.kind == Question.Kind.PLACES:
            names = ", ".join(p.get("name", "") for p in answer.places) if answer else ""
            common["help_text"] = " ".join(
                filter(None, [help_text, str(_("Skilj flera platser åt med kommatecken."))])
            )
            widget = forms.TextInput(attrs={"list": "place-names", "autocomplete": "off"})
            return forms.CharField(max_length=2_000, initial=names, widget=widget, **common)
        return forms.CharField(
            max_length=5_000,
            widget=forms.Textarea(attrs={"rows": 4}),
            initial=answer.text if answer else "",
            **common,
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or self.cleaned_data
        for question in self.questions:
            name = f"q{question.pk}"
            level = cleaned.get(f"{name}_level")
            if level and question.kind in FREE_TEXT_KINDS:
                self.personal_data_findings.update(
                    check_free_text(
                        self,
                        [name],
                        level=level,
                        acknowledged={name} if cleaned.get(f"{name}_ack") else (),
                        # What the saved answer holds was confirmed when it was saved.
                        saved={name: self.fields[name].initial},
                    )
                )
        return cleaned

    def refused_questions(self) -> set[int]:
        """The questions whose answer is held back by an error on one of its fields."""
        return {q.pk for q in self.questions if any(f"q{q.pk}{part}" in self.errors for part in ANSWER_PARTS)}

    def shows_acknowledgement(self, question: Question) -> bool:
        """Whether the answer's tick box is shown: it is asked for, or it is ticked for what it confirms."""
        name = f"q{question.pk}"
        if f"{name}_ack" not in self.fields or not self.is_bound:
            return False
        if name in warned_fields(self):
            return True
        found = self.personal_data_findings.get(name, [])
        return bool(self[f"{name}_ack"].value()) and any(f.kind not in IDENTITY_KINDS for f in found)

    def layout(self, conflicts: dict[str, dict[str, Any]] | None = None) -> list[SectionRows]:
        """Sections with their questions' bound fields (and edit conflicts, by ``q<id>``), for the template."""
        by_section: list[SectionRows] = []
        for section in self.sections:
            rows = []
            for question in section.questions.all():
                if question.pk in self.hidden:
                    rows.append(QuestionRow(question))
                    continue
                bound = self[f"q{question.pk}"]
                row = QuestionRow(question, bound, self[f"q{question.pk}_level"])
                row.conflict = (conflicts or {}).get(f"q{question.pk}", {}).get("conflict")
                if f"q{question.pk}_ack" in self.fields:
                    row.acknowledge = self[f"q{question.pk}_ack"]
                    row.show_acknowledge = self.shows_acknowledgement(question)
                if question.kind == Question.Kind.STATUS:
                    row.options = [(radio, STATUS_MEANING[radio.data["value"]]) for radio in bound]
                elif question.kind == Question.Kind.TREND:
                    row.options = [(radio, "") for radio in bound]
                rows.append(row)
            by_section.append(SectionRows(section, rows))
        return by_section

    def version_fields(self) -> list[Any]:
        """The hidden version fields of every answer (one block on the page, refreshed after a save)."""
        return [self[f"q{q.pk}_{kind}"] for q in self.questions for kind in ("version", "shown")]

    def version_fields_html(self) -> str:
        """The markup of ``version_fields``, one after the other."""
        return mark_safe("".join(bound_html(field) for field in self.version_fields()))  # noqa: S308

    def take_versions(
        self, answers: dict[int, Answer], conflicts: list[EditConflict], *, deliberate: bool
    ) -> None:
        """After a save, point each answer's hidden version at what is saved now, so the writer's next
        save does not conflict with their own.

        An answer left in conflict keeps the version it was edited from. After an autosave (not
        ``deliberate``) the conflict's saved version goes to ``_shown`` only: typing on elsewhere must not
        overwrite the other text, but "Spara utkast" once the writer has seen both texts does. A
        deliberate save puts it in the version itself (``core.conflicts.conflict_context``).
        """
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        stale = {c.key: c for c in conflicts}
        for question in self.questions:
            name = f"q{question.pk}"
            conflict = stale.get(name)
            if conflict is None:
                answer = answers.get(question.pk)
                data[f"{name}_version"] = str(answer.version if answer else 0)
                data[f"{name}_shown"] = ""
            else:
                data[f"{name}_shown"] = "" if deliberate else str(conflict.saved_version)
        self.data = data

    def answers_for_service(
        self, *, begransad_roles: list[str], deliberate: bool
    ) -> dict[int, dict[str, Any]]:
        """What ``report_save`` takes: question id → values, level, (for begränsad) roles and version,
        for every answer the form did not refuse.

        A ``deliberate`` save ("Spara utkast", "Skicka in") of an answer whose conflict the writer has been
        shown is made from the version shown; an autosave always from the version the page holds.
        """
        data: dict[int, dict[str, Any]] = {}
        refused = self.refused_questions()
        for question in self.questions:
            if question.pk in refused:
                continue  # marked on the page; the saved answer stays as it was
            name = f"q{question.pk}"
            value = self.cleaned_data.get(name)
            level = self.cleaned_data[f"{name}_level"]
            existing = self.answers.get(question.pk)
            shown = self.cleaned_data.get(f"{name}_shown")
            version = shown if deliberate and shown is not None else self.cleaned_data.get(f"{name}_version")
            answer: dict[str, Any] = {
                "level": level,
                "text": existing.text if existing else "",
                "version": version,
            }
            if level == Level.BEGRANSAD:
                keep = existing is not None and existing.level == Level.BEGRANSAD
                answer["restricted_to"] = (
                    sorted(existing.restricted_roles) if existing and keep else begransad_roles
                )
            if question.kind == Question.Kind.STATUS:
                answer["status"] = value or ""
            elif question.kind == Question.Kind.TREND:
                answer["trend"] = value or ""
            elif question.kind == Question.Kind.NUMBER:
                answer["number"] = value
            elif question.kind == Question.Kind.PLACES:
                names = [n.strip() for n in (value or "").replace("\n", ",").split(",")]
                answer["places"] = [n for n in dict.fromkeys(names) if n]
            else:
                answer["text"] = value or ""
            data[question.pk] = answer
        return data


class ScheduleForm(forms.Form):
    template = TemplateChoiceField(label=_("Mall"), queryset=Template.objects.none(), empty_label=None)
    period = forms.ChoiceField(label=_("Rytm"), choices=Round.Period.choices, initial=Round.Period.MONTH)
    deadline_days = forms.IntegerField(
        label=_("Dagar efter periodens slut till sista dag"), min_value=0, max_value=60, initial=5
    )
    remind_days_before = forms.IntegerField(
        label=_("Påminn så många dagar före sista dag"),
        min_value=0,
        max_value=30,
        initial=3,
        help_text=_("En påminnelse skickas också på sista dagen till dem som inte har skickat in."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Tillfrågade organisationer"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj ingen för att fråga alla aktörer i samverkan."),
    )
    active = forms.BooleanField(label=_("Öppna omgångar automatiskt"), required=False, initial=True)

    def __init__(self, *args: Any, templates: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = organisations  # type: ignore[attr-defined]


class TemplateReviseForm(forms.Form):
    """Edit section titles and descriptions, question texts, help and required; add a question per section."""

    def __init__(self, *args: Any, sections: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.spec = sections
        self.groups: list[dict[str, Any]] = []
        for s, section in enumerate(sections):
            prefix = f"s{s}"
            self.fields[f"{prefix}_title"] = forms.CharField(
                label=_("Områdets rubrik"), max_length=200, initial=section["title"]
            )
            self.fields[f"{prefix}_description"] = forms.CharField(
                label=_("Beskrivning av området"),
                max_length=2_000,
                required=False,
                initial=section["description"],
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            questions = []
            for q, question in enumerate(section["questions"]):
                qp = f"{prefix}_q{q}"
                self.fields[f"{qp}_text"] = forms.CharField(
                    label=_("Fråga %(n)s (%(kind)s)")
                    % {"n": q + 1, "kind": Question.Kind(question["kind"]).label.lower()},
                    max_length=500,
                    initial=question["text"],
                )
                self.fields[f"{qp}_help"] = forms.CharField(
                    label=_("Hjälptext till fråga %(n)s") % {"n": q + 1},
                    max_length=500,
                    required=False,
                    initial=question["help_text"],
                )
                self.fields[f"{qp}_required"] = forms.BooleanField(
                    label=_("Fråga %(n)s är obligatorisk") % {"n": q + 1},
                    required=False,
                    initial=question["required"],
                )
                questions.append([f"{qp}_text", f"{qp}_help", f"{qp}_required"])
            self.fields[f"{prefix}_new_text"] = forms.CharField(
                label=_("Ny fråga i området (valfritt)"), max_length=500, required=False
            )
            self.fields[f"{prefix}_new_kind"] = forms.ChoiceField(
                label=_("Typ av ny fråga"), choices=Question.Kind.choices, initial=Question.Kind.TEXT
            )
            self.groups.append(
                {
                    "prefix": prefix,
                    "head": [f"{prefix}_title", f"{prefix}_description"],
                    "questions": questions,
                    "new": [f"{prefix}_new_text", f"{prefix}_new_kind"],
                }
            )

    def bound_groups(self) -> list[dict[str, Any]]:
        return [
            {
                "title": self[group["head"][0]].value(),
                "head": [self[name] for name in group["head"]],
                "questions": [[self[name] for name in q] for q in group["questions"]],
                "new": [self[name] for name in group["new"]],
            }
            for group in self.groups
        ]

    def revised_sections(self) -> list[dict[str, Any]]:
        """The template's content with the edits applied, in the shape ``template_revise`` takes."""
        data = self.cleaned_data
        revised = []
        for s, section in enumerate(self.spec):
            prefix = f"s{s}"
            questions = [
                {
                    "kind": question["kind"],
                    "text": data[f"{prefix}_q{q}_text"],
                    "help_text": data[f"{prefix}_q{q}_help"],
                    "required": data[f"{prefix}_q{q}_required"],
                }
                for q, question in enumerate(section["questions"])
            ]
            if data.get(f"{prefix}_new_text", "").strip():
                questions.append(
                    {
                        "kind": data[f"{prefix}_new_kind"],
                        "text": data[f"{prefix}_new_text"],
                        "help_text": "",
                        "required": False,
                    }
                )
            revised.append(
                {
                    **section,
                    "title": data[f"{prefix}_title"],
                    "description": data[f"{prefix}_description"],
                    "questions": questions,
                }
            )
        return revised

"""Prioritised problems (prioriterade problem), their evidence and their scores on Brå's criteria."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent

# Brå's prioritisation: how serious the problem is, weighed against what the group can do about it. Every
# criterion is scored 0–3 by the group so that a higher score always means "take this one first" (so for
# cost the score is how *affordable* acting is); the rank is the sum, and every score stays visible.
SEVERITY_CRITERIA: tuple[tuple[str, Any, Any], ...] = (
    ("score_frequency", _("Hur vanligt"), _("Hur ofta problemet förekommer.")),
    (
        "score_trend",
        _("Ökar eller avviker"),
        _("Problemet ökar, eller är vanligare här än i jämförbara områden."),
    ),
    (
        "score_signal",
        _("Signalbrott"),
        _("Problemet signalerar otrygghet och påverkar många fler än de drabbade."),
    ),
    ("score_affected", _("Hur många drabbas"), _("Hur många människor problemet berör.")),
    (
        "score_consequences",
        _("Konsekvenser"),
        _("Hur allvarliga följderna är för de drabbade och för orten."),
    ),
)
FEASIBILITY_CRITERIA: tuple[tuple[str, Any, Any], ...] = (
    ("score_resources", _("Resurser finns"), _("Parterna har folk och tid att arbeta med problemet.")),
    ("score_influence", _("Möjlighet att påverka"), _("Parterna kan påverka orsakerna med egna åtgärder.")),
    ("score_cost", _("Rimlig kostnad"), _("Åtgärderna går att bekosta (3 = låg kostnad).")),
)
CRITERIA = SEVERITY_CRITERIA + FEASIBILITY_CRITERIA
SCORE_MAX = 3
# The parts of an agreed joint picture a problem can be raised from: a cell (an organisation's status and
# trend in an area), its free text, or the area's summary (situation.PictureItem.Kind values).
RAISABLE_PICTURE_KINDS = ("cell", "text", "summary")


def _score_field(label: Any, help_text: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True, help_text=help_text)


class Problem(ConfidentialContent, VersionedContent):
    """A problem the group has chosen to work on, tied to the evidence that showed it."""

    class Status(models.TextChoices):
        AKTIVT = "aktivt", _("Aktivt")
        AVSLUTAT = "avslutat", _("Avslutat")
        AVFARDAT = "avfardat", _("Prioriteras inte")

    class Origin(models.TextChoices):
        DIREKT = "direkt", _("Inmatat direkt")
        CELL = "cell", _("Från en ruta i den gemensamma lägesbilden")
        SAMMANFATTNING = "sammanfattning", _("Från en områdessammanfattning")
        SIGNAL = "signal", _("Från en signal i statistiken")

    focus_area = models.ForeignKey(
        "agreements.FocusArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("fokusområde"),
    )
    # One of core.areas' codes (validated by the service; forms offer area_choices()).
    area_code = models.SlugField(_("lägesbildsområde"), max_length=40, blank=True)
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("vad händer"), blank=True, max_length=5_000)
    where = models.CharField(_("var"), max_length=300, blank=True)
    when = models.CharField(_("när"), max_length=300, blank=True)
    affected = models.CharField(_("vilka drabbas"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIVT)
    origin = models.CharField(_("ursprung"), max_length=16, choices=Origin.choices, default=Origin.DIREKT)
    # The agreed version the problem was raised from (the evidence rows name the exact parts).
    picture_version = models.ForeignKey(
        "situation.PictureVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lägesbild"),
    )
    score_frequency = _score_field(*SEVERITY_CRITERIA[0][1:])
    score_trend = _score_field(*SEVERITY_CRITERIA[1][1:])
    score_signal = _score_field(*SEVERITY_CRITERIA[2][1:])
    score_affected = _score_field(*SEVERITY_CRITERIA[3][1:])
    score_consequences = _score_field(*SEVERITY_CRITERIA[4][1:])
    score_resources = _score_field(*FEASIBILITY_CRITERIA[0][1:])
    score_influence = _score_field(*FEASIBILITY_CRITERIA[1][1:])
    score_cost = _score_field(*FEASIBILITY_CRITERIA[2][1:])
    scored_on = models.DateField(_("poängsatt"), null=True, blank=True)
    scored_by = models.CharField(
        _("poängsatt av"), max_length=200, blank=True, help_text=_("Till exempel ”REK-gruppen”.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "where",
        "when",
        "affected",
        "scored_by",
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problem")
        indexes = [models.Index(fields=["collaboration", "status"], name="problem_collab_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def scores(self) -> list[int | None]:
        return [getattr(self, name) for name, _label, _help in CRITERIA]

    @property
    def is_scored(self) -> bool:
        return all(score is not None for score in self.scores)

    @property
    def severity(self) -> int:
        return sum(getattr(self, name) or 0 for name, _l, _h in SEVERITY_CRITERIA)

    @property
    def feasibility(self) -> int:
        return sum(getattr(self, name) or 0 for name, _l, _h in FEASIBILITY_CRITERIA)

    @property
    def priority(self) -> int:
        """The rank's key: severity and feasibility together (higher first)."""
        return self.severity + self.feasibility


class Evidence(ConfidentialContent):
    """A link from a problem (or one of its causes) to what shows it.

    The link carries at least the level of what it points to (services set it), so whoever reads the
    link may read its source; the source is still read through the visibility rule when shown.
    """

    class Kind(models.TextChoices):
        BILDDEL = "bilddel", _("Del av fastställd lägesbild")
        SVAR = "svar", _("Svar i en lägesbildsrapport")
        HANDELSE = "handelse", _("Händelse")
        INDIKATOR = "indikator", _("Indikator i statistiken")
        SIGNAL = "signal", _("Signal i statistiken")
        OVRIGT = "ovrigt", _("Övrigt underlag")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    cause = models.ForeignKey(
        "analysis.Cause", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(_("typ av underlag"), max_length=10, choices=Kind.choices)
    picture_item = models.ForeignKey(
        "situation.PictureItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.ForeignKey(
        "situation.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "situation.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kommun = models.ForeignKey(
        "core.Kommun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the link showed when it was made: a signal is computed, not stored, and a source may go away.
    label = models.CharField(_("underlag"), max_length=500)
    note = models.TextField(_("kommentar"), blank=True, max_length=2_000)
    created_at = models.DateTimeField(auto_now_add=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("label", "note")

    class Meta:
        ordering = ["id"]
        verbose_name = _("underlag")
        verbose_name_plural = _("underlag")

    def __str__(self) -> str:
        return self.label

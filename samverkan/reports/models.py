"""The yearly evaluation (årlig utvärdering): one per collaboration and year, kept as numbered versions.

A version is a draft (utkast) until the group approves it (godkänd); an approved version is locked for
good: editing the evaluation afterwards starts a new draft version, so the approved text never changes.
The facts (what the system held for the year) are a JSON snapshot stored with each version, each row
carrying the level of what it was built from, so the approved document reads the same when data changes
and every output filters it through the one visibility rule (``reports.selectors``).
The public version is released by a second person after approval, like the minutes' public version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import DEFAULT_RESTRICTED_TO, Level, TenantManager

# The narrative sections a samordnare writes; each has its own level (a summary may be öppen while the
# assessment of police work stays intern).
SECTIONS = ("summary", "assessment", "proposals")


class Evaluation(models.Model):
    collaboration = models.ForeignKey(
        "core.Collaboration", on_delete=models.CASCADE, related_name="+", verbose_name=_("samverkan")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("årlig utvärdering")
        verbose_name_plural = _("årliga utvärderingar")
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "year"], name="evaluation_one_per_year")
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def title(self) -> str:
        return str(_("Årlig utvärdering %(year)s")) % {"year": self.year}


class EvaluationVersion(VersionedContent):
    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        GODKAND = "godkand", _("Godkänd")

    collaboration = models.ForeignKey("core.Collaboration", on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.UTKAST)
    facts = models.JSONField(_("fakta"), default=dict)
    generated_at = models.DateTimeField(_("fakta hämtade"))
    summary = models.TextField(_("sammanfattning"), blank=True, max_length=10_000)
    summary_level = models.CharField(max_length=10, choices=Level.choices, default=Level.INTERN)
    assessment = models.TextField(_("bedömning"), blank=True, max_length=10_000)
    assessment_level = models.CharField(max_length=10, choices=Level.choices, default=Level.INTERN)
    proposals = models.TextField(_("förslag till nästa år"), blank=True, max_length=10_000)
    proposals_level = models.CharField(max_length=10, choices=Level.choices, default=Level.INTERN)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    # Where the group approved it: a meeting of the collaboration and its decision's number, when recorded.
    approved_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänd vid möte"),
    )
    approved_decision = models.CharField(_("beslut"), max_length=40, blank=True)
    # SHA-256 of the approved content (facts and sections): printed on the PDF so a copy can be checked.
    content_sha256 = models.CharField(max_length=64, blank=True)
    public_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_released_at = models.DateTimeField(_("offentlig version frisläppt"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        ordering = ["evaluation", "-number"]
        verbose_name = _("version av utvärdering")
        verbose_name_plural = _("versioner av utvärdering")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="evaluation_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} v{self.number}"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.GODKAND

    def section_level(self, name: str) -> str:
        return str(getattr(self, f"{name}_level"))

    @property
    def section_roles(self) -> str:
        """Begränsad sections are read by the default roles (polis and samordnare)."""
        return DEFAULT_RESTRICTED_TO

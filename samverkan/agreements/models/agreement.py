"""The samverkansöverenskommelse: one period of a collaboration's work."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent, Kommun, Level, Organisation, PoliceArea


class Agreement(ConfidentialContent, VersionedContent):
    """An agreement between kommuner and police areas (and others) for a period.

    Its text is normally public (level öppen); parts that are not (fact sources, focus areas, …) carry
    their own level, so the public version is derived by the same visibility rule.
    """

    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        GALLANDE = "gallande", _("Gällande")
        AVSLUTAD = "avslutad", _("Avslutad")
        ERSATT = "ersatt", _("Ersatt")

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    title = models.CharField(_("titel"), max_length=200)
    start_date = models.DateField(_("gäller från"))
    end_date = models.DateField(_("gäller till"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UTKAST)
    purpose = models.TextField(_("syfte"), blank=True, max_length=10_000)
    effects_sought = models.TextField(
        _("effekter som eftersträvas"), blank=True, max_length=10_000, help_text=_("En effekt per rad.")
    )
    communication_plan = models.TextField(
        _("kommunikationsplan"),
        blank=True,
        max_length=10_000,
        help_text=_("Var och hur överenskommelsen och protokollen publiceras."),
    )
    followup_rhythm = models.CharField(
        _("uppföljningens rytm"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel: vid varje möte och årligen."),
    )
    followup_reporting = models.TextField(
        _("återrapportering"),
        blank=True,
        max_length=5_000,
        help_text=_("Vem som rapporterar till vem, till exempel årlig utvärdering till kommunstyrelsen."),
    )
    evaluation_month = models.PositiveSmallIntegerField(
        _("månad för årlig utvärdering"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Utvärderingen av föregående arbetsår, 1 = januari."),
    )
    signed_place = models.CharField(_("undertecknad i (ort)"), max_length=100, blank=True)
    kommuner = models.ManyToManyField(Kommun, related_name="agreements", verbose_name=_("kommuner"))
    police_areas = models.ManyToManyField(
        PoliceArea, related_name="agreements", blank=True, verbose_name=_("polisområden")
    )
    other_parties = models.ManyToManyField(
        Organisation,
        related_name="agreements_as_party",
        blank=True,
        verbose_name=_("övriga parter"),
        help_text=_("Till exempel Region eller Länsstyrelse."),
    )
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("föregående överenskommelse"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "purpose",
        "effects_sought",
        "communication_plan",
        "followup_rhythm",
        "followup_reporting",
        "signed_place",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="agreement_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["collaboration", "status"], name="agreement_collab_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.UTKAST, self.Status.GALLANDE)


class FactSource(ConfidentialContent):
    """Where the facts for the situation picture come from, and how often."""

    class Kind(models.TextChoices):
        POLISSTATISTIK = "polisstatistik", _("Polisens statistik")
        UNDERRATTELSER = "underrattelser", _("Polisens underrättelseinformation")
        AKTORERNAS_BILD = "aktorernas_bild", _("Aktörernas beskrivning av läget")
        MEDBORGARENKAT = "medborgarenkat", _("Medborgarenkät / trygghetsmätning")
        ANDT_ARSKURS9 = "andt_ak9", _("ANDT-kartläggning årskurs 9")
        LUPP = "lupp", _("Lupp (lokal uppföljning av ungdomspolitiken)")
        FALTRAPPORTER = "faltrapporter", _("Fältrapporter")
        DIALOGER = "dialoger", _("Medborgar- och medarbetardialoger")
        KOMMUNAL_STATISTIK = "kommunal_statistik", _("Kommunens egen statistik")
        ANNAN = "annan", _("Annan")

    class Rhythm(models.TextChoices):
        VARJE_MOTE = "varje_mote", _("Vid varje möte")
        MANADSVIS = "manadsvis", _("Varje månad")
        KVARTALSVIS = "kvartalsvis", _("Varje kvartal")
        TERTIALVIS = "tertialvis", _("Varje tertial")
        ARLIGEN = "arligen", _("En gång per år")
        LOPANDE = "lopande", _("Löpande")

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="fact_sources")
    kind = models.CharField(_("källa"), max_length=30, choices=Kind.choices)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    rhythm = models.CharField(_("hur ofta"), max_length=20, choices=Rhythm.choices)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("levereras av"),
    )
    month = models.PositiveSmallIntegerField(
        _("månad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("För årliga källor: vilken månad (1–12) de kommer, så att de syns i årshjulet."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    public_text_fields: ClassVar[tuple[str, ...]] = ("description",)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("faktakälla")
        verbose_name_plural = _("faktakällor")

    def __str__(self) -> str:
        return self.description or self.get_kind_display()


class Signatory(ConfidentialContent):
    """Someone who signed the agreement for a party."""

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("befattning"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part"),
    )
    organisation_name = models.CharField(
        _("part (fritext)"), max_length=200, blank=True, help_text=_("Om parten inte finns som organisation.")
    )
    signed_on = models.DateField(_("undertecknad"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    # The signature block publishes these. A signatory's name and title are rightly public (officials
    # signing for a party); a personnummer, phone number or e-mail address typed beside them is not.
    public_text_fields: ClassVar[tuple[str, ...]] = ("name", "title", "organisation_name")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("undertecknare")
        verbose_name_plural = _("undertecknare")

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"

    @property
    def party_name(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name


__all__ = ["Agreement", "FactSource", "Signatory"]

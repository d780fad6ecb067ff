"""Organisations (aktörer) and the people who work in them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import Kommun, PoliceArea


class Organisation(models.Model):
    """An actor that takes part in crime prevention: a municipal department, the police, a church…"""

    class Kind(models.TextChoices):
        KOMMUNAL_FORVALTNING = "kommunal_forvaltning", _("Kommunal förvaltning")
        POLIS = "polis", _("Polis")
        REGION = "region", _("Region")
        LANSSTYRELSE = "lansstyrelse", _("Länsstyrelse")
        RADDNINGSTJANST = "raddningstjanst", _("Räddningstjänst")
        BOSTADSBOLAG = "bostadsbolag", _("Bostadsbolag")
        FORENING = "forening", _("Förening")
        NARINGSLIV = "naringsliv", _("Näringsliv")
        KYRKA = "kyrka", _("Kyrka")
        ANNAN = "annan", _("Annan")

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av aktör"), max_length=30, choices=Kind.choices)
    home_kommun = models.ForeignKey(
        Kommun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("hemkommun"),
    )
    police_area = models.ForeignKey(
        PoliceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("polisområde"),
        help_text=_("För polisens organisationer: vilket lokalpolisområde."),
    )
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Organisations carry no level: their names are published wherever they take part (the parties of
    # an agreement, a group's members), so the writing kit always guards them (core/content.py).
    public_text_fields: ClassVar[tuple[str, ...]] = ("name",)
    private_text_fields: ClassVar[dict[str, str]] = {
        # An enskild firma's number is its owner's personnummer; it is never published.
        "org_number": "the organisationsnummer is a register key, never published",
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.UniqueConstraint(fields=["name", "home_kommun"], name="organisation_unique_name_in_kommun")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A person in the work; may have a login (user) and belong to several organisations."""

    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("användarkonto"),
    )
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", related_name="people", verbose_name=_("organisationer")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    """A person's place in an organisation (title)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")
    title = models.CharField(_("befattning"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("anknytning")
        verbose_name_plural = _("anknytningar")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="affiliation_unique_person_org")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"

"""The tenant: a collaboration (samverkan) and the memberships that give users access to it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .places import Kommun, Lan, PoliceArea


class Role(models.TextChoices):
    """A member's role in one collaboration; permissions are predicates over these (permissions.py)."""

    SAMORDNARE = "samordnare", _("Samordnare")
    POLIS = "polis", _("Polis")
    LEDAMOT = "ledamot", _("Ledamot")
    LASARE = "lasare", _("Läsare")


def encode_roles(roles: object) -> str:
    """Canonical text form of a set of roles: sorted codes joined by commas."""
    valid = {choice.value for choice in Role}
    codes = sorted({str(r) for r in roles})  # type: ignore[attr-defined]
    unknown = [c for c in codes if c not in valid]
    if unknown:
        raise ValueError(f"Okänd roll: {', '.join(unknown)}")
    return ",".join(codes)


def decode_roles(text: str) -> frozenset[str]:
    return frozenset(code for code in text.split(",") if code)


class Collaboration(models.Model):
    """A long-lived space between one or more kommuner and police areas; all content hangs off it."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    kommuner = models.ManyToManyField(Kommun, related_name="collaborations", verbose_name=_("kommuner"))
    police_areas = models.ManyToManyField(
        PoliceArea, related_name="collaborations", blank=True, verbose_name=_("polisområden")
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="Participation",
        related_name="collaborations",
        blank=True,
        verbose_name=_("aktörer"),
    )
    mfa_required_roles = models.CharField(
        _("roller som måste använda tvåstegsverifiering"),
        max_length=80,
        blank=True,
        default=Role.POLIS.value,
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The public portal lists every active collaboration by name (and may show its description): always
    # public, so the writing kit always guards them (core/content.py).
    public_text_fields: ClassVar[tuple[str, ...]] = ("name", "description")
    private_text_fields: ClassVar[dict[str, str]] = {
        "mfa_required_roles": "role codes, never free text",
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("samverkan")
        verbose_name_plural = _("samverkansområden")

    def __str__(self) -> str:
        return self.name

    @property
    def mfa_roles(self) -> frozenset[str]:
        return decode_roles(self.mfa_required_roles)


class Participation(models.Model):
    """An organisation taking part (as aktör) in a collaboration."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    since = models.DateField(_("deltar sedan"), null=True, blank=True)

    class Meta:
        verbose_name = _("deltagande aktör")
        verbose_name_plural = _("deltagande aktörer")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "organisation"], name="participation_unique_org_per_collaboration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.collaboration}"


class Membership(models.Model):
    """A user's access to one collaboration, with one role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("företräder organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["collaboration", "user__email"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collaboration"], name="membership_unique_user_collaboration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) i {self.collaboration}"


class CountyReader(models.Model):
    """A regional reader (Länsstyrelsen) with aggregated, non-confidential access across a county."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="county_readers"
    )
    lan = models.ForeignKey(Lan, on_delete=models.CASCADE, related_name="readers", verbose_name=_("län"))

    class Meta:
        verbose_name = _("regional läsare")
        verbose_name_plural = _("regionala läsare")
        constraints = [models.UniqueConstraint(fields=["user", "lan"], name="county_reader_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.lan}"

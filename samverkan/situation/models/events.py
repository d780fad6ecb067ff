"""Händelserapporter (the EST way): single incidents any member reports at any time, and named places."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Collaboration, ConfidentialContent, Kommun, Organisation, TenantManager


class Place(models.Model):
    """A named place of a kommun (a school, a square, a bus stop), optionally with a point."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="situation_places"
    )
    kommun = models.ForeignKey(Kommun, on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun"))
    name = models.CharField(_("namn"), max_length=200)
    latitude = models.FloatField(_("latitud"), null=True, blank=True)
    longitude = models.FloatField(_("longitud"), null=True, blank=True)

    objects = TenantManager()

    # A place carries no level; its name goes out with every öppen event and joint picture there.
    public_text_fields: ClassVar[tuple[str, ...]] = ("name",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "kommun", "name"], name="place_unique_name_in_kommun"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventCategory(models.Model):
    """What kind of incident; mapped to a lägesbild area (``area_code``) and optionally a focus area."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_categories",
        help_text=_("Tom för kategorier som följer med produkten."),
    )
    name = models.CharField(_("namn"), max_length=100)
    area_code = models.SlugField(_("områdeskod"), max_length=40)
    focus_area = models.ForeignKey(
        "agreements.FocusArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fokusområde"),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)
    # The one switch that decides how a category's events may be published (selectors/picture/
    # generalise.py): events of a sensitive category pinpoint a victim even without a name (one household,
    # one child, one official in a small place), so öppen outputs show them only as counts per kommun.
    # The shipped set and the reason for each are in defaults.SENSITIVE_EVENT_CATEGORIES.
    sensitive = models.BooleanField(
        _("känslig"),
        default=False,
        help_text=_(
            "Händelser i en känslig kategori kan peka ut en enskild person. I allt som är öppet "
            "redovisas de bara som antal per kommun och period, aldrig som enskilda händelser."
        ),
    )

    # Shipped categories (no collaboration) serve everyone; of_member gives a collaboration's own.
    objects = TenantManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("händelsekategori")
        verbose_name_plural = _("händelsekategorier")
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "name"], name="event_category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Event(ConfidentialContent):
    """One incident: what, when, where (named place and/or a point inside the kommun), how confidential."""

    class Source(models.TextChoices):
        MEMBER = "medlem", _("Medlem")
        API = "api", _("API")

    category = models.ForeignKey(
        EventCategory, on_delete=models.PROTECT, related_name="events", verbose_name=_("kategori")
    )
    occurred_at = models.DateTimeField(_("när"))
    kommun = models.ForeignKey(Kommun, on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun"))
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("plats"),
    )
    place_name = models.CharField(_("plats"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitud"), null=True, blank=True)
    longitude = models.FloatField(_("longitud"), null=True, blank=True)
    description = models.TextField(_("vad hände"), max_length=2_000)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporterad av organisation"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("källa"), max_length=10, choices=Source.choices, default=Source.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("description", "place_name")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        indexes = [
            models.Index(fields=["collaboration", "occurred_at"], name="event_collab_when"),
            models.Index(fields=["kommun", "occurred_at"], name="event_kommun_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="event_point_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_at:%Y-%m-%d}"

"""Groups (strategic and operative) with their members, rhythm and relations."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent, Level, Organisation, Person

from .agreement import Agreement


class Group(ConfidentialContent, VersionedContent):
    """A standing group of the collaboration; it lives on across agreements (renewal keeps it)."""

    class Tier(models.TextChoices):
        STRATEGISK = "strategisk", _("Strategisk")
        OPERATIV = "operativ", _("Operativ")

    class Kind(models.TextChoices):
        FOLKHALSORAD = "folkhalsorad", _("Folkhälsoråd")
        STYRGRUPP = "styrgrupp", _("Styrgrupp")
        BRA = "bra", _("Brottsförebyggande råd (BRÅ)")
        REK = "rek", _("REK-grupp")
        ARBETSGRUPP_BRA = "arbetsgrupp_bra", _("Arbetsgrupp BRÅ")
        EST = "est", _("EST-grupp")
        ANNAN = "annan", _("Annan grupp")

    class Relation(models.TextChoices):
        FORE = "fore", _("före")
        EFTER = "efter", _("efter")
        FORE_OCH_EFTER = "fore_och_efter", _("före och efter")

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av grupp"), max_length=20, choices=Kind.choices)
    tier = models.CharField(_("nivå"), max_length=12, choices=Tier.choices, default=Tier.OPERATIV)
    purpose = models.TextField(_("uppdrag"), blank=True, max_length=5_000)
    agreements = models.ManyToManyField(
        Agreement, related_name="groups", blank=True, verbose_name=_("överenskommelser")
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("möten per år"), null=True, blank=True, help_text=_("Till exempel 4 för ett möte per kvartal.")
    )
    rhythm_note = models.CharField(
        _("mötesrytm"), max_length=200, blank=True, help_text=_("Till exempel: ett möte per kvartal.")
    )
    place = models.CharField(_("mötesplats"), max_length=200, blank=True)
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_groups",
        verbose_name=_("rapporterar till"),
    )
    meets_around = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surrounding_groups",
        verbose_name=_("möts i anslutning till"),
    )
    meets_around_relation = models.CharField(
        _("möts"),
        max_length=16,
        choices=Relation.choices,
        blank=True,
        help_text=_("Före, efter eller både före och efter."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("name", "purpose", "rhythm_note", "place")

    class Meta:
        ordering = ["-tier", "name"]
        verbose_name = _("grupp")
        verbose_name_plural = _("grupper")

    def __str__(self) -> str:
        return self.name


class GroupMember(ConfidentialContent):
    """An organisation and/or person in a group, standing or invited, with a role in the group."""

    class Standing(models.TextChoices):
        STANDIGT = "standig", _("Ständig")
        INBJUDEN = "inbjuden", _("Inbjuden")

    class GroupRole(models.TextChoices):
        ORDFORANDE = "ordforande", _("Ordförande")
        SAMMANKALLANDE = "sammankallande", _("Sammankallande")
        SEKRETERARE = "sekreterare", _("Sekreterare/protokollförare")
        LEDAMOT = "ledamot", _("Ledamot")
        ADJUNGERAD = "adjungerad", _("Adjungerad")

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    representing = models.CharField(
        _("företräder (fritext)"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ”Det lokala näringslivet” när ingen organisation är vald."),
    )
    standing = models.CharField(
        _("deltagande"), max_length=10, choices=Standing.choices, default=Standing.STANDIGT
    )
    role = models.CharField(
        _("roll i gruppen"), max_length=16, choices=GroupRole.choices, default=GroupRole.LEDAMOT
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    # ``person_name`` is the linked person's name (a property): the agreement publishes it beside the
    # organisation, so a personnummer, phone number or e-mail address typed as the name is refused.
    public_text_fields: ClassVar[tuple[str, ...]] = ("representing", "person_name")

    class Meta:
        ordering = ["standing", "order", "id"]
        verbose_name = _("gruppmedlem")
        verbose_name_plural = _("gruppmedlemmar")

    def __str__(self) -> str:
        return self.display_name

    @property
    def person_name(self) -> str:
        return self.person.name if self.person else ""

    @property
    def display_name(self) -> str:
        parts = [p for p in (self.organisation.name if self.organisation else self.representing,) if p]
        if self.person:
            parts.append(self.person.name)
        return " – ".join(parts) or "–"

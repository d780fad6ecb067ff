"""Confidentiality levels: what a piece of content may be shown to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .collaboration import Role


class Level(models.TextChoices):
    OPPEN = "oppen", _("Öppen")
    INTERN = "intern", _("Intern")
    BEGRANSAD = "begransad", _("Begränsad")


LEVEL_HELP = {
    Level.OPPEN: _("Får publiceras för allmänheten."),
    Level.INTERN: _("Alla medlemmar i samverkan kan läsa."),
    Level.BEGRANSAD: _("Bara de roller som anges kan läsa. Varje läsning loggas."),
}

DEFAULT_RESTRICTED_TO = ",".join(sorted([Role.POLIS.value, Role.SAMORDNARE.value]))

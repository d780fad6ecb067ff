"""The audit log: every change, and every read of begränsad content."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .collaboration import Collaboration
from .fields import DocumentJSONField, TextJSONEncoder


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Skapad")
        UPDATE = "update", _("Ändrad")
        DELETE = "delete", _("Borttagen")
        READ = "read", _("Läst (begränsad)")
        LOGIN = "login", _("Inloggning")
        LOGIN_FAILED = "loginfail", _("Misslyckad inloggning")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    target_type = models.CharField(_("typ"), max_length=60)
    target_id = models.CharField(_("id"), max_length=40)
    target_repr = models.CharField(_("objekt"), max_length=200)
    changes = DocumentJSONField(_("ändringar"), default=dict, blank=True, encoder=TextJSONEncoder)
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("logg")
        indexes = [models.Index(fields=["collaboration", "-created_at"], name="audit_collab_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action_label} {self.target_repr}"

    @property
    def action_label(self) -> str:
        """The label from a dict built once (get_action_display() rebuilds it on every call)."""
        return str(_ACTION_LABELS.get(self.action, self.action))


_ACTION_LABELS = dict(AuditEntry.Action.choices)

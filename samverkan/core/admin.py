"""Admin for superusers: reference data and the set-up of collaborations.

Collaboration content (notices and later reports, intelligence…) is deliberately not registered:
it is read only through a membership, so confidentiality has one path.
"""

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import guard_public_text
from samverkan.core.models import (
    ApiToken,
    AuditEntry,
    Collaboration,
    CountyReader,
    Kommun,
    Lan,
    Membership,
    Organisation,
    Participation,
    PoliceArea,
    Polisregion,
)


class GuardedAdminForm(forms.ModelForm):
    """The writing kit's personal-data guard on the admin's forms: a published text field (the model's
    ``public_text_fields``, an organisation's or collaboration's name…) gets the same field error here as
    through a form or the API."""

    def _post_clean(self) -> None:  # type: ignore[misc]
        super()._post_clean()  # type: ignore[misc]  # builds self.instance from the cleaned data
        try:
            guard_public_text(self.instance)
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]  # like model validation's errors


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes go to the same audit log as every other change (who, what, before/after), and the
    texts they publish pass the same guard (GuardedAdminForm)."""

    form = GuardedAdminForm

    def save_model(self, request, obj, form, change):
        # The snapshot travels on this request's form, not on self: one ModelAdmin instance serves every
        # request (threads), so state kept there could pair one save with another save's audit entry.
        form.audit_before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit_change(
            actor=request.user,
            action="update" if change else "create",
            obj=form.instance,
            before=form.audit_before,
            after=snapshot(form.instance),
        )

    def delete_model(self, request, obj):
        audit_change(actor=request.user, action="delete", obj=obj, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_change(actor=request.user, action="delete", obj=obj, before=snapshot(obj))
        super().delete_queryset(request, queryset)


@admin.register(Polisregion)
class PolisregionAdmin(AuditedAdmin):
    list_display = ["namn", "lan_list"]

    @admin.display(description=_("län"))
    def lan_list(self, obj):
        return ", ".join(lan.kortnamn for lan in obj.lan.all())


@admin.register(Lan)
class LanAdmin(AuditedAdmin):
    list_display = ["kod", "namn", "polisregion"]
    list_filter = ["polisregion"]


@admin.register(Kommun)
class KommunAdmin(AuditedAdmin):
    list_display = ["kod", "namn", "lan", "folkmangd"]
    list_filter = ["lan"]
    search_fields = ["kod", "namn"]


@admin.register(PoliceArea)
class PoliceAreaAdmin(AuditedAdmin):
    list_display = ["namn", "kind", "polisregion", "parent", "covered_kommuner"]
    list_filter = ["kind", "polisregion"]
    search_fields = ["namn", "kommuner__namn"]
    filter_horizontal = ["kommuner"]
    fieldsets = [
        (None, {"fields": ["namn", "kind", "polisregion", "parent"]}),
        (
            _("Kommuner som området täcker"),
            {
                "fields": ["kommuner"],
                "description": _("Välj de kommuner polisområdet eller lokalpolisområdet ansvarar för."),
            },
        ),
    ]

    @admin.display(description=_("kommuner"))
    def covered_kommuner(self, obj):
        return ", ".join(k.namn for k in obj.kommuner.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("kommuner")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "home_kommun", "police_area"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["home_kommun"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Collaboration)
class CollaborationAdmin(AuditedAdmin):
    list_display = ["name", "is_active", "created_at"]
    search_fields = ["name", "kommuner__namn"]
    filter_horizontal = ["kommuner", "police_areas"]
    inlines = [ParticipationInline, MembershipInline]


@admin.register(CountyReader)
class CountyReaderAdmin(AuditedAdmin):
    list_display = ["user", "lan"]
    autocomplete_fields = ["user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Who did what to which row, when — never what the row says.

    The texts in an entry (``target_repr``, the before/after in ``changes``) are collaboration content
    and are read in the collaboration's own log by its members; the operator sees the metadata only,
    except for account entries (failed logins) that belong to no collaboration.
    """

    list_display = [
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "collaboration",
        "account_detail",
    ]
    list_filter = ["action", "target_type"]
    fields = ("created_at", "actor", "action", "target_type", "target_id", "collaboration", "account_detail")
    readonly_fields = fields

    @admin.display(description=_("konto"))
    def account_detail(self, obj: AuditEntry) -> str:
        return obj.target_repr if obj.collaboration_id is None and obj.target_type == "account" else ""

    def get_object(self, request, object_id, from_field=None):
        # The change page's title would otherwise show str(entry), which includes the row's text.
        entry = super().get_object(request, object_id, from_field)
        if entry is not None and not (entry.collaboration_id is None and entry.target_type == "account"):
            entry.target_repr = f"{entry.target_type} #{entry.target_id}"
        return entry

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "hint", "created_at", "expires_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False


# --- Two-step verification: the authenticators list who has TOTP; their secrets never leave the database.
# allauth.mfa is installed before core, so its admin (which shows the secret) is registered by now.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has which kind of second step, and when it was last used; a lost phone is handled by
    deleting the authenticator (the user then sets up a new one). The secret (``data``) is not shown."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

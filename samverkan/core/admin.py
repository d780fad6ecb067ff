"""Admin for superusers: reference data and the set-up of collaborations.

Collaboration content (notices and later reports, intelligence…) is deliberately not registered:
it is read only through a membership, so confidentiality has one path.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from samverkan.core.audit import audit_change, snapshot
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
    Person,
    PoliceArea,
    Polisregion,
)


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes go to the same audit log as every other change (who, what, before/after)."""

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


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["name", "email", "user"]
    search_fields = ["name", "email"]


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
    list_display = ["created_at", "actor", "action", "target_type", "target_repr", "collaboration"]
    list_filter = ["action", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "hint", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

"""Admin for superusers: reference data and the set-up of collaborations.

Collaboration content (notices and later reports, intelligence…) is deliberately not registered:
it is read only through a membership, so confidentiality has one path.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


@admin.register(Polisregion)
class PolisregionAdmin(admin.ModelAdmin):
    list_display = ["namn", "lan_list"]

    @admin.display(description=_("län"))
    def lan_list(self, obj):
        return ", ".join(lan.kortnamn for lan in obj.lan.all())


@admin.register(Lan)
class LanAdmin(admin.ModelAdmin):
    list_display = ["kod", "namn", "polisregion"]
    list_filter = ["polisregion"]


@admin.register(Kommun)
class KommunAdmin(admin.ModelAdmin):
    list_display = ["kod", "namn", "lan", "folkmangd"]
    list_filter = ["lan"]
    search_fields = ["kod", "namn"]


@admin.register(PoliceArea)
class PoliceAreaAdmin(admin.ModelAdmin):
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
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "home_kommun", "police_area"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["home_kommun"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
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
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    search_fields = ["name", "kommuner__namn"]
    filter_horizontal = ["kommuner", "police_areas"]
    inlines = [ParticipationInline, MembershipInline]


@admin.register(CountyReader)
class CountyReaderAdmin(admin.ModelAdmin):
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

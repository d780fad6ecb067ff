"""Admin for superusers: reference data and the set-up of collaborations.

Collaboration content (notices and later reports, intelligence…) is deliberately not registered:
it is read only through a membership, so confidentiality has one path.
"""

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
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


class NamedWidgetsMixin:
    """Every input of a form field gets a name: a date and time field is two inputs under one label,
    which names neither of them (axe "label"); each gets "<field>, datum" and "<field>, tid"."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        widget = getattr(formfield, "widget", None)
        widget = getattr(widget, "widget", widget)  # inside the related-object wrapper
        if formfield is not None and isinstance(widget, forms.SplitDateTimeWidget | forms.MultiWidget):
            parts = [_("datum"), _("tid")] if len(widget.widgets) == 2 else []
            for number, sub in enumerate(widget.widgets):
                part = parts[number] if parts else str(number + 1)
                sub.attrs["aria-label"] = f"{formfield.label}, {part}"
        return formfield


class AuditedAdmin(NamedWidgetsMixin, admin.ModelAdmin):
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


class NamedRowsFormSet(forms.BaseInlineFormSet):
    """A tabular inline's inputs sit under column headings, not labels: each gets "<column> – <row>"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk:
            row = str(form.instance)
        else:
            row = str(_("ny rad %(number)s") % {"number": (index or 0) + 1})
        for field in form.fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # inside the related-object wrapper
            if not widget.is_hidden:
                widget.attrs["aria-label"] = f"{field.label} – {row}"


class ParticipationInline(NamedWidgetsMixin, admin.TabularInline):
    model = Participation
    formset = NamedRowsFormSet
    extra = 0
    autocomplete_fields = ["organisation"]


class MembershipInline(NamedWidgetsMixin, admin.TabularInline):
    model = Membership
    formset = NamedRowsFormSet
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
class ApiTokenAdmin(NamedWidgetsMixin, admin.ModelAdmin):
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
class AuthenticatorAdmin(NamedWidgetsMixin, admin.ModelAdmin):
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


# --- Users: Django's admin with every input named. The two-list widget for groups and permissions
# (filter_horizontal) puts aria-label on bare spans (aria-prohibited-attr); plain multiple selects, under
# their labels, serve a keyboard and a screen reader as well. Sign-in times are the system's, not edited.
User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(NamedWidgetsMixin, DjangoUserAdmin):
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")

"""Admin for superusers: the indicator catalogue, the type → area mapping, imports and police events.

Police events and data points are written by imports only, so they are read-only here; changing a type's
area recounts the monthly indicators.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from samverkan.core.admin import AuditedAdmin
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent, PoliceEventTypeMapping
from samverkan.indicators.services import police_indicators_recompute


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["code", "name", "unit", "level", "period_type", "area_code", "better"]
    list_filter = ["level", "period_type", "area_code"]
    search_fields = ["code", "name"]


class TypeMappingRowForm(forms.ModelForm):
    """One row of the editable list: its area select is named after the row's event type (the column
    heading alone gives a screen reader nothing to tell the rows' selects apart)."""

    class Meta:
        model = PoliceEventTypeMapping
        fields = ["area_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].widget.attrs["aria-label"] = _("Lägesbildsområde för %(type)s") % {
            "type": self.instance.type
        }


@admin.register(PoliceEventTypeMapping)
class PoliceEventTypeMappingAdmin(AuditedAdmin):
    list_display = ["type", "area_code"]
    list_editable = ["area_code"]
    list_filter = ["area_code"]
    search_fields = ["type"]

    def get_changelist_form(self, request, **kwargs):
        return TypeMappingRowForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        police_indicators_recompute()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        police_indicators_recompute()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        police_indicators_recompute()


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "kind", "file_name", "by_user", "finished_at"]
    list_filter = ["kind"]
    search_fields = ["file_name", "sha256"]


@admin.register(PoliceEvent)
class PoliceEventAdmin(ReadOnlyAdmin):
    list_display = ["datetime", "type", "name", "kommun", "lan", "matched_by", "flagged"]
    list_filter = ["matched_by", "flagged", "lan"]
    search_fields = ["name", "type", "location_name"]
    date_hierarchy = "datetime"


@admin.register(DataPoint)
class DataPointAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "kommun", "lan", "period_start", "value"]
    list_filter = ["indicator"]
    raw_id_fields = ["kommun", "lan", "import_run"]

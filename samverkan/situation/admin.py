"""Admin for superusers: lägesbild reference data (event categories) and named places.

Content that carries a confidentiality level (events, answers, joint-picture texts) is deliberately not
registered, like the rest of the collaboration content (see core/admin.py): it is read only through a
membership, so confidentiality has one path. Templates are not edited here either: a revision must be a
new version (services.template_revise), which in-place admin edits would bypass. Rounds, reports and
pictures are run in the app.
"""

from django.contrib import admin

from samverkan.core.admin import AuditedAdmin
from samverkan.situation.models import EventCategory, Place


@admin.register(EventCategory)
class EventCategoryAdmin(AuditedAdmin):
    list_display = ["name", "area_code", "collaboration", "order", "active", "sensitive"]
    list_filter = ["area_code", "active", "sensitive"]
    search_fields = ["name"]
    raw_id_fields = ["collaboration", "focus_area"]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["name", "kommun", "collaboration", "latitude", "longitude"]
    list_filter = ["kommun__lan"]
    search_fields = ["name", "kommun__namn"]
    raw_id_fields = ["collaboration", "kommun"]

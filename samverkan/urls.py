from django.contrib import admin
from django.urls import include, path

from samverkan.api.api import api

admin.site.site_header = "Samverkan – administration"
admin.site.site_title = "Samverkan"

urlpatterns = [
    path("", include("samverkan.core.urls")),
    path("", include("samverkan.agreements.urls")),
    path("", include("samverkan.situation.urls")),
    path("", include("samverkan.indicators.urls")),
    path("", include("samverkan.analysis.urls")),
    path("", include("samverkan.actions.urls")),
    path("", include("samverkan.meetings.urls")),
    path("", include("samverkan.reports.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("offentlig/", include("samverkan.portal.urls")),
]

from django.urls import path

from samverkan.portal import views

app_name = "portal"

collaboration = "samverkan/<int:collaboration_id>/"
agreement = collaboration + "overenskommelser/<int:agreement_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(collaboration, views.collaboration, name="collaboration"),
    path(agreement, views.agreement_detail, name="agreement_detail"),
    path(agreement + "pdf/", views.agreement_pdf, name="agreement_pdf"),
]

# Published minutes (meetings): list, public version, its PDF/A and an Atom feed.
from samverkan.portal import minutes  # noqa: E402

urlpatterns += [
    path(collaboration + "protokoll/", minutes.minutes_list, name="minutes_list"),
    path(collaboration + "protokoll/atom/", minutes.minutes_feed, name="minutes_feed"),
    path(collaboration + "protokoll/<int:meeting_id>/", minutes.minutes_detail, name="minutes_detail"),
    path(collaboration + "protokoll/<int:meeting_id>/pdf/", minutes.minutes_pdf, name="minutes_pdf"),
]

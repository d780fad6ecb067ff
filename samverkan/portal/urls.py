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

# A kommun's portal by kommunkod (issue 15): the page, its Atom feed, the embed page and the JSON feed; and
# the action plan's öppen traceability page it links to.
from samverkan.portal import kommun  # noqa: E402

kommun_page = "kommun/<str:kommunkod>/"

urlpatterns += [
    path(kommun_page, kommun.kommun_page, name="kommun"),
    path(kommun_page + "atom/", kommun.kommun_feed, name="kommun_feed"),
    path(kommun_page + "inbaddning/", kommun.kommun_embed, name="kommun_embed"),
    path(kommun_page + "flode.json", kommun.kommun_json, name="kommun_json"),
    path(collaboration + "atgardsplan/<int:plan_id>/", kommun.plan_trace, name="plan_trace"),
]

# The accessibility statement for the whole product, linked from every page's footer.
from samverkan.portal import accessibility  # noqa: E402

urlpatterns += [path("tillganglighet/", accessibility.accessibility_statement, name="accessibility")]

# Yearly evaluations whose public version is released (reports): list, page, PDF/A, DOCX and XLSX.
from samverkan.portal import evaluations  # noqa: E402

evaluation = collaboration + "utvardering/<int:year>/"
urlpatterns += [
    path(collaboration + "utvardering/", evaluations.evaluation_list, name="evaluation_list"),
    path(evaluation, evaluations.evaluation_detail, name="evaluation_detail"),
    path(evaluation + "pdf/", evaluations.evaluation_pdf, name="evaluation_pdf"),
    path(evaluation + "docx/", evaluations.evaluation_docx, name="evaluation_docx"),
    path(evaluation + "xlsx/", evaluations.evaluation_xlsx, name="evaluation_xlsx"),
]

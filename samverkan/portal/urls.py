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

from django.urls import path

from samverkan.core import views

app_name = "core"

collaboration = "samverkan/<int:collaboration_id>/"

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("konto/tvastegsverifiering-kravs/", views.mfa_required, name="mfa_required"),
    path("profil/", views.profile, name="profile"),
    path("profil/api-nycklar/ny/", views.api_token_create, name="api_token_create"),
    path("profil/api-nycklar/<int:token_id>/aterkalla/", views.api_token_revoke, name="api_token_revoke"),
    path(collaboration, views.collaboration_home, name="collaboration_home"),
    path(collaboration + "steg/<slug:step>/", views.cycle_step, name="cycle_step"),
    path(collaboration + "medlemmar/", views.member_list, name="member_list"),
    path(collaboration + "medlemmar/bjud-in/", views.member_invite, name="member_invite"),
    path(collaboration + "medlemmar/<int:membership_id>/", views.member_edit, name="member_edit"),
    path(collaboration + "aktorer/", views.organisation_list, name="organisation_list"),
    path(collaboration + "aktorer/ny/", views.organisation_create, name="organisation_create"),
    path(collaboration + "aktorer/lagg-till/", views.participant_add, name="participant_add"),
    path(
        collaboration + "aktorer/<int:participation_id>/ta-bort/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(collaboration + "meddelanden/", views.notice_list, name="notice_list"),
    path(collaboration + "meddelanden/nytt/", views.notice_create, name="notice_create"),
    path(collaboration + "meddelanden/<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path(collaboration + "meddelanden/<int:notice_id>/andra/", views.notice_edit, name="notice_edit"),
    path(collaboration + "logg/", views.audit_log, name="audit_log"),
    path(collaboration + "installningar/", views.collaboration_settings, name="collaboration_settings"),
]

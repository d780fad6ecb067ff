"""Background jobs (Huey). In the embedded default they run in-process (immediate mode)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from samverkan.core.dbstats import optimize_database
from samverkan.core.models import Membership


@db_task(retries=3, retry_delay=60)
def send_invitation(membership_id: int, *, new_user: bool) -> None:
    membership = Membership.objects.select_related("user", "collaboration").filter(pk=membership_id).first()
    if membership is None:
        return
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = membership.user
    base = settings.SAMVERKAN_BASE_URL.rstrip("/")
    context = {
        "membership": membership,
        "new_user": new_user,
        "site_name": settings.SAMVERKAN_SITE_NAME,
        "login_url": base + reverse("account_login"),
        # A new user has no password yet: the link lets them choose one (valid as a reset link is).
        "set_password_url": base
        + reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        ),
    }
    subject = render_to_string("core/email/invitation_subject.txt", context).strip()
    body = render_to_string("core/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@db_periodic_task(crontab(hour="3", minute="17"))
def refresh_planner_statistics() -> None:
    """Nightly: fresh planner statistics on SQLite (see ``core.dbstats``), for tables grown by everyday
    writes; the large imports refresh theirs as they finish."""
    optimize_database()

"""The accessibility statement for the whole product, with its feedback form (anonymous, throttled)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from samverkan.core.accessibility import DIGG_SUPERVISION_URL, feedback_allowed, statement
from samverkan.core.models import Kommun
from samverkan.core.personaldata import ensure_no_identity_numbers
from samverkan.portal import services


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Vad fungerar inte, eller vilket innehåll vill du ha i ett annat format?"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    page = forms.CharField(
        label=_("Sida det gäller (valfritt)"),
        max_length=300,
        required=False,
        help_text=_("Till exempel adressen eller sidans rubrik."),
    )
    contact_email = forms.EmailField(
        label=_("Din e-postadress (valfritt, om du vill ha svar)"), max_length=254, required=False
    )
    kommun = forms.CharField(required=False, max_length=4, widget=forms.HiddenInput)

    def clean_message(self) -> str:
        message: str = self.cleaned_data["message"]
        try:  # refused before the throttle counts the message
            ensure_no_identity_numbers(message=message)
        except ValidationError as error:
            raise ValidationError(error.message_dict["message"]) from error
        return message

    def clean_kommun(self) -> Kommun | None:
        code = self.cleaned_data.get("kommun") or ""
        return Kommun.objects.filter(kod=code).first() if code.isdigit() else None


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "okänd"


@require_http_methods(["GET", "HEAD", "POST"])
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    throttled = False
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            if not feedback_allowed(_address(request)):
                throttled = True
            else:
                data = form.cleaned_data
                try:
                    services.feedback_create(
                        message=data["message"],
                        contact_email=data["contact_email"],
                        page=data["page"],
                        kommun=data["kommun"],
                    )
                except ValidationError as error:
                    form.add_error("message", error.message_dict.get("message", error.messages))
                else:
                    return redirect(reverse("portal:accessibility") + "?skickat=1#synpunkter")
    else:
        form = FeedbackForm(initial={"kommun": (request.GET.get("kommun") or "")[:4]})
    context = {
        "statement": statement(),
        "digg_url": DIGG_SUPERVISION_URL,
        "form": form,
        "sent": request.GET.get("skickat") == "1",
        "throttled": throttled,
    }
    return render(request, "portal/accessibility.html", context, status=429 if throttled else 200)

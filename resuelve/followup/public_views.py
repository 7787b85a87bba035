"""The customer's survey page: no account, the private link is the key. Shown in the
survey's language unless the customer picked another with the language switcher."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from resuelve.core.ratelimit import client_ip, hit
from resuelve.followup import services
from resuelve.followup.forms import SurveyForm
from resuelve.followup.models import Survey, SurveyStatus

HOUR = 3600


def _language(request: HttpRequest, survey: Survey | None) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    if survey is not None:
        return survey.language
    return translation.get_language() or settings.LANGUAGE_CODE


def _page(
    request: HttpRequest, survey: Survey | None, template: str, context: dict, status: int = 200
) -> HttpResponse:
    language = _language(request, survey)
    with translation.override(language):
        response = render(
            request,
            template,
            {"company": settings.RESUELVE_COMPANY_NAME, **context},
            status=status,
        )
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    # The link is the key: never sent to another site (same-origin keeps the POST's Origin).
    response["Referrer-Policy"] = "same-origin"
    return response


def _closed(request: HttpRequest, survey: Survey | None) -> HttpResponse | None:
    """The page for a link that cannot be answered: unknown (404, telling nothing), expired
    (410, telling nothing about the case) or already answered."""
    if survey is None:
        return _page(request, None, "followup/public/unknown.html", {}, status=404)
    status = survey.status_at(timezone.now())
    if status == SurveyStatus.ANSWERED:
        return _page(request, survey, "followup/public/answered.html", {"survey": survey})
    if status == SurveyStatus.EXPIRED:
        return _page(request, None, "followup/public/expired.html", {}, status=410)
    return None


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    found = services.survey_for_secret(token)
    closed = _closed(request, found)
    if closed is not None:
        return closed
    assert found is not None
    if request.method == "POST":
        if not hit(
            "survey-post",
            client_ip(request),
            limit=settings.RESUELVE_FILINGS_PER_HOUR * 3,
            window_seconds=HOUR,
        ):
            with translation.override(_language(request, found)):
                throttled = _(
                    "Too many attempts from your connection. Wait a few minutes and try again, or call us."
                )
            return _page(
                request,
                found,
                "followup/public/survey.html",
                {"survey": found, "form": SurveyForm(), "throttled": throttled},
                status=429,
            )
        with translation.override(_language(request, found)):
            form = SurveyForm(request.POST)
            valid = form.is_valid()
        if valid:
            try:
                services.survey_answer(survey=found, answer=form.answer())
            except services.AlreadyAnswered:
                return _page(request, found, "followup/public/answered.html", {"survey": found})
            except services.SurveyClosed:
                return _page(request, None, "followup/public/expired.html", {}, status=410)
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, texts)
            else:
                return redirect("followup_public:thanks", token=token)
        return _page(
            request,
            found,
            "followup/public/survey.html",
            {"survey": found, "form": form},
            status=400,
        )
    return _page(
        request, found, "followup/public/survey.html", {"survey": found, "form": SurveyForm()}
    )


@never_cache
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    found = services.survey_for_secret(token)
    if found is None:
        return _page(request, None, "followup/public/unknown.html", {}, status=404)
    if found.answered_at is None:
        return redirect("followup_public:survey", token=token)
    return _page(
        request,
        found,
        "followup/public/thanks.html",
        {"survey": found, "followed_up": bool(services.low_reasons(found))},
    )

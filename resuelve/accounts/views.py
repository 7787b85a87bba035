"""Staff sign-in with a throttle against password guessing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

WINDOW_SECONDS = 15 * 60


def _keys(request: HttpRequest) -> list[str]:
    ip = request.META.get("REMOTE_ADDR", "")
    username = (request.POST.get("username") or "").strip().lower()[:150]
    return [f"login-fail:ip:{ip}", f"login-fail:user:{username}"]


class ThrottledLoginView(auth_views.LoginView):
    """Refuses further attempts from an address or for a username after too many failures
    in 15 minutes; a successful sign-in clears the username's count."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.LOGIN_ATTEMPTS_PER_15_MIN
        if any((cache.get(key) or 0) >= limit for key in _keys(request)):
            form = self.get_form()
            form.errors.clear()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    throttled=_(
                        "Too many failed sign-ins. Wait 15 minutes and try again, or ask an "
                        "administrator to reset your password."
                    ),
                ),
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back: the password was wrong
            for key in _keys(request):
                cache.add(key, 0, WINDOW_SECONDS)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, WINDOW_SECONDS)
        else:
            cache.delete(_keys(request)[1])
        return response


def set_language(request: HttpRequest) -> HttpResponse:
    """The language picker in the page header. A signed-in user's profile language wins over
    the browser's (UserLanguageMiddleware), so picking one changes the profile too; otherwise
    the choice would be ignored on the next page."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    user = getattr(request, "user", None)
    code = request.POST.get("language", "") if request.method == "POST" else ""
    served = {language for language, _name in settings.LANGUAGES}
    if user is not None and user.is_authenticated and code in served and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return response

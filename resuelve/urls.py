from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from resuelve.accounts import views as account_views
from resuelve.accounts.views import ThrottledLoginView
from resuelve.api.api import api
from resuelve.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/login/", ThrottledLoginView.as_view(), name="login"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/new/", include("resuelve.intake.staff_urls")),
    path("staff/deadlines/", include("resuelve.deadlines.urls")),
    path("staff/customers/", include("resuelve.customers.urls")),
    path("staff/followup/", include("resuelve.followup.urls")),
    path("staff/revisits/", include("resuelve.revisits.urls")),
    path("survey/", include("resuelve.followup.public_urls")),
    path("staff/guidance/", include("resuelve.guidance.urls")),
    path("staff/watchers/", include("resuelve.watchers.urls")),
    path("staff/conduct/", include("resuelve.conduct.urls")),
    path("staff/social/", include("resuelve.social.urls")),
    path("staff/analytics/", include("resuelve.analytics.urls")),
    path("staff/reports/", include("resuelve.reports.urls")),
    path("staff/people/", include("resuelve.people.urls")),
    path("staff/early-warning/", include("resuelve.earlywarning.urls")),
    path("staff/campaigns/", include("resuelve.campaigns.urls")),
    path("staff/themes/", include("resuelve.themes.urls")),
    path("social/hook/", include("resuelve.social.hook_urls")),
    path("staff/", include("resuelve.resolution.urls")),
    path("staff/", include("resuelve.remedies.urls")),
    path("staff/", include("resuelve.complaints.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("resuelve.intake.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

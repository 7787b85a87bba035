from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict[str, object]:
    return {"company_name": settings.RESUELVE_COMPANY_NAME}


def staff_navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from resuelve.core.nav import staff_menus

    return {"staff_menus": staff_menus(user, request.path)}

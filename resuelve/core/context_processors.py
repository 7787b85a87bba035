from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict[str, object]:
    return {"company_name": settings.RESUELVE_COMPANY_NAME}

"""The demo company's human-resources reader of accountability records (G1), which the
demo loader creates with the rest of the staff."""

from __future__ import annotations

from django.db import transaction

from resuelve.accounts.models import User
from resuelve.accounts.roles import Role

HR_USERNAME = "marta"


def ensure_demo_hr() -> User:
    """Marta Salazar, human resources: reads every accountability record and the cases they
    refer to, changes nothing. Created once with the demo password, then reused."""
    from resuelve.demo.company import DEMO_PASSWORD

    with transaction.atomic():
        user = User.objects.filter(username=HR_USERNAME).first()
        if user is None:
            user = User(
                username=HR_USERNAME,
                first_name="Marta",
                last_name="Salazar",
                role=Role.HR,
                language="es",
                email=f"{HR_USERNAME}@autoandes.example",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
    return user

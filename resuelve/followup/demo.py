"""Demo surveys: a sample of the demo's resolved cases surveyed, with plausible answers (a
few low, some "not solved"), so the results page and the follow-up view have data. The
answers go through survey_answer, so the cases' audit trails and tasks are real."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from resuelve.complaints.models import Complaint
from resuelve.customers.models import ContactKind
from resuelve.customers.services import contact_record
from resuelve.followup import channels, jobs, services
from resuelve.followup.models import Compared, Survey

SEED = 10002
SHARE = 0.8  # of resolved cases that get a survey
ANSWER_RATE = 0.65


def _answer(rng: random.Random) -> services.Answer:
    mood = rng.random()
    if mood < 0.18:  # unhappy
        csat, nps, effort = rng.choice([1, 2]), rng.randint(0, 5), rng.choice([1, 2, 3])
        compared = rng.choice([Compared.MUCH_WORSE, Compared.WORSE, Compared.SAME])
        solved = rng.random() < 0.4
        comment = rng.choice(
            [
                "Tuve que llamar tres veces para que me respondieran.",
                "El problema sigue igual, los frenos vuelven a sonar.",
                "Nadie me explicó qué iban a hacer.",
                "",
            ]
        )
    elif mood < 0.45:  # so-so
        csat, nps, effort = 3, rng.randint(6, 8), rng.choice([2, 3, 4])
        compared = rng.choice([Compared.WORSE, Compared.SAME, Compared.BETTER])
        solved, comment = True, rng.choice(["Bien, aunque tardó más de lo esperado.", ""])
    else:  # happy
        csat, nps, effort = rng.choice([4, 5, 5]), rng.randint(8, 10), rng.choice([4, 5])
        compared = rng.choice([Compared.SAME, Compared.BETTER, Compared.MUCH_BETTER])
        solved = True
        comment = rng.choice(["Muy buena atención, gracias.", "Rápidos y amables.", "", ""])
    return services.Answer(
        csat=csat, solved=solved, effort=effort, nps=nps, compared=compared, comment=comment
    )


def ensure_demo_surveys(now: datetime) -> int:
    """Survey a sample of the resolved demo cases (idempotent: cases with a survey are
    skipped); returns how many surveys were made."""
    cases = (
        Complaint.objects.filter(state__in=jobs.SURVEYED_STATES, resolved_at__isnull=False)
        .filter(Q(survey__isnull=True))
        .select_related("customer", "department")
        .order_by("id")
    )
    made = 0
    for case in cases:
        rng = random.Random(f"{SEED}:{case.pk}")  # the same draw for a case on every run
        if rng.random() > SHARE:
            continue
        route = channels.route_for(case, case.customer)
        assert case.resolved_at is not None
        sent = min(case.resolved_at + timedelta(days=1), now - timedelta(hours=1))
        survey = Survey.objects.create(
            complaint=case,
            customer=case.customer,
            channel=route.channel if route else "",
            recipient=route.recipient if route else "",
            language=case.customer.language if case.customer else case.language,
            created_at=sent,
            send_after=sent,
            sent_at=sent if route else None,
            not_sent_reason="" if route else "no consented channel",
            expires_at=sent + timedelta(days=14) if route else None,
        )
        made += 1
        if route is None:
            continue
        if case.customer is not None:  # the contact log, as the sending job writes it
            with translation.override(settings.LANGUAGE_CODE):
                summary = _("Satisfaction survey for case %(code)s") % {"code": case.tracking_code}
            contact_record(
                customer=case.customer,
                channel=survey.channel,
                kind=ContactKind.SURVEY,
                summary=summary,
                complaint=case,
                at=sent,
            )
        if rng.random() < ANSWER_RATE:
            answered = sent + timedelta(hours=rng.randint(1, 72))
            if answered < now:
                services.survey_answer(survey=survey, answer=_answer(rng), now=answered)
                continue
        if survey.expires_at is not None and survey.expires_at <= now:
            services.survey_expire(survey=survey, now=now)
    return made

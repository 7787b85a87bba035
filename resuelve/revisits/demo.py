"""The revisit programme of the demo company: schedules, call scripts in the four languages,
three specialists, a promotion, customers in several time zones, and today's list built and
assigned. Idempotent: `ensure_demo_revisits(now)` may run on every demo load."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from resuelve.accounts.models import User
from resuelve.customers.models import ContactKind, Customer
from resuelve.customers.services import contact_record
from resuelve.revisits.jobs import revisit_build_daily
from resuelve.revisits.models import (
    CallScript,
    Occasion,
    Outcome,
    Promotion,
    Revisit,
    RevisitSchedule,
    Specialist,
    Status,
)
from resuelve.revisits.services import revisit_auto_assign

# The call scripts (data, not interface text): greeting per occasion, then the satisfied and
# unsatisfied branches and the closing, per language. Placeholders: {customer}, {specialist},
# {company}, {promotion}.
_GREETING: dict[str, dict[str, str]] = {
    "es": {
        Occasion.COMPLAINT_FOLLOWUP: "Buenos días, ¿hablo con {customer}? Soy {specialist}, de "
        "{company}. Disculpe la molestia: le llamo por el caso que resolvimos hace unos días. "
        "¿Quedó usted satisfecho con la solución?",
        Occasion.MEMBER: "Buenos días, ¿hablo con {customer}? Soy {specialist}, de {company}. "
        "Disculpe la molestia, serán dos minutos: ¿cómo valora nuestro servicio últimamente?",
        Occasion.HOLIDAY: "Buenos días, {customer}. Soy {specialist}, de {company}. Solo "
        "quería desearle, de parte de todo el equipo, un feliz día festivo. ¿Todo bien con su "
        "vehículo?",
        Occasion.ANNIVERSARY: "Buenos días, {customer}. Soy {specialist}, de {company}. Hoy se "
        "cumple un año más desde que es miembro de nuestro club: ¡muchas gracias por su "
        "confianza! ¿Cómo ha sido su experiencia con nosotros?",
        Occasion.BIRTHDAY: "Buenos días, {customer}. Soy {specialist}, de {company}. ¡Le "
        "llamamos para desearle un muy feliz cumpleaños! ¿Está contento con nuestro servicio?",
        Occasion.RENEWAL: "Buenos días, {customer}. Soy {specialist}, de {company}. Le llamo "
        "porque su tarjeta de miembro vence pronto y queremos recordarle que puede renovarla o "
        "pasar a un nivel superior. ¿Qué tal le ha ido como miembro?",
        Occasion.PROMOTION: "Buenos días, {customer}. Soy {specialist}, de {company}. Como "
        "miembro, queremos contarle antes que nadie nuestra promoción «{promotion}». ¿Está "
        "satisfecho con nuestro servicio?",
    },
    "en": {
        Occasion.COMPLAINT_FOLLOWUP: "Good morning, am I speaking with {customer}? This is "
        "{specialist} from {company}. Sorry to disturb you: I'm calling about the case we "
        "resolved a few days ago. Are you happy with the solution?",
        Occasion.MEMBER: "Good morning, am I speaking with {customer}? This is {specialist} "
        "from {company}. Sorry to disturb you, it will only take two minutes: how do you find "
        "our service lately?",
        Occasion.HOLIDAY: "Good morning, {customer}. This is {specialist} from {company}. I "
        "just wanted to wish you a happy holiday from all of us. Is everything fine with your "
        "car?",
        Occasion.ANNIVERSARY: "Good morning, {customer}. This is {specialist} from {company}. "
        "Today you have been a member of our club for another year: thank you for your "
        "trust! How has your experience with us been?",
        Occasion.BIRTHDAY: "Good morning, {customer}. This is {specialist} from {company}. "
        "We are calling to wish you a very happy birthday! Are you happy with our service?",
        Occasion.RENEWAL: "Good morning, {customer}. This is {specialist} from {company}. "
        "Your membership card expires soon, and I wanted to remind you that you can renew it "
        "or move up a tier. How has your membership been?",
        Occasion.PROMOTION: "Good morning, {customer}. This is {specialist} from {company}. "
        "As a member, you are among the first to hear about our promotion \u201c{promotion}\u201d. "
        "Are you happy with our service?",
    },
    "zh-hans": {
        Occasion.COMPLAINT_FOLLOWUP: "您好，请问是{customer}吗？我是{company}的{specialist}。"
        "打扰您了：几天前我们处理完了您反映的问题，想了解一下您对处理结果是否满意？",
        Occasion.MEMBER: "您好，请问是{customer}吗？我是{company}的{specialist}。打扰您两分钟："
        "您觉得我们最近的服务怎么样？",
        Occasion.HOLIDAY: "您好，{customer}。我是{company}的{specialist}。我们全体员工祝您节日"
        "快乐！您的爱车一切都好吗？",
        Occasion.ANNIVERSARY: "您好，{customer}。我是{company}的{specialist}。今天是您加入我们"
        "会员俱乐部的周年纪念日，感谢您一直以来的信任！您对我们的服务体验如何？",
        Occasion.BIRTHDAY: "您好，{customer}。我是{company}的{specialist}。我们特地打电话祝您"
        "生日快乐！您对我们的服务满意吗？",
        Occasion.RENEWAL: "您好，{customer}。我是{company}的{specialist}。您的会员卡即将到期，"
        "特此提醒您可以续卡或升级到更高等级。您对会员服务感觉如何？",
        Occasion.PROMOTION: "您好，{customer}。我是{company}的{specialist}。作为会员，您可以"
        "抢先了解我们的优惠活动「{promotion}」。您对我们的服务满意吗？",
    },
    "et": {
        Occasion.COMPLAINT_FOLLOWUP: "Tere, kas räägin {customer}? Mina olen {specialist} "
        "ettevõttest {company}. Vabandust, et segan: helistan paari päeva eest lahendatud "
        "pöördumise asjus. Kas olete lahendusega rahul?",
        Occasion.MEMBER: "Tere, kas räägin {customer}? Mina olen {specialist} ettevõttest "
        "{company}. Vabandust, et segan, see võtab vaid kaks minutit: kuidas olete viimasel "
        "ajal meie teenindusega rahul olnud?",
        Occasion.HOLIDAY: "Tere, {customer}! Mina olen {specialist} ettevõttest {company}. "
        "Soovin kogu meeskonna nimel ilusat pühadeaega. Kas autoga on kõik korras?",
        Occasion.ANNIVERSARY: "Tere, {customer}! Mina olen {specialist} ettevõttest {company}. "
        "Täna möödub järjekordne aasta sellest, kui liitusite meie kliendiklubiga – aitäh "
        "usalduse eest! Milline on olnud teie kogemus meiega?",
        Occasion.BIRTHDAY: "Tere, {customer}! Mina olen {specialist} ettevõttest {company}. "
        "Helistame, et soovida teile palju õnne sünnipäevaks! Kas olete meie teenindusega "
        "rahul?",
        Occasion.RENEWAL: "Tere, {customer}! Mina olen {specialist} ettevõttest {company}. "
        "Teie kliendikaart aegub peagi ja tuletan meelde, et saate selle pikendada või "
        "kõrgemale tasemele üle minna. Kuidas olete liikmelisusega rahul olnud?",
        Occasion.PROMOTION: "Tere, {customer}! Mina olen {specialist} ettevõttest {company}. "
        "Klubiliikmena kuulete esimeste seas meie kampaaniast „{promotion}“. Kas olete meie "
        "teenindusega rahul?",
    },
}

_BRANCHES: dict[str, tuple[str, str, str, str]] = {
    # satisfied, unsatisfied, closing, closing on a greeting occasion
    "es": (
        "¡Qué bueno saberlo! ¿Tiene alguna sugerencia para mejorar nuestro servicio?",
        "Lamento mucho oírlo. ¿Me puede contar qué no le gustó? ¿Qué deberíamos mejorar? "
        "(Si es una queja, ábrala desde el formulario.)",
        "Muchas gracias por su tiempo y sus comentarios. Si necesita algo, estamos siempre a "
        "su disposición. ¡Feliz conducción!",
        "Muchas gracias por su tiempo. ¡Que pase un día estupendo y feliz conducción!",
    ),
    "en": (
        "Glad to hear it! Do you have any suggestion to improve our service?",
        "I'm very sorry to hear that. Could you tell me what you were unhappy with? What "
        "should we improve? (If it is a complaint, open it from the form.)",
        "Thank you very much for your time and your feedback. If you need anything, we are "
        "always here to help. Happy driving!",
        "Thank you very much for your time. Have a wonderful day, and happy driving!",
    ),
    "zh-hans": (
        "太好了！您对我们的服务还有什么建议吗？",
        "非常抱歉给您带来不好的体验。能告诉我您对哪些地方不满意吗？我们应该在哪些方面改进？"
        "（如属投诉，请在表单中直接登记。）",
        "非常感谢您抽出宝贵时间并提出意见，我们会尽快改进。如有任何需要，欢迎随时联系我们。"
        "祝您驾驶愉快！",
        "非常感谢您抽出宝贵时间。祝您生活愉快，驾驶愉快！",
    ),
    "et": (
        "Väga hea meel seda kuulda! Kas teil on mõni ettepanek, kuidas saaksime oma "
        "teenindust paremaks muuta?",
        "Mul on väga kahju seda kuulda. Kas saaksite öelda, millega jäite rahulolematuks? Mida "
        "peaksime parandama? (Kui see on kaebus, registreerige see vormilt.)",
        "Suur aitäh aja ja tagasiside eest, teeme omalt poolt kõik, et paremaks saada. Kui "
        "vajate midagi, oleme alati abiks. Head sõitu!",
        "Suur aitäh aja eest. Ilusat päeva ja head sõitu!",
    ),
}

_GREETING_OCCASIONS = {Occasion.HOLIDAY, Occasion.BIRTHDAY, Occasion.ANNIVERSARY}

# Days of past lists the demo builds and works through, so the reports have something to show.
HISTORY_DAYS = 14

SPECIALISTS = {
    # username: (calls a day, languages, tiers, follows up complaints)
    "ana": (40, ["es", "en"], [], True),
    "wei": (30, ["zh-hans", "en"], [], True),
    "kadri": (30, ["et", "en"], [], False),
}

# Demo customers given a time zone, country and contact preferences by language, so the
# specialists' lists show the quiet hours and the contact windows of several countries.
_PLACES = {
    "es": ("America/Bogota", "CO"),
    "en": ("Europe/Madrid", "ES"),
    "zh-hans": ("Asia/Shanghai", "CN"),
    "et": ("Europe/Tallinn", "EE"),
}


def ensure_scripts() -> None:
    for language, greetings in _GREETING.items():
        satisfied, unsatisfied, closing, warm_closing = _BRANCHES[language]
        for occasion, greeting in greetings.items():
            CallScript.objects.get_or_create(
                language=language,
                occasion=occasion,
                defaults={
                    "greeting": greeting,
                    "satisfied": satisfied,
                    "unsatisfied": unsatisfied,
                    "closing": warm_closing if occasion in _GREETING_OCCASIONS else closing,
                },
            )


def ensure_schedules(today: date) -> None:
    for tier, every in (("platinum", 30), ("gold", 60), ("silver", 90)):
        RevisitSchedule.objects.get_or_create(
            tier=tier,
            defaults={
                "every_days": every,
                "starts_on": today - timedelta(days=HISTORY_DAYS),
                "holidays": tier == "platinum",
            },
        )


def ensure_specialists() -> list[Specialist]:
    found = []
    for username, (capacity, languages, tiers, complaints) in SPECIALISTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        profile, _created = Specialist.objects.get_or_create(
            user=user,
            defaults={
                "daily_capacity": capacity,
                "languages": languages,
                "tiers": tiers,
                "handles_complaints": complaints,
            },
        )
        found.append(profile)
    return found


def _place_customers(now: datetime, limit: int = 400) -> None:
    """Give a few hundred demo members a zone, a country, quiet hours and a call window."""
    rows = list(
        Customer.objects.filter(external_ref__startswith="demo-")
        .exclude(tier="none")
        .filter(time_zone="")
        .order_by("id")
        .values_list("id", "language")[:limit]
    )
    today = timezone.localdate(now)
    for index, (pk, language) in enumerate(rows):
        zone, country = _PLACES.get(language, _PLACES["es"])
        windows = [(time(9), time(12)), (time(14), time(18)), (time(17), time(20)), (None, None)]
        start, end = windows[index % len(windows)]
        extra: dict[str, Any] = {}
        if index % 13 == 0:
            extra["birthday"] = today.replace(year=1980)
        if index % 17 == 0:
            extra["renewal_on"] = today + timedelta(days=7)
        Customer.objects.filter(pk=pk).update(
            time_zone=zone,
            country=country,
            quiet_from=time(22),
            quiet_until=time(8),
            contact_from=start,
            contact_until=end,
            **extra,
        )


@transaction.atomic
def ensure_demo_revisits(now: datetime | None = None) -> dict[str, int]:
    """Set up the programme and build (and distribute) today's list."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ensure_scripts()
    ensure_schedules(today)
    specialists = ensure_specialists()
    Promotion.objects.get_or_create(
        name="Revisión de invierno 2x1",
        defaults={
            "starts_on": today - timedelta(days=3),
            "ends_on": today + timedelta(days=25),
            "tiers": ["platinum"],
            "description": "Dos revisiones de frenos y neumáticos por el precio de una.",
        },
    )
    _place_customers(now)
    if not Revisit.objects.exists():
        for days in range(HISTORY_DAYS, 0, -1):
            _work_past_day(now - timedelta(days=days), specialists)
    added = revisit_build_daily(now=now)
    if specialists:
        revisit_auto_assign(now=now)
    return added


_PAST_OUTCOMES = [Outcome.SATISFIED] * 6 + [Outcome.UNSATISFIED, Outcome.REACHED, Outcome.SATISFIED]
_PAST_REMARKS = {
    "es": "Sugiere ampliar el horario del taller los sábados.",
    "en": "Would like reminders by text message before each service.",
    "zh-hans": "希望保养预约可以在网上完成。",
    "et": "Soovib, et hoolduse ajal oleks võimalik saada asendusauto.",
}


def _work_past_day(when: datetime, specialists: list[Specialist]) -> None:
    """Build the list of a past day and record most of it as the specialists did."""
    revisit_build_daily(now=when)
    if not specialists:
        return
    revisit_auto_assign(now=when)
    rows = Revisit.objects.filter(status=Status.ASSIGNED, due_on__lte=timezone.localdate(when))
    for revisit in rows.select_related("customer"):
        if revisit.pk % 10 == 0:  # one in ten stays undone: the coverage gap
            continue
        outcome = _PAST_OUTCOMES[revisit.pk % len(_PAST_OUTCOMES)]
        remark = _PAST_REMARKS.get(revisit.customer.language, "") if revisit.pk % 3 == 0 else ""
        Revisit.objects.filter(pk=revisit.pk).update(
            status=Status.DONE,
            outcome=outcome,
            channel="phone",
            attempts=1,
            suggestions=remark,
            done_at=when + timedelta(hours=2),
            done_by_id=revisit.assigned_to_id,
        )
        with translation.override(settings.LANGUAGE_CODE):  # the contact log, as recorded
            summary = f"{revisit.get_reason_display()}: {Outcome(outcome).label}"
        contact_record(
            customer=revisit.customer,
            channel="phone",
            kind=ContactKind.REVISIT,
            summary=summary,
            by=revisit.assigned_to,
            complaint=revisit.complaint,
            at=when + timedelta(hours=2),
        )

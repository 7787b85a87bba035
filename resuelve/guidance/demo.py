"""Demo playbooks and reply templates for Autoandes (resuelve.demo): spare parts, delivery
delays and complaints about staff, with texts in Spanish, English, Chinese and Estonian. One
template has no Estonian text on purpose, so the case page shows a missing translation."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from resuelve.complaints.models import Category
from resuelve.guidance.models import Playbook, PlaybookStep, ReplyTemplate, ReplyTemplateText

# code, name, category code or None, step ("" for a message), {language: (subject, body)}
TEMPLATES: list[tuple[str, str, str | None, str, dict[str, tuple[str, str]]]] = [
    (
        "acuse-repuestos",
        "Acuse: repuesto",
        "repuestos",
        "acknowledge",
        {
            "es": (
                "",
                "Hola, {customer_name}. Recibimos su caso {tracking_code} sobre el repuesto. "
                "Estamos revisando el pedido con la bodega y le responderemos a más tardar el "
                "{deadline}.\n\nCordialmente,\n{agent_name}\n{company}",
            ),
            "en": (
                "",
                "Hello {customer_name}, we have received your case {tracking_code} about the "
                "spare part. We are checking the order with our warehouse and will answer by "
                "{deadline} at the latest.\n\nKind regards,\n{agent_name}\n{company}",
            ),
            "zh-hans": (
                "",
                "{customer_name}，您好！我们已收到您关于配件的案件（编号 {tracking_code}）。"
                "我们正在与仓库核对订单，最迟将于 {deadline} 前答复您。\n\n{company}\n{agent_name}",
            ),
            "et": (
                "",
                "Tere, {customer_name}! Saime teie pöördumise {tracking_code} varuosa kohta "
                "kätte. Kontrollime tellimust koos laoga ja vastame hiljemalt {deadline}.\n\n"
                "Lugupidamisega\n{agent_name}\n{company}",
            ),
        },
    ),
    (
        "solucion-repuestos",
        "Respuesta: cambio del repuesto",
        "repuestos",
        "",
        {
            "es": (
                "",
                "Hola, {customer_name}. Lamentamos el inconveniente con el repuesto. Revisamos "
                "su pedido y le proponemos lo siguiente: {remedy}.\n\nSi está de acuerdo, "
                "respóndanos y coordinamos la entrega. Su número de caso es {tracking_code}.\n\n"
                "Cordialmente,\n{agent_name}\n{company}",
            ),
            "en": (
                "",
                "Hello {customer_name}, we are sorry for the trouble with the spare part. We "
                "have checked your order and propose the following: {remedy}.\n\nIf that "
                "suits you, just reply and we will arrange the delivery. Your case number is "
                "{tracking_code}.\n\nKind regards,\n{agent_name}\n{company}",
            ),
            "zh-hans": (
                "",
                "{customer_name}，您好！配件的问题给您带来不便，我们深表歉意。核查订单后，"
                "我们为您提供以下方案：{remedy}。\n\n如您同意，请直接回复，我们会安排送货。"
                "案件编号：{tracking_code}。\n\n{company}\n{agent_name}",
            ),
            "et": (
                "",
                "Tere, {customer_name}! Vabandame varuosaga tekkinud ebameeldivuse pärast. "
                "Kontrollisime teie tellimust ja pakume lahendusena: {remedy}.\n\nKui see "
                "sobib, vastake palun sellele kirjale ja lepime kokku üleandmise. Teie "
                "pöördumise number on {tracking_code}.\n\nLugupidamisega\n{agent_name}\n{company}",
            ),
        },
    ),
    (
        "pedir-datos",
        "Pedir número de pedido y fotos",
        None,
        "wait",
        {
            # No Estonian text on purpose: the case page shows the missing translation.
            "es": (
                "",
                "Hola, {customer_name}. Para avanzar con su caso {tracking_code} necesitamos "
                "el número de pedido y una foto de la pieza o del problema. Responda a este "
                "mensaje con esos datos y seguimos de inmediato.\n\n{agent_name}\n{company}",
            ),
            "en": (
                "",
                "Hello {customer_name}, to move your case {tracking_code} forward we need the "
                "order number and a photo of the part or of the problem. Please reply to this "
                "message with them and we will carry on straight away.\n\n{agent_name}\n{company}",
            ),
            "zh-hans": (
                "",
                "{customer_name}，您好！为了继续处理您的案件（编号 {tracking_code}），"
                "请回复此消息并提供订单号以及零件或问题的照片。收到后我们会立即继续处理。\n\n"
                "{company}\n{agent_name}",
            ),
        },
    ),
    (
        "retraso-entrega",
        "Respuesta: retraso en la entrega",
        "entrega",
        "",
        {
            "es": (
                "",
                "Hola, {customer_name}. Lamentamos que la entrega se haya retrasado. Ya "
                "consultamos el estado del transporte con logística y le confirmaremos la nueva "
                "fecha a más tardar el {deadline}. Su número de caso es {tracking_code}.\n\n"
                "Cordialmente,\n{agent_name}\n{company}",
            ),
            "en": (
                "",
                "Hello {customer_name}, we are sorry that your delivery is late. We have "
                "checked the transport with our logistics team and will confirm the new date "
                "by {deadline} at the latest. Your case number is {tracking_code}.\n\n"
                "Kind regards,\n{agent_name}\n{company}",
            ),
            "zh-hans": (
                "",
                "{customer_name}，您好！很抱歉未能按时为您送达。我们已向物流部门核实运输情况，"
                "最迟将于 {deadline} 前告知您新的送达日期。案件编号：{tracking_code}。\n\n"
                "{company}\n{agent_name}",
            ),
            "et": (
                "",
                "Tere, {customer_name}! Vabandame, et tarne on hilinenud. Kontrollisime veo "
                "olekut logistikaosakonnaga ja anname uue tarneaja teada hiljemalt {deadline}. "
                "Teie pöördumise number on {tracking_code}.\n\nLugupidamisega\n{agent_name}\n"
                "{company}",
            ),
        },
    ),
    (
        "disculpa-atencion",
        "Disculpa por la atención recibida",
        "atencion",
        "",
        {
            "es": (
                "",
                "Hola, {customer_name}. Gracias por contarnos lo que pasó. Lamentamos que la "
                "atención no haya estado a la altura de lo que usted merece. Hablamos con el "
                "equipo de la sucursal para que no se repita. Su número de caso es "
                "{tracking_code}.\n\nCordialmente,\n{agent_name}\n{company}",
            ),
            "en": (
                "",
                "Hello {customer_name}, thank you for telling us what happened. We are sorry "
                "that our service fell short of what you deserve. We have spoken with the "
                "branch team so that it does not happen again. Your case number is "
                "{tracking_code}.\n\nKind regards,\n{agent_name}\n{company}",
            ),
            "zh-hans": (
                "",
                "{customer_name}，您好！感谢您告诉我们事情的经过。我们的服务未能达到您应得的水准，"
                "对此深表歉意。我们已与门店团队沟通，避免类似情况再次发生。案件编号："
                "{tracking_code}。\n\n{company}\n{agent_name}",
            ),
            "et": (
                "",
                "Tere, {customer_name}! Täname, et andsite juhtunust teada. Vabandame, et meie "
                "teenindus ei olnud sellisel tasemel, nagu te väärite. Rääkisime esinduse "
                "meeskonnaga, et see ei korduks. Teie pöördumise number on {tracking_code}.\n\n"
                "Lugupidamisega\n{agent_name}\n{company}",
            ),
        },
    ),
]

# name, category, kind, usual remedy, usual amount, steps [(es, en)], template codes
PLAYBOOKS: list[tuple[str, str, str, str, Decimal, list[tuple[str, str]], list[str]]] = [
    (
        "Repuesto equivocado o defectuoso",
        "repuestos",
        "",
        "Cambio del repuesto sin costo y bono de 50.000 COP por la molestia.",
        Decimal("50000"),
        [
            (
                "Verificar el pedido y la referencia del repuesto en el sistema.",
                "Check the order and the part number in the system.",
            ),
            (
                "Confirmar con bodega que el repuesto correcto está disponible.",
                "Confirm with the warehouse that the right part is in stock.",
            ),
            (
                "Ofrecer el cambio sin costo y, si el cliente tuvo que volver, el bono.",
                "Offer the exchange free of charge and, if the customer had to come back, the voucher.",
            ),
            (
                "Responder al cliente con la fecha en que recibe el repuesto.",
                "Answer the customer with the date the part will be ready.",
            ),
        ],
        ["acuse-repuestos", "solucion-repuestos", "pedir-datos"],
    ),
    (
        "Retraso en la entrega",
        "entrega",
        "",
        "Nueva fecha confirmada; descuento de 150.000 COP por cada semana de retraso.",
        Decimal("150000"),
        [
            (
                "Consultar con logística el estado del transporte.",
                "Ask logistics where the transport is.",
            ),
            (
                "Informar al cliente la nueva fecha de entrega.",
                "Tell the customer the new delivery date.",
            ),
            (
                "Si el retraso pasa de una semana, ofrecer el descuento por semana de retraso.",
                "If the delay is over a week, offer the discount per week of delay.",
            ),
        ],
        ["retraso-entrega", "pedir-datos"],
    ),
    (
        "Queja por el trato del personal",
        "atencion",
        "complaint",
        "Disculpa por escrito; bono de cortesía de 30.000 COP si el cliente perdió tiempo.",
        Decimal("30000"),
        [
            (
                "Leer el relato y anotar el nombre del empleado si el cliente lo da.",
                "Read the account and note the employee's name if the customer gives it.",
            ),
            (
                "Hablar con el jefe de la sucursal y dejar su versión en una nota interna.",
                "Talk to the branch manager and record their side in an internal note.",
            ),
            ("Pedir disculpas al cliente por escrito.", "Apologise to the customer in writing."),
        ],
        ["disculpa-atencion"],
    ),
]


def ensure_demo_guidance(now: datetime) -> int:
    """The demo's playbooks and reply templates (idempotent: what exists is left as it is, so
    an administrator's edits survive a reload); returns how many playbooks were created."""
    categories = {c.code: c for c in Category.objects.all()}
    templates: dict[str, ReplyTemplate] = {}
    for position, (code, name, category_code, action, texts) in enumerate(TEMPLATES, start=1):
        if category_code is not None and category_code not in categories:
            continue
        template, _created = ReplyTemplate.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": categories.get(category_code) if category_code else None,
                "action": action,
                "position": position * 10,
            },
        )
        templates[code] = template
        for language, (subject, body) in texts.items():
            ReplyTemplateText.objects.get_or_create(
                template=template, language=language, defaults={"subject": subject, "body": body}
            )
    made = 0
    for name, category_code, kind, remedy, amount, steps, codes in PLAYBOOKS:
        category = categories.get(category_code)
        if category is None:
            continue
        if Playbook.objects.filter(category=category, kind=kind, active=True).exists():
            continue
        playbook = Playbook(
            name=name,
            category=category,
            kind=kind,
            usual_remedy=remedy,
            usual_amount=amount,
            created_at=now - timedelta(days=365),
        )
        playbook.full_clean()
        playbook.save()
        for order, (text, english) in enumerate(steps, start=1):
            PlaybookStep.objects.create(
                playbook=playbook, order=order, text=text, translations={"en": english}
            )
        playbook.templates.set([templates[c] for c in codes if c in templates])
        made += 1
    return made

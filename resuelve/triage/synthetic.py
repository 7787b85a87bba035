"""Real-looking complaints of the demo company in its four languages, for the classifier's
tests and benchmark. Pure: no database.

Built from the demo's own texts (resuelve.demo.company.TEXTS) and more problem phrases per
category, wrapped in greetings, context that says nothing about the category, sign-offs and
typos, with some cases filed under a neighbouring category as real assessors do. So the
classes overlap and a perfect score is not possible: what is measured is how close to the
assessors the model gets.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from resuelve.demo import company

# category -> language -> (phrase, severity or "") ; {p} is a product name.
PHRASES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "defecto-vehiculo": {
        "es": [
            ("el motor de mi {p} hace un ruido extraño al acelerar", ""),
            ("se prendió una luz de falla en el tablero y el carro pierde potencia", ""),
            ("los frenos fallan en bajada, casi tengo un accidente", "critical"),
            ("salió humo del capó del {p} mientras manejaba", "critical"),
            ("la pintura se está pelando y el carro es nuevo", ""),
        ],
        "en": [
            ("the engine of my {p} makes a strange noise when accelerating", ""),
            ("there is smoke coming from under the bonnet", "critical"),
            ("the brakes failed on the motorway and I nearly crashed", "critical"),
            ("the gearbox jerks and the car is only a few months old", ""),
        ],
        "zh-hans": [
            ("{p}发动机加速时有异响", ""),
            ("仪表盘故障灯一直亮着，车子没劲", ""),
            ("刹车失灵，差点出事故", "critical"),
            ("新车油漆起泡脱落", ""),
        ],
        "et": [
            ("minu {p} mootor teeb kiirendamisel imelikku häält", ""),
            ("armatuurlaual põleb veatuli ja auto kaotab võimsust", ""),
            ("pidurid ei tööta korralikult, peaaegu juhtus õnnetus", "critical"),
            ("uue auto värv koorub", ""),
        ],
    },
    "garantia": {
        "es": [
            ("me dicen que la garantía no cubre la falla del {p}", ""),
            ("la garantía venció según ellos pero el carro tiene menos kilómetros", ""),
            ("rechazaron mi reclamación de garantía sin revisar el carro", ""),
        ],
        "en": [
            ("they say the warranty does not cover the fault on my {p}", ""),
            ("my warranty claim was refused without an inspection", ""),
            ("the extended warranty I paid for is not being honoured", ""),
        ],
        "zh-hans": [
            ("说{p}的故障不在保修范围内", ""),
            ("保修期还没过就拒绝保修", ""),
            ("延保服务不给兑现", ""),
        ],
        "et": [
            ("öeldi, et garantii ei kata {p} riket", ""),
            ("garantiinõue lükati tagasi ilma autot vaatamata", ""),
            ("lisagarantii, mille eest maksin, ei kehti", ""),
        ],
    },
    "taller": {
        "es": [
            ("el taller tardó más de lo prometido con el mantenimiento del {p}", ""),
            ("después de la revisión el carro quedó peor que antes", ""),
            ("me cobraron mano de obra que no hicieron en el taller", ""),
            ("la cita en el taller la cancelaron sin avisar", ""),
        ],
        "en": [
            ("the workshop kept my {p} for a week for a simple service", ""),
            ("after the repair the noise is still there", ""),
            ("I was charged for labour that was never done", ""),
        ],
        "zh-hans": [
            ("维修站修了一个星期还没修好", ""),
            ("保养后问题依旧", ""),
            ("收了工时费但是没有做", ""),
        ],
        "et": [
            ("töökoda hoidis minu {p} terve nädala lihtsa hoolduse jaoks", ""),
            ("pärast remonti on müra endiselt alles", ""),
            ("arvel oli töö, mida ei tehtud", ""),
        ],
    },
    "repuestos": {
        "es": [
            ("el repuesto que pedí lleva un mes sin llegar", ""),
            ("me vendieron {p} de mala calidad que se dañaron en una semana", ""),
            ("el accesorio no corresponde al modelo del carro", ""),
        ],
        "en": [
            ("the spare part I ordered has not arrived after a month", ""),
            ("the {p} you sold me wore out in a week", ""),
            ("the accessory does not fit my model", ""),
        ],
        "zh-hans": [
            ("订的配件一个月还没到货", ""),
            ("买的{p}一个星期就坏了", ""),
            ("配件和车型不匹配", ""),
        ],
        "et": [
            ("tellitud varuosa pole kuu aja jooksul saabunud", ""),
            ("ostetud {p} läks nädalaga katki", ""),
            ("lisavarustus ei sobi minu mudelile", ""),
        ],
    },
    "entrega": {
        "es": [
            ("la entrega de mi {p} se aplazó otra vez sin explicación", ""),
            ("el camión de transporte dejó el carro con golpes", ""),
            ("me entregaron el carro con el tanque vacío y sin manuales", ""),
        ],
        "en": [
            ("the delivery of my {p} was postponed again", ""),
            ("the car was damaged by the transport company", ""),
            ("the car was delivered without the manuals and spare key", ""),
        ],
        "zh-hans": [
            ("{p}交车又推迟了", ""),
            ("运输过程中车被刮伤", ""),
            ("交车时没有说明书和备用钥匙", ""),
        ],
        "et": [
            ("minu {p} üleandmine lükkus jälle edasi", ""),
            ("transpordi käigus sai auto mõlgi", ""),
            ("auto anti üle ilma kasutusjuhendi ja varuvõtmeta", ""),
        ],
    },
    "contrato": {
        "es": [
            ("la cuota del crédito del {p} subió sin aviso", ""),
            ("la factura tiene un valor distinto al del contrato firmado", ""),
            ("me cobraron un seguro que no autoricé en el financiamiento", ""),
        ],
        "en": [
            ("the monthly payment on my {p} loan went up without notice", ""),
            ("the invoice does not match the signed contract", ""),
            ("I was charged insurance I never agreed to in the financing", ""),
        ],
        "zh-hans": [
            ("{p}贷款月供无故上涨", ""),
            ("发票金额和合同不一致", ""),
            ("贷款里加了我没同意的保险", ""),
        ],
        "et": [
            ("minu {p} liisingu kuumakse tõusis ette teatamata", ""),
            ("arve ei vasta allkirjastatud lepingule", ""),
            ("rahastamisel lisati kindlustus, millega ma ei nõustunud", ""),
        ],
    },
    "atencion": {
        "es": [
            ("el asesor me trató de mala manera", ""),
            ("esperé dos horas en la sede y nadie me atendió", ""),
            ("nadie responde los correos ni el teléfono", ""),
        ],
        "en": [
            ("the staff member was rude to me", ""),
            ("I waited two hours at the branch and nobody helped me", ""),
            ("nobody replies to e-mails or answers the phone", ""),
        ],
        "zh-hans": [
            ("工作人员态度很差", ""),
            ("在店里等了两个小时没人接待", ""),
            ("打电话发邮件都没人回复", ""),
        ],
        "et": [
            ("teenindaja oli minuga ebaviisakas", ""),
            ("ootasin esinduses kaks tundi ja keegi ei aidanud", ""),
            ("keegi ei vasta e-kirjadele ega telefonile", ""),
        ],
    },
    "ventas": {
        "es": [
            ("el vendedor me prometió accesorios gratis que nunca llegaron", ""),
            ("la prueba de manejo del {p} la cancelaron a última hora", ""),
            ("el precio publicado no era el real", ""),
        ],
        "en": [
            ("the salesman promised free accessories that never came", ""),
            ("my test drive of the {p} was cancelled at the last minute", ""),
            ("the advertised price was not the real price", ""),
        ],
        "zh-hans": [
            ("销售承诺送的配件一直没给", ""),
            ("{p}试驾临时取消", ""),
            ("广告价格和实际价格不一样", ""),
        ],
        "et": [
            ("müüja lubas tasuta lisavarustust, mida ei tulnud", ""),
            ("{p} proovisõit tühistati viimasel hetkel", ""),
            ("reklaamitud hind ei olnud tegelik hind", ""),
        ],
    },
    "sugerencias": {
        "es": [
            ("sugiero que tengan una sala de espera con wifi", "low"),
            ("felicito a la asesora por su amabilidad", "low"),
            ("sería bueno poder pagar en línea el mantenimiento", "low"),
        ],
        "en": [
            ("I suggest a waiting room with wifi", "low"),
            ("thank you to the adviser for her kindness", "low"),
            ("it would be nice to pay for the service online", "low"),
        ],
        "zh-hans": [
            ("建议休息区提供无线网络", "low"),
            ("感谢顾问热情的服务", "low"),
            ("希望能在网上支付保养费用", "low"),
        ],
        "et": [
            ("teen ettepaneku, et ooteruumis oleks wifi", "low"),
            ("aitäh nõustajale sõbralikkuse eest", "low"),
            ("oleks hea, kui hoolduse eest saaks maksta veebis", "low"),
        ],
    },
}

OPENERS = {
    "es": ["", "Buenos días.", "Hola,", "Señores Autoandes:", "Buenas tardes, les escribo porque"],
    "en": ["", "Hello,", "Good morning.", "Dear Autoandes,", "I am writing because"],
    "zh-hans": ["", "你好，", "您好！", "尊敬的客服：", "我想反映一个问题："],
    "et": ["", "Tere,", "Tere päevast.", "Lugupeetud Autoandes,", "Kirjutan, sest"],
}
# Context that any category may carry: it is what makes the classes overlap.
CONTEXT = {
    "es": [
        "Soy cliente de ustedes hace cinco años.",
        "Compré el carro en la sede de Bogotá Norte.",
        "Ya llamé dos veces y no me dan solución.",
        "Tengo la factura y las fotos.",
        "Necesito el carro para trabajar.",
        "El vehículo tiene garantía vigente.",
        "Me atendieron en el taller la semana pasada.",
    ],
    "en": [
        "I have been your customer for five years.",
        "I bought the car at the Lima branch.",
        "I have called twice and got no solution.",
        "I have the invoice and photos.",
        "I need the car for work.",
        "The car is still under warranty.",
        "I was at the workshop last week.",
    ],
    "zh-hans": [
        "我是你们的老客户了。",
        "车是在上海浦东店买的。",
        "已经打了两次电话都没有解决。",
        "我有发票和照片。",
        "我每天要用车上班。",
        "车还在保修期内。",
        "上周刚去过维修站。",
    ],
    "et": [
        "Olen teie klient olnud viis aastat.",
        "Ostsin auto Tallinna Ülemiste esindusest.",
        "Helistasin kaks korda, kuid lahendust ei saanud.",
        "Mul on arve ja fotod olemas.",
        "Vajan autot tööks.",
        "Autol kehtib veel garantii.",
        "Käisin eelmisel nädalal töökojas.",
    ],
}
CLOSERS = {
    "es": ["", "Gracias.", "Quedo atento a su respuesta.", "Espero una solución pronto."],
    "en": ["", "Thanks.", "I look forward to your answer.", "Please solve this soon."],
    "zh-hans": ["", "谢谢。", "请尽快回复。", "希望尽快解决。"],
    "et": ["", "Aitäh.", "Ootan teie vastust.", "Palun lahendage see kiiresti."],
}
# Categories assessors confuse with each other.
NEIGHBOURS = {
    "defecto-vehiculo": ["garantia", "taller"],
    "garantia": ["defecto-vehiculo", "taller"],
    "taller": ["repuestos", "garantia"],
    "repuestos": ["taller", "entrega"],
    "entrega": ["ventas", "contrato"],
    "contrato": ["ventas", "entrega"],
    "atencion": ["ventas", "taller"],
    "ventas": ["contrato", "atencion"],
    "sugerencias": ["atencion"],
}
LANGUAGE_WEIGHTS = [weight for _code, weight in company.LANGUAGE_WEIGHTS]
LANGUAGE_CODES = [code for code, _weight in company.LANGUAGE_WEIGHTS]
PRODUCTS = [name for _sku, name, _s, _service, _price in company.PRODUCTS]
CATEGORIES = [code for code, _name, _department in company.CATEGORIES]


@dataclass(frozen=True)
class Sample:
    subject: str
    description: str
    language: str
    category: str
    kind: str
    severity: str


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 8 or rng.random() > 0.25:
        return text
    i = rng.randrange(1, len(text) - 2)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]  # a dropped letter
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # two letters swapped


def _phrases(category: str, language: str) -> list[tuple[str, str, str]]:
    """(subject, body, severity) pieces for a category in a language."""
    pieces = [(s, d, "") for s, d, _ask in company.TEXTS[category].get(language, [])]
    for phrase, severity in PHRASES[category][language]:
        sentence = phrase[0].upper() + phrase[1:]
        pieces.append(
            (sentence[:80], sentence + ("。" if language == "zh-hans" else "."), severity)
        )
    return pieces


def _kind(rng: random.Random, category: str, body: str) -> str:
    if category == "sugerencias":
        lowered = body.lower()
        thanks = ("felicit", "agradec", "thank", "感谢", "aitäh")
        return "compliment" if any(t in lowered for t in thanks) else "suggestion"
    roll = rng.random()
    if category in ("contrato", "garantia"):
        return "claim" if roll < 0.55 else "complaint"
    if roll < 0.12:
        return "petition"
    return "claim" if roll < 0.35 else "complaint"


def samples(n: int, *, seed: int = 1, mislabel: float = 0.06) -> Iterator[Sample]:
    """`n` complaints, the same ones for the same seed."""
    rng = random.Random(seed)
    tables = {(c, lang): _phrases(c, lang) for c in CATEGORIES for lang in LANGUAGE_CODES}
    for _ in range(n):
        language = rng.choices(LANGUAGE_CODES, LANGUAGE_WEIGHTS)[0]
        category = rng.choice(CATEGORIES)
        pieces = tables[(category, language)]
        subject, body, severity = rng.choice(pieces)
        parts = [rng.choice(OPENERS[language])]
        if rng.random() < 0.6:
            parts.append(rng.choice(CONTEXT[language]))
        parts.append(body)
        if rng.random() < 0.3:
            second = rng.choice(pieces)
            parts.append(second[1])
            severity = severity or second[2]
        if rng.random() < 0.4:
            parts.append(rng.choice(CONTEXT[language]))
        parts.append(rng.choice(CLOSERS[language]))
        sep = "" if language == "zh-hans" else " "
        product = rng.choice(PRODUCTS)
        description = sep.join(p for p in parts if p).replace("{product}", product)
        description = _typo(rng, description.replace("{p}", product))
        subject = _typo(rng, subject.replace("{product}", product).replace("{p}", product))
        kind = _kind(rng, category, body)
        if not severity:
            severity = rng.choices(["low", "medium", "high"], [15, 65, 20])[0]
        if rng.random() < mislabel:
            category = rng.choice(NEIGHBOURS[category])
        yield Sample(subject, description, language, category, kind, severity)

"""The deadline presets shipped for every row of JURISDICTIONS.md. Loaded by a migration
(and again by `resuelve demo`); an administrator may change or deactivate any of them.
Figures marked `unconfirmed` come from public summaries, not the statute text."""

from __future__ import annotations

from typing import Any

ALL_PQRS = ["petition", "complaint", "claim", "suggestion"]

PRESETS: list[dict[str, Any]] = [
    {
        "code": "co-ley-1755",
        "name": "Colombia — PQRS (Ley 1755 de 2015)",
        "country": "CO",
        "kinds": ALL_PQRS,
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 15,
        "answer_unit": "business_days",
        "extension_amount": 15,
        "pauses": "An incomplete request: ask for what is missing within 10 days; the clock "
        "waits for the customer. If the term cannot be met, notify before it expires with the "
        "reasons and a new date.",
        "must_record": "Name, ID document, address or e-mail, object, reasons, documents, "
        "signature; the answer cites the filing number (radicado).",
        "external_body": "Superintendencia de Industria y Comercio (SIC)",
        "legal_source": "Ley 1755 de 2015, art. 14 (15 business days; document requests 10, "
        "consultations 30)",
        "unconfirmed": True,
        "notes": "The extension cap of twice the term is not confirmed against the statute.",
    },
    {
        "code": "co-ley-1480",
        "name": "Colombia — consumer claim and warranty (Ley 1480 de 2011)",
        "country": "CO",
        "kinds": ["claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 15,
        "answer_unit": "business_days",
        "must_record": "Claimant, purchase data, evidence.",
        "external_body": "Superintendencia de Industria y Comercio (SIC)",
        "legal_source": "Ley 1480 de 2011 (Estatuto del Consumidor), art. 58",
    },
    {
        "code": "pe-libro-reclamaciones",
        "name": "Peru — Libro de Reclamaciones (Ley 29571)",
        "country": "PE",
        "kinds": ["claim", "complaint"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 15,
        "answer_unit": "business_days",
        "pauses": "A settlement offer pauses the clock for 5 business days. The term cannot be "
        "extended.",
        "must_record": "Name, ID (DNI), address or e-mail, date, product or service, amount, "
        "details, what is asked; a numbered copy of the sheet.",
        "external_body": "INDECOPI",
        "legal_source": "Ley 29571, Código de Protección y Defensa del Consumidor, art. 150 "
        "(as amended in 2022)",
    },
    {
        "code": "es-consumo",
        "name": "Spain — consumer complaint (one month)",
        "country": "ES",
        "kinds": ["complaint", "claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 1,
        "answer_unit": "calendar_months",
        "must_record": "Name, ID, address, facts, request; a receipt with a tracking code.",
        "external_body": "Certified ADR entity",
        "legal_source": "Spanish consumer law (Real Decreto Legislativo 1/2007 and regional "
        "consumer codes)",
        "notes": "Set the region for regional holidays.",
    },
    {
        "code": "es-ley-10-2025",
        "name": "Spain — large companies and basic services (Ley 10/2025)",
        "country": "ES",
        "kinds": ["complaint", "claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 15,
        "answer_unit": "business_days",
        "must_record": "Name, ID, address, facts, request; a receipt with a tracking code.",
        "external_body": "Certified ADR entity",
        "legal_source": "Ley 10/2025 de servicios de atención a la clientela",
        "notes": "Set the region for regional holidays.",
    },
    {
        "code": "mx-profeco-une",
        "name": "Mexico — PROFECO / financial UNE",
        "country": "MX",
        "kinds": ["complaint", "claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 30,
        "answer_unit": "business_days",
        "must_record": "Consumer and provider name and address, good or service, facts; a "
        "file number.",
        "external_body": "PROFECO, CONDUSEF",
        "legal_source": "Ley de Protección y Defensa al Usuario de Servicios Financieros "
        "(UNE: 30 business days)",
    },
    {
        "code": "cn-12315",
        "name": "China — SAMR complaint measures (12315)",
        "country": "CN",
        "kinds": ["complaint", "claim"],
        "ack_amount": 7,
        "ack_unit": "business_days",
        "answer_amount": 10,
        "answer_unit": "business_days",
        "must_record": "Complainant name, phone, address; respondent; request and facts.",
        "external_body": "Local market regulator (12315)",
        "legal_source": "市场监督管理投诉举报处理暂行办法 (SAMR Order 20): acceptance decided "
        "within 7 working days; company settlement on 12315 within 10 working days",
        "notes": "Working days include make-up working weekends (调休). Mediation ends at 45 "
        "working days.",
    },
    {
        "code": "ee-tarbijakaitseseadus",
        "name": "Estonia — Consumer Protection Act (kaebus)",
        "country": "EE",
        "kinds": ["complaint", "claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 15,
        "answer_unit": "calendar_days",
        "pauses": "If an answer in time is impossible: a written notice with the reasons and "
        "a new date. Silence counts as refusal.",
        "must_record": "Name, contact, date, defect, claim, purchase document.",
        "external_body": "Tarbijavaidluste komisjon",
        "legal_source": "Tarbijakaitseseadus (Consumer Protection Act)",
        "unconfirmed": True,
        "notes": "15 calendar days is not confirmed against the statute text.",
    },
    {
        "code": "eu-adr",
        "name": "EU — ADR Directive 2013/11/EU (dispute referred to ADR)",
        "country": "",
        "kinds": ["claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 90,
        "answer_unit": "calendar_days",
        "pauses": "Counted from the complete file; complex cases may be extended.",
        "external_body": "National ADR entity",
        "legal_source": "Directive 2013/11/EU, art. 8(e)",
        "unconfirmed": True,
        "notes": "90 days from the complete file is not confirmed against the text.",
    },
    {
        "code": "gb-fca-disp",
        "name": "UK — FCA DISP financial complaint (8 weeks)",
        "country": "GB",
        "subdivision": "ENG",
        "kinds": ["complaint", "claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 56,
        "answer_unit": "calendar_days",
        "pauses": "A holding response when more time is needed; resolved within 3 business "
        "days: a summary resolution letter.",
        "must_record": "Final response with reasons, the ombudsman leaflet and the 6-month "
        "referral right.",
        "external_body": "Financial Ombudsman Service",
        "legal_source": "FCA Handbook DISP 1.6",
    },
    {
        "code": "gb-fca-payments",
        "name": "UK — FCA DISP payment services (15 business days)",
        "country": "GB",
        "subdivision": "ENG",
        "kinds": ["complaint", "claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 15,
        "answer_unit": "business_days",
        "extension_amount": 20,
        "pauses": "In exceptional circumstances a holding reply extends the term to 35 "
        "business days.",
        "external_body": "Financial Ombudsman Service",
        "legal_source": "FCA Handbook DISP 1.6.2A (payment services and e-money)",
    },
    {
        "code": "us-cfpb",
        "name": "US — CFPB consumer-finance complaint",
        "country": "US",
        "kinds": ["complaint", "claim"],
        "ack_amount": 24,
        "ack_unit": "hours",
        "answer_amount": 15,
        "answer_unit": "calendar_days",
        "extension_amount": 45,
        "pauses": 'An "in progress" response extends the final answer to 60 days.',
        "must_record": "Steps taken, communications.",
        "external_body": "Consumer Financial Protection Bureau",
        "legal_source": "CFPB company portal response expectations (15 / 60 calendar days)",
    },
    {
        # Not a statute: the company's own commitment for complaints made in public on a
        # social network (J3). A public case takes it only when it answers sooner than the
        # case's legal term (resuelve.social).
        "code": "social-public",
        "name": "Public complaint on a social network (company commitment)",
        "country": "",
        "kinds": [],
        "ack_amount": 1,
        "ack_unit": "hours",
        "answer_amount": 72,
        "answer_unit": "hours",
        "pauses": "Waiting for the customer's private contact details stops the clock.",
        "must_record": "The post's address and author; every public reply, approved by a "
        "supervisor.",
        "legal_source": "Company policy for public complaints (ISO 10002:2018 principle of "
        "responsiveness); the legal term of the customer's country still applies",
    },
]


def load_presets(policy_model: Any) -> int:
    """Create the presets that are missing (by code); never overwrite an edited one."""
    existing = set(policy_model.objects.values_list("code", flat=True))
    missing = [policy_model(**row) for row in PRESETS if row["code"] not in existing]
    policy_model.objects.bulk_create(missing)
    return len(missing)

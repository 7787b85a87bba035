"""Reading one value of a customer or purchase as shops and ERPs write it: words for tiers,
channels, languages and yes/no in the four served languages, dates as ISO or day/month/year,
times as HH:MM, amounts with either decimal mark. Pure: no database access.

Each reader takes what a CSV cell, an XLSX cell or a JSON value holds (text, a number, a
date, a time, a boolean) and returns the stored value, or raises `Refused` with a translated
sentence saying what is wrong.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from resuelve.core.text import fold
from resuelve.customers.models import ContactChannel, Tier, normalize_email


class Refused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Words people put in their spreadsheets, folded (resuelve.core.text.fold).
TIER_WORDS: dict[str, str] = {
    **{value: value for value in Tier.values},
    "no": Tier.NONE,
    "ninguno": Tier.NONE,
    "ninguna": Tier.NONE,
    "not a member": Tier.NONE,
    "no member": Tier.NONE,
    "no socio": Tier.NONE,
    "无": Tier.NONE,
    "非会员": Tier.NONE,
    "puudub": Tier.NONE,
    "plata": Tier.SILVER,
    "银": Tier.SILVER,
    "银卡": Tier.SILVER,
    "hobe": Tier.SILVER,
    "oro": Tier.GOLD,
    "金": Tier.GOLD,
    "金卡": Tier.GOLD,
    "kuld": Tier.GOLD,
    "platino": Tier.PLATINUM,
    "白金": Tier.PLATINUM,
    "白金卡": Tier.PLATINUM,
    "plaatina": Tier.PLATINUM,
}
CHANNEL_WORDS: dict[str, str] = {
    **{value: value for value in ContactChannel.values},
    "e-mail": ContactChannel.EMAIL,
    "mail": ContactChannel.EMAIL,
    "correo": ContactChannel.EMAIL,
    "correo electronico": ContactChannel.EMAIL,
    "电子邮件": ContactChannel.EMAIL,
    "邮件": ContactChannel.EMAIL,
    "e-post": ContactChannel.EMAIL,
    "telephone": ContactChannel.PHONE,
    "call": ContactChannel.PHONE,
    "telefono": ContactChannel.PHONE,
    "llamada": ContactChannel.PHONE,
    "电话": ContactChannel.PHONE,
    "telefon": ContactChannel.PHONE,
    "text": ContactChannel.SMS,
    "text message": ContactChannel.SMS,
    "mensaje de texto": ContactChannel.SMS,
    "短信": ContactChannel.SMS,
    "tekstisonum": ContactChannel.SMS,
    "messaging app": ContactChannel.MESSAGING,
    "whatsapp": ContactChannel.MESSAGING,
    "mensajeria": ContactChannel.MESSAGING,
    "微信": ContactChannel.MESSAGING,
    "即时通讯": ContactChannel.MESSAGING,
    "sonumirakendus": ContactChannel.MESSAGING,
    "carta": ContactChannel.LETTER,
    "correo postal": ContactChannel.LETTER,
    "post": ContactChannel.LETTER,
    "信件": ContactChannel.LETTER,
    "kiri": ContactChannel.LETTER,
}
LANGUAGE_WORDS: dict[str, str] = {
    **{code: code for code, _name in settings.LANGUAGES},
    "zh": "zh-hans",
    "zh-cn": "zh-hans",
    "zh_hans": "zh-hans",
    "es-co": "es",
    "es_co": "es",
    "en-us": "en",
    "en-gb": "en",
    "spanish": "es",
    "espanol": "es",
    "english": "en",
    "ingles": "en",
    "chinese": "zh-hans",
    "中文": "zh-hans",
    "estonian": "et",
    "eesti": "et",
}
YES = {"yes", "y", "true", "t", "1", "si", "s", "x", "是", "是的", "同意", "jah", "ja"}
NO = {"no", "n", "false", "f", "0", "否", "不", "不同意", "ei"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_TIME = re.compile(r"(\d{1,2})[:.h](\d{2})(?::(\d{2}))?")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
AMOUNT_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any, max_length: int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = str(value).strip()
    if _CONTROL.search(found):
        raise Refused(_("Control characters and invalid Unicode are not accepted."))
    if len(found) > max_length:
        raise Refused(_("Ensure this value has at most %(max)s characters.") % {"max": max_length})
    return found


def reference(value: Any) -> str:
    """An external reference: text on one line (it is a URL path in the API and a header
    value in its answers), at most 80 characters."""
    found = text(value, 80)
    if any(c in found for c in "\r\n\t"):
        raise Refused(_("A reference is one line of text, without tabs or line breaks."))
    return found


def email(value: Any) -> str:
    found = normalize_email(text(value, 254))
    try:
        validate_email(found)
    except ValidationError:
        raise Refused(_("“%(value)s” is not an e-mail address.") % {"value": found}) from None
    return found


def _word(value: Any, words: dict[str, str]) -> str | None:
    return words.get(fold(str(value).strip()))


def tier(value: Any) -> str:
    found = _word(value, TIER_WORDS)
    if found is None:
        raise Refused(
            _("Unknown membership tier “%(value)s”; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(Tier.values)}
        )
    return found


def channel(value: Any) -> str:
    found = _word(value, CHANNEL_WORDS)
    if found is None:
        raise Refused(
            _("Unknown channel “%(value)s”; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(ContactChannel.values)}
        )
    return found


def language(value: Any) -> str:
    found = _word(value, LANGUAGE_WORDS)
    if found is None:
        raise Refused(
            _("Language “%(value)s” is not served; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(code for code, _n in settings.LANGUAGES)}
        )
    return found


def consent(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = fold(str(value).strip())
    if word in YES:
        return True
    if word in NO:
        return False
    raise Refused(_("Cannot read “%(value)s” as yes or no.") % {"value": value})


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def time_zone(value: Any) -> str:
    name = str(value).strip()
    found = _zones().get(name.casefold())
    if found is None:
        raise Refused(
            _("Unknown time zone “%(value)s”; use an IANA name such as America/Bogota.")
            % {"value": name}
        )
    return found


def country(value: Any) -> str:
    code = str(value).strip()
    if not _COUNTRY.fullmatch(code):
        raise Refused(
            _("“%(value)s” is not a two-letter country code (ISO 3166).") % {"value": code}
        )
    return code.upper()


def currency(value: Any) -> str:
    code = str(value).strip()
    if not _CURRENCY.fullmatch(code):
        raise Refused(
            _("“%(value)s” is not a three-letter currency code (ISO 4217).") % {"value": code}
        )
    return code.upper()


def day(value: Any) -> date:
    """A date: a spreadsheet date, YYYY-MM-DD (a time after it is ignored) or DD/MM/YYYY."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    try:
        if len(raw) >= 10 and raw[4] == "-" and (len(raw) == 10 or raw[10] in " T"):
            return date.fromisoformat(raw[:10])
        found = _DAY_MONTH_YEAR.fullmatch(raw)
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        pass
    raise Refused(
        _("Cannot read the date “%(value)s”; write it as YYYY-MM-DD or DD/MM/YYYY.")
        % {"value": raw}
    )


def clock_time(value: Any) -> time:
    """A time of day: a spreadsheet time, or HH:MM (24 hours; seconds allowed)."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0, tzinfo=None)
    raw = str(value).strip()
    found = _TIME.fullmatch(raw)
    if found:
        hours, minutes, seconds = int(found[1]), int(found[2]), int(found[3] or 0)
        if hours < 24 and minutes < 60 and seconds < 60:
            return time(hours, minutes, seconds)
    raise Refused(
        _("Cannot read the time “%(value)s”; write it as HH:MM (24 hours).") % {"value": raw}
    )


def weekdays(value: Any) -> str:
    """ISO weekday digits, e.g. "12345" (separators allowed: "1, 2, 3"), kept sorted."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    digits = re.sub(r"[\s,;/]", "", raw)
    if not digits or any(c not in "1234567" for c in digits):
        raise Refused(
            _("“%(value)s” is not a list of weekdays (1 Monday … 7 Sunday), e.g. 12345.")
            % {"value": raw}
        )
    return "".join(sorted(set(digits)))


def amount(value: Any) -> Decimal:
    """A non-negative amount with at most two decimals. In text, the last of "." and ","
    is the decimal mark when both appear; a lone mark is decimal unless it repeats
    (1.234.567)."""
    if isinstance(value, bool):
        raise Refused(_("Cannot read the amount “%(value)s”.") % {"value": value})
    try:
        if isinstance(value, Decimal | int):
            found = Decimal(value)
        elif isinstance(value, float):
            found = Decimal(repr(value))
        else:
            found = Decimal(_amount_text(str(value)))
    except (InvalidOperation, ValueError):
        raise Refused(_("Cannot read the amount “%(value)s”.") % {"value": value}) from None
    if not found.is_finite():
        raise Refused(_("Cannot read the amount “%(value)s”.") % {"value": value})
    if found < 0:
        raise Refused(_("The amount cannot be negative."))
    if found != found.quantize(Decimal("0.01")) or found > AMOUNT_MAX:
        raise Refused(_("Enter an amount with at most 12 digits before the point and 2 after it."))
    return found.quantize(Decimal("0.01"))


def _amount_text(raw: str) -> str:
    cleaned = re.sub(r"[\s\u00a0\u202f'’$€£¥]", "", raw)
    if "," in cleaned and "." in cleaned:
        mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        other = "." if mark == "," else ","
        cleaned = cleaned.replace(other, "").replace(mark, ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1 or cleaned.count(".") > 1:
        cleaned = cleaned.replace(",", "").replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(raw)
    return cleaned


def memo(reader: Any) -> Any:
    """`reader` remembering what it read from text: an export repeats the same tiers,
    channels, zones and dates thousands of times. Refusals are not kept (they are rare,
    and their message is in the language of the moment)."""
    known: dict[str, Any] = {}

    def cached(value: Any) -> Any:
        if type(value) is not str:
            return reader(value)
        try:
            return known[value]
        except KeyError:
            found = reader(value)
            if len(known) < 50_000:
                known[value] = found
            return found

    cached.__doc__ = reader.__doc__
    return cached


# --- a whole record ---------------------------------------------------------------------------

Reader = Any  # a function: a cell or JSON value -> the stored value (raises Refused)

_day = memo(day)
_time = memo(clock_time)
_consent = memo(consent)
CUSTOMER_READERS: dict[str, Reader] = {
    "external_ref": reference,
    "name": lambda v: text(v, 200),
    "email": email,
    "phone": lambda v: text(v, 40),
    "id_document": lambda v: text(v, 40),
    "address": lambda v: text(v, 300),
    "language": memo(language),
    "tier": memo(tier),
    "member_since": _day,
    "renewal_on": _day,
    "birthday": _day,
    "preferred_channel": memo(channel),
    "region": lambda v: text(v, 120),
    "country": memo(country),
    "time_zone": memo(time_zone),
    "contact_hours": lambda v: text(v, 80),
    "consent_email": _consent,
    "consent_phone": _consent,
    "consent_sms": _consent,
    "consent_messaging": _consent,
    "consent_letter": _consent,
    "quiet_from": _time,
    "quiet_until": _time,
    "contact_from": _time,
    "contact_until": _time,
    "contact_days": memo(weekdays),
}
PURCHASE_READERS: dict[str, Reader] = {
    "external_ref": reference,
    "customer": lambda v: text(v, 80),
    "product": lambda v: text(v, 60),
    "product_name": lambda v: text(v, 200),
    "order_number": lambda v: text(v, 60),
    "branch": lambda v: text(v, 120),
    "purchased_on": _day,
    "amount": amount,
    "currency": memo(currency),
    "batch": lambda v: text(v, 60),
}
READERS = {"customers": CUSTOMER_READERS, "purchases": PURCHASE_READERS}


def check_values(
    target: str, raw: dict[str, Any], *, required: tuple[str, ...] | list[str] = ()
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The stored values of the fields `raw` fills (field -> cell or JSON value) and the
    errors per field, for "customers" or "purchases". Blank values are left out: they
    change nothing."""
    readers = READERS[target]
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in raw.items():
        if value is None or (type(value) is str and not value.strip()):
            continue
        try:
            values[name] = readers[name](value)
        except Refused as refused:
            errors[name] = [refused.message]
    for name in required:
        if name not in values and name not in errors:
            errors[name] = [_("This field is required.")]
    return values, errors

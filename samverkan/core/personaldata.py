"""Personal-data guard for free text: Swedish personnummer/samordningsnummer, phone numbers, e-mail
(also written to dodge harvesters: "kalle(at)exempel.se", "kalle @ exempel.se", "… at … dot se").

Free text must not identify people (docs/domain.md, "Personal data"). The rule has two strengths:

* **öppen** content: blocked. Forms get a field error, and services call `ensure_publishable` so the
  rule also holds for the API and every other caller that skips the form.
* **intern/begränsad** content: a warning that blocks saving until the user ticks "Jag har kontrollerat
  texten och uppgifterna behövs". That acknowledgement is a form affordance only; services do not check it.

Wiring a form and its service::

    class ReportForm(PersonalDataCheck, ConfidentialityFields):
        personal_data_fields = ("title", "body")   # checked in clean(), using the form's `level`
        title = forms.CharField(...)
        body = forms.CharField(...)

    # template: show form.acknowledge_personal_data when form.personal_data_findings is non-empty;
    # {% for name, found in form.personal_data_findings.items %}{% for f in found %}{{ f.label }}…

    def report_create(*, title: str, body: str, level: str, acting_user: Any) -> Report:
        if level == Level.OPPEN:
            ensure_publishable(title=title, body=body)   # ValidationError({"body": [...]})
        ...

A form without a `level` field (say, text that is always public) can use `check_free_text` directly, or put
`validate_no_personal_data` on the field. Detection is by pattern, so it is a guard against slips, not a
guarantee: see the tests for what is and is not caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.models import Level

Kind = Literal["personnummer", "samordningsnummer", "telefon", "epost"]

KIND_LABELS: dict[str, Any] = {
    "personnummer": gettext_lazy("ett personnummer"),
    "samordningsnummer": gettext_lazy("ett samordningsnummer"),
    "telefon": gettext_lazy("ett telefonnummer"),
    "epost": gettext_lazy("en e-postadress"),
}
ACKNOWLEDGE_LABEL = gettext_lazy("Jag har kontrollerat texten och uppgifterna behövs")

# Separators people actually type: hyphen, the en dash word processors turn it into, (no-break) space.
_DASH = "\\-\u2013"
_SPACE = " \u00a0"

# 10 or 12 digits, never part of a longer digit run. Centuries are limited to 18–20 so a 12-digit
# organisationsnummer ("16" + number) is not read as a date.
_IDENTITY = re.compile(
    rf"(?<!\d)(?P<century>1[89]|20)?(?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d)(?P<sep>[{_DASH}+{_SPACE}]?)"
    r"(?P<serial>\d{3})(?P<check>\d)(?!\d)"
)

# Prefix = trunk 0 + area code, or +46/0046 (optionally "(0)") + area code; then the subscriber number,
# which never starts with 0. Later groups are 2–3 digits the way Swedes write them ("123 45 67"); that
# also keeps dates ("01-12-2024") and runs of kommunkoder ("0180 0114") out.
_PHONE = re.compile(
    rf"""
    (?<![\w+/{_DASH}])
    (?P<prefix>
        (?:\+|00)46[{_SPACE}{_DASH}]?(?:\(0\)[{_SPACE}]?)?[1-9]\d{{0,2}}
      | \(0[1-9]\d{{0,2}}\)
      | 0[1-9]\d{{0,2}}
    )
    (?:[{_SPACE}]?[{_DASH}][{_SPACE}]?|[{_SPACE}])?
    [1-9]\d{{1,7}}(?:[{_SPACE}{_DASH}]\d{{2,3}}){{0,4}}
    (?![\w{_DASH}])
    """,
    re.VERBOSE,
)

_EMAIL = re.compile(
    r"(?<![\w.%+-])(?P<local>[\w.%+-]+)@(?P<domain>(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,})(?![\w-])"
)

# Addresses written so a harvester misses them, which a reader still copies: "kalle(at)exempel.se",
# "kalle [at] exempel [dot] se", "kalle @ exempel.se", "kalle at exempel dot se", "kalle snabel-a
# exempel punkt se", the full-width "＠". A bracketed or spaced "@" is an address whatever follows; the
# bare word "at" (not Swedish, but English in quotes) only when the domain ends in a common top-level
# domain, so ordinary text is left alone. Whitespace never crosses a line.
_WS = "[ \t\u00a0]"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT_WORD = r"(?i:at|snabel-?a)"
_DOT_WORD = r"(?i:dot|punkt)"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOT = rf"(?:\.|{_WS}*{_OPEN}{_WS}*(?:{_DOT_WORD}|\.){_WS}*{_CLOSE}{_WS}*|{_WS}+{_DOT_WORD}{_WS}+)"
_OBFUSCATED_EMAIL = re.compile(
    rf"""
    (?<![\w.%+-])(?P<local>[\w.%+-]*\w)
    (?:
        (?P<bracketed>{_WS}*{_OPEN}{_WS}*(?:{_AT_WORD}|[@\uff20]){_WS}*{_CLOSE}{_WS}*)
      | (?P<spaced>{_WS}*[@\uff20]{_WS}+|{_WS}+[@\uff20]{_WS}*|\uff20)
      | (?P<word>{_WS}+{_AT_WORD}{_WS}+)
    )
    (?P<domain>(?:{_LABEL}{_DOT})+(?P<tld>[^\W\d_]{{2,}}))
    (?![\w-])
    """,
    re.VERBOSE,
)
_DOT_SPLIT = re.compile(_DOT)
# The bare word "at" counts only before these (Swedish and neighbouring addresses, the generic ones).
_COMMON_TLDS = frozenset(
    "se nu com org net eu info io biz dk no fi is de uk nl fr es it at ch be pl ee lv lt gov edu".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text: `text[start:end] == matched`, `masked` is safe to display."""

    kind: Kind
    start: int
    end: int
    matched: str
    masked: str

    @property
    def label(self) -> str:
        """For messages and templates: "ett personnummer (19811218-****)"."""
        return f"{KIND_LABELS[self.kind]} ({self.masked})"


def find_personal_data(text: str, *, today: date | None = None) -> list[Finding]:
    """Every personnummer, samordningsnummer, phone number and e-mail address in `text`, in order.

    `today` decides the century of 10-digit numbers; it defaults to the current date.
    """
    today = today or date.today()
    found: list[Finding] = []
    # In priority order: a span already taken (an e-mail with digits, a personnummer starting with 0)
    # is reported once, as the more specific kind.
    for candidate in (*_emails(text), *_identity_numbers(text, today), *_phones(text)):
        if not any(candidate.start < f.end and f.start < candidate.end for f in found):
            found.append(candidate)
    return sorted(found, key=lambda f: f.start)


def contains_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))


def mask_personal_data(text: str) -> str:
    """`text` with every finding replaced by its masked form."""
    for finding in reversed(find_personal_data(text)):
        text = text[: finding.start] + finding.masked + text[finding.end :]
    return text


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check that the last digit of a personnummer is."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _birth_date(m: re.Match[str], today: date, day: int) -> date | None:
    month = int(m["mm"])
    if m["century"]:
        year = int(m["century"]) * 100 + int(m["yy"])
    else:
        # 10 digits: the most recent year that is not in the future; "+" marks someone 100 or older.
        year = today.year // 100 * 100 + int(m["yy"])
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
        if m["sep"] == "+":
            year -= 100
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    return born if born <= today else None


def _identity_numbers(text: str, today: date) -> Iterator[Finding]:
    for m in _IDENTITY.finditer(text):
        day = int(m["dd"])
        # Samordningsnummer: the day plus 60.
        kind: Kind = "samordningsnummer" if day > 60 else "personnummer"
        if day > 60:
            day -= 60
        ten = m["yy"] + m["mm"] + m["dd"] + m["serial"] + m["check"]
        if luhn_ok(ten) and _birth_date(m, today, day) is not None:
            yield Finding(kind, m.start(), m.end(), m[0], m[0][:-4] + "****")


def _phones(text: str) -> Iterator[Finding]:
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m[0])
        if m[0].startswith(("+46", "0046")):
            rest = digits[2:] if m[0].startswith("+") else digits[4:]
            digits = rest if rest.startswith("0") else "0" + rest
        if not 8 <= len(digits) <= 13:
            continue
        # Keep the area code and the last two digits: enough to recognise, too little to call.
        prefix, tail = m["prefix"], m[0][len(m["prefix"]) :]
        last_two = len(tail) - [i for i, ch in enumerate(tail) if ch.isdigit()][-2]
        masked_tail = re.sub(r"\d", "*", tail[:-last_two]) + tail[-last_two:]
        yield Finding("telefon", m.start(), m.end(), m[0], prefix + masked_tail)


def _emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding("epost", m.start(), m.end(), m[0], f"{m['local'][0]}***@{m['domain']}")
    for m in _OBFUSCATED_EMAIL.finditer(text):
        if m["word"] and m["word"].strip().lower() == "at" and m["tld"].lower() not in _COMMON_TLDS:
            continue
        domain = ".".join(label for label in _DOT_SPLIT.split(m["domain"]) if label)
        yield Finding("epost", m.start(), m.end(), m[0], f"{m['local'][0]}***@{domain}")


# --- Django: validator, services, forms ----------------------------------------------------------


def _described(findings: list[Finding]) -> str:
    return ", ".join(dict.fromkeys(f.label for f in findings))


def _blocking_error(findings: list[Finding]) -> ValidationError:
    return ValidationError(
        _(
            "Texten innehåller något som ser ut som %(found)s. Ta bort det – uppgifter om enskilda "
            "personer får inte finnas i öppet innehåll."
        ),
        code="personal_data",
        params={"found": _described(findings)},
    )


def _warning(findings: list[Finding]) -> ValidationError:
    return ValidationError(
        _(
            "Texten innehåller något som ser ut som %(found)s. Ta bort det om det inte behövs, eller "
            "kryssa i ”%(acknowledge)s” för att spara ändå."
        ),
        code="personal_data_warning",
        params={"found": _described(findings), "acknowledge": ACKNOWLEDGE_LABEL},
    )


def validate_no_personal_data(value: str) -> None:
    """Field validator for text that is always public: `CharField(validators=[validate_no_personal_data])`."""
    findings = find_personal_data(value or "")
    if findings:
        raise _blocking_error(findings)


def ensure_publishable(**texts: str | None) -> None:
    """Service-layer rule for öppen content: raise ValidationError keyed by field name if any text holds
    personal data. Call it when the level is (or becomes) öppen: `ensure_publishable(title=t, body=b)`.
    """
    errors = {
        name: [_blocking_error(found)]
        for name, value in texts.items()
        if (found := find_personal_data(value or ""))
    }
    if errors:
        raise ValidationError(errors)


def check_free_text(
    form: forms.Form, fields: Iterable[str], *, level: str, acknowledged: bool
) -> dict[str, list[Finding]]:
    """From a form's `clean()`: add an error to each of `fields` whose cleaned text holds personal data.

    öppen: a blocking error (code "personal_data") that no acknowledgement lifts. intern/begränsad: a
    warning error (code "personal_data_warning") unless `acknowledged`. Returns the findings per field,
    also when acknowledged, so the template can list what was found.
    """
    findings: dict[str, list[Finding]] = {}
    for name in fields:
        value = form.cleaned_data.get(name)
        found = find_personal_data(value) if isinstance(value, str) else []
        if not found:
            continue
        findings[name] = found
        if level == Level.OPPEN:
            form.add_error(name, _blocking_error(found))
        elif not acknowledged:
            form.add_error(name, _warning(found))
    return findings


class PersonalDataCheck(forms.Form):
    """Form base that runs `check_free_text` on `personal_data_fields` in `clean()`.

    The level comes from the form's `level` field (see ConfidentialityFields) or, for a form without
    one, from `personal_data_level`. After validation `personal_data_findings` maps field → findings.
    """

    personal_data_fields: ClassVar[tuple[str, ...]] = ()
    personal_data_level: ClassVar[str] = Level.OPPEN

    acknowledge_personal_data = forms.BooleanField(label=ACKNOWLEDGE_LABEL, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.personal_data_findings: dict[str, list[Finding]] = {}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or self.cleaned_data
        if "level" in self.fields and "level" not in cleaned:
            return cleaned  # the level itself is invalid; which rule applies is decided on the next submit
        self.personal_data_findings = check_free_text(
            self,
            self.personal_data_fields,
            level=cleaned.get("level", self.personal_data_level),
            # Popped: the tick box is the form's business; services take only their own fields.
            acknowledged=bool(cleaned.pop("acknowledge_personal_data", False)),
        )
        return cleaned

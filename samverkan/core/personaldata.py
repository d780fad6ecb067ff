"""Personal-data guard for free text: Swedish personnummer/samordningsnummer, phone numbers, e-mail
(also written to dodge harvesters: "kalle(at)exempel.se", "kalle @ exempel.se", "… at … dot se").

Free text must not identify people (docs/domain.md, "Personal data"). A lägesbild, a notice or an
agreement is about patterns, not persons, so the rule has three strengths:

* **personnummer and samordningsnummer**: refused in free text at **every** level. Forms get a field
  error that no acknowledgement lifts; services refuse them through the writing kit
  (``core.content.guard_public_text`` calls ``ensure_no_identity_numbers``), so the API answers 422
  naming the field and no door lets one in.
* **phone numbers and e-mail in öppen content**: refused the same way (``ensure_publishable``).
* **phone numbers and e-mail in intern/begränsad content**: a warning that blocks saving until the
  writer ticks "Jag har kontrollerat texten och uppgifterna behövs" beside the field. What the saved
  text already held was confirmed when it was saved and is not asked about again. The acknowledgement
  is a form affordance only; services do not check it.

Copies of text outside the content (the audit log's labels and diffs) keep no identifier at all:
``mask_personal_data`` masks every finding before it is written and when old entries are shown.

Wiring a form and its service::

    class ReportForm(PersonalDataCheck, ConfidentialityFields):
        personal_data_fields = ("title", "body")   # checked in clean(), using the form's `level`
        title = forms.CharField(...)
        body = forms.CharField(...)

    # template: show form.acknowledge_personal_data when form.personal_data_warnings is non-empty;
    # {% for name, found in form.personal_data_findings.items %}{% for f in found %}{{ f.label }}…

    def report_create(*, title: str, body: str, level: str, acting_user: Any) -> Report:
        ensure_no_identity_numbers(title=title, body=body)   # ValidationError({"body": [...]})
        if level == Level.OPPEN:
            ensure_publishable(title=title, body=body)
        ...

(Levelled models get both through ``core.content.guard_public_text`` / ``content_save``.) A form without
a `level` field (say, text that is always public) can use `check_free_text` directly, or put
`validate_no_personal_data` on the field. Detection is by pattern, so it is a guard against slips, not a
guarantee: see the tests for what is and is not caught.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.models import Level

Kind = Literal["personnummer", "samordningsnummer", "telefon", "epost"]
# Identify one person beyond doubt: refused in free text at every level, whatever the writer confirms.
IDENTITY_KINDS: frozenset[str] = frozenset({"personnummer", "samordningsnummer"})

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
# What every address above holds (an "@", or "at"/"snabel-a" between spaces or brackets): a text without
# it is not searched with the patterns, which try every word of a long text as an address's start.
_MAYBE_OBFUSCATED_EMAIL = re.compile(r"[@\uff20]|(?<=[\s(\[{<])(?i:at|snabel-?a)(?=[\s)\]}>])")
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


# Long texts scanned recently, with what was found: a save scans a text twice (the guard, then the audit's
# masking of the same text in its diff), and a refreshed draft writes the texts it wrote before (an
# agenda's follow-up point of 200 actions is ~60,000 characters). Bounded: at most MEMO_ENTRIES texts of at
# most MEMO_MAX_CHARS each (≤ 6.4 MB); short texts are scanned every time, as fast as they are looked up.
MEMO_ENTRIES = 32
MEMO_MIN_CHARS = 256
MEMO_MAX_CHARS = 200_000


def find_personal_data(text: str, *, today: date | None = None) -> list[Finding]:
    """Every personnummer, samordningsnummer, phone number and e-mail address in `text`, in order.

    `today` decides the century of 10-digit numbers; it defaults to the current date.
    """
    today = today or date.today()
    if MEMO_MIN_CHARS <= len(text) <= MEMO_MAX_CHARS:
        return list(_scan_remembered(text, today))
    return _scan(text, today)


@functools.lru_cache(maxsize=MEMO_ENTRIES)
def _scan_remembered(text: str, today: date) -> tuple[Finding, ...]:
    return tuple(_scan(text, today))  # Findings are frozen: the same ones may be handed out again


def _scan(text: str, today: date) -> list[Finding]:
    found: list[Finding] = []
    # In priority order: a span already taken (an e-mail with digits, a personnummer starting with 0)
    # is reported once, as the more specific kind.
    for candidate in (*_emails(text), *_identity_numbers(text, today), *_phones(text)):
        if not any(candidate.start < f.end and f.start < candidate.end for f in found):
            found.append(candidate)
    return sorted(found, key=lambda f: f.start)


def contains_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))


def mask_personal_data(text: str, *, keep: Collection[str] = ()) -> str:
    """`text` with every finding (except those of the kinds in `keep`) replaced by its masked form."""
    for finding in reversed(find_personal_data(text)):
        if finding.kind not in keep:
            text = text[: finding.start] + finding.masked + text[finding.end :]
    return text


def mask_all(value: Any, *, keep: Collection[str] = ()) -> Any:
    """`value` (a JSON value: text, list, dict, number) with personal data masked in every string."""
    if isinstance(value, str):
        return mask_personal_data(value, keep=keep)
    if isinstance(value, list | tuple):
        # A list of ids (a drafted point's source names hundreds) holds nothing to mask: not walked.
        return [v if isinstance(v, int) else mask_all(v, keep=keep) for v in value]
    if isinstance(value, dict):
        return {k: mask_all(v, keep=keep) for k, v in value.items()}
    return value


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
    if "@" in text:
        for m in _EMAIL.finditer(text):
            yield Finding("epost", m.start(), m.end(), m[0], f"{m['local'][0]}***@{m['domain']}")
    if _MAYBE_OBFUSCATED_EMAIL.search(text) is None:
        return
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


def _identity_error(findings: list[Finding]) -> ValidationError:
    return ValidationError(
        _(
            "Texten innehåller något som ser ut som %(found)s. Ta bort det – personnummer och "
            "samordningsnummer får aldrig finnas i fritext, inte heller i internt eller begränsat innehåll."
        ),
        code="identity_number",
        params={"found": _described(findings)},
    )


def _identities(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.kind in IDENTITY_KINDS]


def _warning(findings: list[Finding]) -> ValidationError:
    return ValidationError(
        _(
            "Texten innehåller något som ser ut som %(found)s. Ta bort det om det inte behövs, eller "
            "kryssa i ”%(acknowledge)s” för att spara ändå."
        ),
        code="personal_data_warning",
        params={"found": _described(findings), "acknowledge": ACKNOWLEDGE_LABEL},
    )


def ensure_no_identity_numbers(**texts: str | None) -> None:
    """Service-layer rule for text at every level: raise ValidationError keyed by field name if any text
    holds a personnummer or samordningsnummer: `ensure_no_identity_numbers(title=t, body=b)`.
    """
    errors = {
        name: [_identity_error(found)]
        for name, value in texts.items()
        if (found := _identities(find_personal_data(value or "")))
    }
    if errors:
        raise ValidationError(errors)


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
    form: forms.Form,
    fields: Iterable[str],
    *,
    level: str,
    acknowledged: bool | Collection[str],
    saved: Mapping[str, Any] | None = None,
) -> dict[str, list[Finding]]:
    """From a form's `clean()`: add an error to each of `fields` whose cleaned text holds personal data.

    A personnummer or samordningsnummer: a blocking error (code "identity_number") at every level.
    Other findings in öppen text: a blocking error (code "personal_data"). In intern/begränsad text: a
    warning error (code "personal_data_warning") unless `acknowledged` (True, or the names of the fields
    whose tick box is ticked), and only for what is new: a finding the `saved` text of that field already
    held was confirmed when it was saved. Returns the findings per field, also when acknowledged, so the
    template can list what was found.
    """
    findings: dict[str, list[Finding]] = {}
    for name in fields:
        value = form.cleaned_data.get(name)
        found = find_personal_data(value) if isinstance(value, str) else []
        if not found:
            continue
        findings[name] = found
        identities = _identities(found)
        if identities:
            form.add_error(name, _identity_error(identities))
        elif level == Level.OPPEN:
            form.add_error(name, _blocking_error(found))
        elif not (acknowledged is True or (not isinstance(acknowledged, bool) and name in acknowledged)):
            before = (saved or {}).get(name)
            confirmed = {f.matched for f in find_personal_data(before)} if isinstance(before, str) else set()
            new = [f for f in found if f.matched not in confirmed]
            if new:
                form.add_error(name, _warning(new))
    return findings


def warned_fields(form: forms.Form) -> list[str]:
    """The fields whose only way forward is the writer's acknowledgement (a personal-data warning)."""
    return [
        name
        for name in form.errors
        if name in form.fields and form.has_error(name, code="personal_data_warning")
    ]


class PersonalDataCheck(forms.Form):
    """Form base that runs `check_free_text` on `personal_data_fields` in `clean()`.

    The level comes from the form's `level` field (see ConfidentialityFields) or, for a form without
    one, from `personal_data_level`. The form's `initial` is the saved text (an edit form starts from
    it), whose findings were confirmed when it was saved. After validation `personal_data_findings`
    maps field → findings, and `personal_data_warnings` names the fields the tick box would release;
    the template shows the tick box after the first of them, beside the text it concerns.
    """

    personal_data_fields: ClassVar[tuple[str, ...]] = ()
    personal_data_level: ClassVar[str] = Level.OPPEN

    acknowledge_personal_data = forms.BooleanField(label=ACKNOWLEDGE_LABEL, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.personal_data_findings: dict[str, list[Finding]] = {}

    @property
    def personal_data_warnings(self) -> list[str]:
        return warned_fields(self) if self.is_bound else []

    @property
    def acknowledgement_after(self) -> str | None:
        """The field the tick box goes beside: the first one warned about, or (once ticked, while another
        error holds the form back) the first whose confirmable findings it confirms; None: no tick box."""
        warned = self.personal_data_warnings
        if warned:
            return warned[0]
        if self.is_bound and self["acknowledge_personal_data"].value():
            for name, found in self.personal_data_findings.items():
                if any(f.kind not in IDENTITY_KINDS for f in found):
                    return name
        return None

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
            saved=self.initial,
        )
        return cleaned

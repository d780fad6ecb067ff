"""The report form's sections and questions, built in Python.

The page's template looped over ~25 questions with ~40 tags, variables and includes each: about
half of the page's time went to the template engine. This builds the same markup (tested against the
template loop it replaces, ``tests/situation/test_report_form_html.py``); the parts that do not change
between requests (a question's text, its labels) are made once per question and language and kept on
the question, which ``selectors.rounds.template_sections`` keeps per process for a used template version.
The widgets are built from their bound fields (``core.formrender.bound_html``); an edit conflict beside
an answer is rare and keeps its template (``core/_conflict.html``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from html import escape as escape_text  # Django's escape less its lazy-string check, for plain text
from typing import Any

from django.conf import settings
from django.template.loader import get_template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.core.formrender import bound_html
from samverkan.core.memo import LocalMemo
from samverkan.core.shipped import shipped
from samverkan.situation.forms.rounds import QuestionRow, ReportForm, SectionRows
from samverkan.situation.models import Answer, Question, Section, Template

# The attribute a question (or section) keeps its language-bound parts in: {language: parts}.
_PARTS = "_report_html_parts"


def _question_parts(question: Question) -> dict[str, str]:
    """The escaped texts of a question in the active language (made once per question and language)."""
    by_language: dict[str, dict[str, str]] = question.__dict__.setdefault(_PARTS, {})
    language = get_language() or ""
    parts = by_language.get(language)
    if parts is None:
        text = str(escape(shipped(question.text)))
        required = (
            format_html(' <span class="required">({})</span>', _("obligatorisk")) if question.required else ""
        )
        parts = {
            "text": text,
            "heading": text + required,
            "hidden": str(
                format_html(
                    '<p class="question__text">{}</p>\n        <p class="muted">{}</p>',
                    mark_safe(text),  # noqa: S308 - escaped above
                    _(
                        "Besvarad med begränsad sekretess som du inte kan läsa. Svaret finns kvar och "
                        "ändras inte här."
                    ),
                )
            ),
            # blocktranslate's way: the translation as it is, the question escaped into it.
            "level_label": _("Sekretessnivå")
            + '<span class="visually-hidden"> '
            + _("för svaret på ”%(q)s”") % {"q": text}
            + "</span>",
            "ack_label": '<span class="visually-hidden"> '
            + _("(svaret på ”%(q)s”)") % {"q": text}
            + "</span>",
        }
        by_language[language] = parts
    return parts


def _section_heading(section: Section) -> str:
    by_language: dict[str, str] = section.__dict__.setdefault(_PARTS, {})
    language = get_language() or ""
    heading = by_language.get(language)
    if heading is None:
        heading = str(format_html("<legend>{}</legend>\n    ", shipped(section.title)))
        if section.description:
            heading += str(format_html('<p class="muted">{}</p>\n    ', shipped(section.description)))
        by_language[language] = heading
    return heading


def answer_errors(field: Any, show_acknowledge: bool, *, oob: bool = False) -> str:
    """``situation/_answer_errors.html``: one answer's error slot (the page's; an autosave's is oob)."""
    errors = field.errors
    swap = ' hx-swap-oob="true"' if oob else ""
    asked = "1" if show_acknowledge else ""
    return (
        f'<div id="fel-{escape_text(field.html_name)}" class="question__errors"{swap}'
        f' data-for="{escape_text(field.auto_id)}" data-acknowledge="{asked}">{errors if errors else ""}</div>'
    )


def _help(field: Any) -> tuple[str, str]:
    """(the aria-describedby attribute, the help paragraph) of a field with help text, else empty."""
    if not field.help_text:
        return "", ""
    described = format_html(' aria-describedby="{}_helptext"', field.auto_id)
    paragraph = format_html('<p class="helptext" id="{}_helptext">{}</p>', field.auto_id, field.help_text)
    return str(described), str(paragraph)


def _conflict(row: QuestionRow) -> str:
    inner = get_template("core/_conflict.html").render({"conflict": row.conflict}) if row.conflict else ""
    return f'<div id="konflikt-q{row.question.pk}" class="question__conflict">{inner}</div>'


def _row(row: QuestionRow) -> str:
    parts = _question_parts(row.question)
    field = row.field
    if field is None:
        return f'\n    <div class="question">\n        {parts["hidden"]}\n    </div>\n    '
    errors = field.errors
    html = ['\n    <div class="question field--error">' if errors else '\n    <div class="question">']
    described, help_paragraph = _help(field)
    error_slot = answer_errors(field, row.show_acknowledge)
    if row.options:
        status = " choices--status" if row.question.kind == Question.Kind.STATUS else ""
        html.append(
            f'\n        <fieldset class="choice-group"{described}>'
            f"\n          <legend>{parts['heading']}</legend>"
            f"\n          {help_paragraph}"
            f"\n          {error_slot}\n"
            f'\n          <div class="choices{status}">'
            f"\n          {row.choices_html}"
            "\n          </div>\n        </fieldset>\n      "
        )
    else:
        html.append(
            f'\n        <label for="{escape_text(field.id_for_label)}" class="question__text">{parts["heading"]}</label>'
            f"\n        {help_paragraph}"
            f"\n        {error_slot}\n"
            f"\n        {bound_html(field)}"
        )
        acknowledge = row.acknowledge
        if acknowledge is not None:
            hidden = "" if row.show_acknowledge else " hidden"
            html.append(
                f'\n        <div class="field--acknowledge" id="bekrafta-{field.html_name}"{hidden}>{bound_html(acknowledge)} '
                f'<label for="{escape_text(acknowledge.id_for_label)}">{escape_text(str(acknowledge.label))}'
                f"{parts['ack_label']}</label></div>"
            )
        html.append("\n      ")
    html.append("\n      " + _conflict(row))
    level = row.level
    if level is not None:
        html.append(
            '\n      <div class="answer-level">'
            f'\n        <label for="{escape_text(level.id_for_label)}">{parts["level_label"]}</label>'
            f"\n        {level.errors}\n        {bound_html(level)}\n      </div>"
        )
    html.append("\n    </div>\n    ")
    return "".join(html)


def render_layout(layout: list[SectionRows]) -> SafeString:
    """Every section of the form with its questions (``ReportForm.layout``), as the page shows them."""
    html = []
    for group in layout:
        html.append('\n  <fieldset class="report-section">\n    ')
        html.append(_section_heading(group.section))
        html.extend(_row(row) for row in group.rows)
        html.append("\n  </fieldset>\n  ")
    return mark_safe("".join(html))  # noqa: S308 - every value escaped or built by format_html above


# --- The form as a writer opens it ---------------------------------------------------------------------

# The unbound form's markup per process, by a digest of everything it is made from (below). Per process on
# purpose: a new release restarts the processes, so markup from older code is never served.
_OPENED = LocalMemo(32)
OPENED_SECONDS = 3600


@dataclass(frozen=True)
class OpenedForm:
    """The report form as a writer opens it: the unbound form and its layout (shared by the process's
    threads: read, never changed), and their markup: the answers' hidden versions, the questions."""

    form: ReportForm
    layout: list[SectionRows]
    versions_html: SafeString
    layout_html: SafeString


def _answer_state(answer: Answer) -> tuple[Any, ...]:
    # Every value of a saved answer the form shows or carries (ReportForm: its field, level and version).
    return (
        answer.question_id,
        answer.pk,
        answer.version,
        answer.level,
        answer.status,
        answer.trend,
        answer.number,
        answer.text,
        [place.get("name", "") for place in answer.places or ()],
    )


def _opened_key(template: Template, answers: dict[int, Answer], hidden: set[int], default_level: str) -> str:
    """A digest of what the unbound form is made of: the template version (its sections and questions
    never change once a round uses it), each visible answer as saved, the questions whose answers the
    writer may not read, the level a new answer starts at, the language and the form renderer."""
    state = [
        settings.FORM_RENDERER,
        template.pk,
        template.created_at.isoformat(),
        sorted(hidden),
        default_level,
        get_language(),
        [_answer_state(answers[question_id]) for question_id in sorted(answers)],
    ]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


def opened_form(
    *,
    template: Template,
    sections: list[Section],
    answers: dict[int, Answer],
    hidden: set[int],
    default_level: str,
) -> OpenedForm:
    """The report form as it opens for these answers, made once per digest (``_opened_key``): a form of
    25 questions builds ~100 fields and their widgets, most of the page's time, and it is the same until
    an answer is saved. Only for the unbound form: a posted one shows its own data and errors."""
    key = _opened_key(template, answers, hidden, default_level)
    kept: OpenedForm | None = _OPENED.get(key)
    if kept is None:
        form = ReportForm(sections=sections, answers=answers, hidden=hidden, default_level=default_level)
        form.full_clean()  # an unbound form's (empty) errors, set now rather than by a reader's thread
        layout = form.layout()
        kept = OpenedForm(
            form=form,
            layout=layout,
            versions_html=mark_safe(form.version_fields_html()),  # noqa: S308 - bound_html escapes
            layout_html=render_layout(layout),
        )
        _OPENED.set(key, kept, OPENED_SECONDS)
    return kept

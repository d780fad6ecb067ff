"""What agreeing a round's picture would freeze, for the samordnare's confirmation step."""

from __future__ import annotations

from dataclasses import dataclass, field

from samverkan.core.models import Organisation
from samverkan.situation.models import Report, Round
from samverkan.situation.selectors.picture.shapes import Area, PictureData


@dataclass
class MissingReport:
    organisation: str
    is_police: bool


@dataclass
class AgreePreview:
    """The picture as the samordnare sees it now, and who of those asked has not submitted a report."""

    data: PictureData
    missing: list[MissingReport] = field(default_factory=list)

    @property
    def police_missing(self) -> list[str]:
        return [m.organisation for m in self.missing if m.is_police]

    @property
    def areas(self) -> list[Area]:
        return self.data.areas

    @property
    def text_count(self) -> int:
        return sum(len(area.texts) for area in self.data.areas)

    @property
    def event_count(self) -> int:
        return len(self.data.events)


def missing_reports(*, round_: Round) -> list[MissingReport]:
    """The organisations asked in ``round_`` that have not submitted a report, the police's first and
    marked (a picture without their report lacks their statistics and intelligence, which the group
    should know before it agrees)."""
    submitted = set(
        Report.objects.filter(round=round_, status=Report.Status.INSKICKAD).values_list(
            "organisation_id", flat=True
        )
    )
    missing = [
        MissingReport(name, kind == Organisation.Kind.POLIS)
        for pk, name, kind in round_.organisations.order_by("name", "pk").values_list("pk", "name", "kind")
        if pk not in submitted
    ]
    # The police first: the warning names them before the others.
    missing.sort(key=lambda m: not m.is_police)
    return missing


def agree_preview(
    *, round_: Round, data: PictureData, missing: list[MissingReport] | None = None
) -> AgreePreview:
    """``data`` is the live picture shown to the samordnare; ``missing`` the round's ``missing_reports``
    (read here when not given)."""
    return AgreePreview(data=data, missing=missing_reports(round_=round_) if missing is None else missing)

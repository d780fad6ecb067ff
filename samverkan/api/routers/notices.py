from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from samverkan.api.pagination import Pagination
from samverkan.api.schemas import NoticeIn, NoticeOut, NoticePatch
from samverkan.core import permissions, selectors, services
from samverkan.core.models import Level, Notice
from samverkan.core.visibility import record_reads

router = Router(tags=["Meddelanden"])


def _get(request: HttpRequest, notice_id: int) -> Notice:
    notice = selectors.notice_list(user=request.user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    record_reads(request.user, [notice])
    return notice


@router.get("/notices", response=list[NoticeOut])
@paginate(Pagination)
def notice_list(request: HttpRequest, collaboration: int | None = None, level: Level | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.notice_list(user=request.user)
    if collaboration is not None:
        qs = qs.filter(collaboration_id=collaboration)
    if level:
        qs = qs.filter(level=level)
    return qs


@router.get("/notices/{notice_id}", response=NoticeOut)
def notice_detail(request: HttpRequest, notice_id: int) -> Notice:
    return _get(request, notice_id)


@router.post("/notices", response={201: NoticeOut})
def notice_create(request: HttpRequest, payload: NoticeIn) -> Status:
    collaboration = selectors.get_collaboration_for_user(
        request.user, payload.collaboration, require=permissions.can_write_content
    )
    notice = services.notice_create(
        collaboration=collaboration,
        title=payload.title,
        body=payload.body,
        level=payload.level,
        restricted_to=payload.restricted_to,
        acting_user=request.user,
    )
    return Status(201, notice)


@router.patch("/notices/{notice_id}", response=NoticeOut)
def notice_update(request: HttpRequest, notice_id: int, payload: NoticePatch) -> Notice:
    notice = _get(request, notice_id)
    data = payload.dict(exclude_unset=True)
    return services.notice_update(
        notice=notice,
        title=data.get("title", notice.title),
        body=data.get("body", notice.body),
        level=data.get("level", notice.level),
        restricted_to=data.get("restricted_to", notice.restricted_roles),
        acting_user=request.user,
    )


@router.delete("/notices/{notice_id}", response={204: None})
def notice_delete(request: HttpRequest, notice_id: int) -> Status:
    services.notice_delete(notice=_get(request, notice_id), acting_user=request.user)
    return Status(204, None)

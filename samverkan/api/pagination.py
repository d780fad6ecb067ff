from __future__ import annotations

from typing import Any

from ninja.pagination import LimitOffsetPagination

from samverkan.core.visibility import record_reads


class Pagination(LimitOffsetPagination):
    """`{"items": [...], "count": N}` with ?limit=&offset=; begränsad rows on the page are audit-logged."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = list(result["items"])
        record_reads(request.user, result["items"])
        return result

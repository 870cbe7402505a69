"""Limit/offset pagination: ``?limit=`` (default 50, at most 200) and ``?offset=``, answered as
``{"count": N, "items": [...]}``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class LimitOffset(PaginationBase):
    """A limit above the maximum is lowered to it rather than refused: the count tells the client the rest."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, description=f"Rows per page, at most {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, description="Rows to skip.")

    class Output(Schema):
        count: int
        items: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        limit = min(pagination.limit, MAX_LIMIT)
        start = pagination.offset
        return {"count": queryset.count(), "items": list(queryset[start : start + limit])}

"""Page-number pagination for every list of the API: `?page=2&page_size=50`.

The answer says how many items match and where the neighbouring pages are, so a
client follows `next` until it is null.
"""

import math
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import AsyncPaginationBase

PAGE_SIZE = settings.NINJA_PAGINATION_PER_PAGE
MAX_PAGE_SIZE = settings.NINJA_PAGINATION_MAX_PER_PAGE_SIZE


class PageInput(Schema):
    page: int = Field(1, ge=1, description="Numéro de page, à partir de 1.")
    page_size: int = Field(
        PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Éléments par page ({MAX_PAGE_SIZE} au plus).",
    )


class PagePagination(AsyncPaginationBase):
    Input = PageInput

    class Output(Schema):
        count: int = Field(description="Nombre total d'éléments, toutes pages comprises.")
        page: int
        page_size: int
        pages: int = Field(description="Nombre de pages.")
        next: str | None = Field(description="Adresse de la page suivante, ou null.")
        previous: str | None = Field(description="Adresse de la page précédente, ou null.")
        items: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet, pagination: PageInput, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        # A page after the last is empty without asking the database, which may not
        # take so large an offset (SQLite: 64-bit integers only).
        items = queryset[offset : offset + pagination.page_size] if offset < count else []
        return self._page(request, pagination, count=count, items=items)

    async def apaginate_queryset(
        self, queryset: QuerySet, pagination: PageInput, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = await self._aitems_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        items = []
        if offset < count:
            items = [item async for item in queryset[offset : offset + pagination.page_size]]
        return self._page(request, pagination, count=count, items=items)

    @staticmethod
    def _page(request: HttpRequest, pagination: PageInput, *, count: int, items: Any) -> dict:
        page, pages = pagination.page, math.ceil(count / pagination.page_size)

        def link(number: int) -> str:
            query = request.GET.copy()
            query["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "page": page,
            "page_size": pagination.page_size,
            "pages": pages,
            "next": link(page + 1) if page < pages else None,
            "previous": link(min(page - 1, max(pages, 1))) if page > 1 else None,
            "items": items,
        }

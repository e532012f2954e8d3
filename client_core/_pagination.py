"""Pages of Laravel paginators (`{data, links, meta}`), and plain lists, walked page by page.

Iterating a page yields every item of it and of the pages after it. The walk stops on an empty
page, on a missing `links.next`, or, when there are no links, at `meta.last_page`; a bare list or
a `{data}` without links or meta is one page.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from pydantic import Field, ValidationError

from ._errors import ResponseValidationError
from ._models import RawResponse, Resource, parse_resource

if TYPE_CHECKING:
    from ._call import PagedCall
    from ._transport import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncPage", "PageLinks", "PageMeta", "SyncPage", "page_params"]

ItemT = TypeVar("ItemT", bound=Resource)


def page_params(
    page: int | None, per_page: int | None, *, max_per_page: int | None = None
) -> dict[str, int]:
    """Laravel's `page` and `per_page` query parameters, checked; None leaves one out."""
    params = {k: v for k, v in (("page", page), ("per_page", per_page)) if v is not None}
    for name, value in params.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number of 1 or more")
    if max_per_page is not None and params.get("per_page", 0) > max_per_page:
        raise ValueError(f"per_page may be at most {max_per_page}")
    return params


class PageLinks(Resource):
    """Laravel's `links` object: URLs of neighbouring pages, None at either end."""

    first: str | None = None
    last: str | None = None
    prev: str | None = None
    next: str | None = None


class PageMeta(Resource):
    """Laravel's `meta` object (length-aware paginators have `last_page` and `total`)."""

    current_page: int | None = None
    last_page: int | None = None
    per_page: int | None = None
    total: int | None = None
    from_: int | None = Field(default=None, alias="from")
    to: int | None = None


@dataclass(frozen=True, slots=True)
class PageData(Generic[ItemT]):
    """One parsed page, before it is bound to a client."""

    items: list[ItemT]
    links: PageLinks | None
    meta: PageMeta | None
    next_page: int | None
    raw: RawResponse


def parse_page(
    call: PagedCall[Any], body: object, raw: RawResponse, *, strict: bool, logger: logging.Logger
) -> PageData[Any]:
    """Read a list answer: `{data, links, meta}`, `{data}` or a bare JSON list."""
    response = raw.http_response
    links = meta = None
    if isinstance(body, list):
        rows: list[Any] = body
    elif isinstance(body, dict) and isinstance(body.get("data"), list):
        rows = body["data"]
        links = _envelope(PageLinks, body.get("links"), response, strict=strict, logger=logger)
        meta = _envelope(PageMeta, body.get("meta"), response, strict=strict, logger=logger)
    else:
        raise ResponseValidationError(
            f"{response.request.method} {response.request.url.path}: expected a list "
            f"(or a {{data: [...]}} page), got {type(body).__name__}",
            response=response,
        )
    items = [
        parse_resource(call.returns, row, response, strict=strict, logger=logger) for row in rows
    ]
    return PageData(items, links, meta, _next_page(call, len(items), links, meta), raw)


EnvelopeT = TypeVar("EnvelopeT", PageLinks, PageMeta)


def _envelope(
    model: type[EnvelopeT],
    value: object,
    response: httpx.Response,
    *,
    strict: bool,
    logger: logging.Logger,
) -> EnvelopeT | None:
    # An unreadable `links`/`meta` cannot be trusted to page on: this page is then the last.
    if not isinstance(value, dict):
        return None
    try:
        return model.model_validate(value)
    except ValidationError:
        if strict:
            raise ResponseValidationError(
                f"{response.request.url.path}: the page's {model.__name__} is malformed",
                response=response,
            ) from None
        logger.warning(
            "%s: malformed %s; not paging further", response.request.url.path, model.__name__
        )
        return None


def _next_page(
    call: PagedCall[Any], count: int, links: PageLinks | None, meta: PageMeta | None
) -> int | None:
    if count == 0:
        return None
    current = meta.current_page if meta and meta.current_page else None
    if links is not None:
        if not links.next:
            return None
    elif meta is None or current is None or meta.last_page is None or current >= meta.last_page:
        return None
    if current is None:
        requested = (call.params or {}).get("page", 1)
        current = int(requested)
    return current + 1


class _Page(Generic[ItemT]):
    """What both page twins share: the items, the envelope, and the call for the next page."""

    def __init__(self, call: PagedCall[ItemT], data: PageData[ItemT]) -> None:
        self._call = call
        self._page = data
        self._raw = data.raw

    @property
    def data(self) -> list[ItemT]:
        """The items on this page only (iterate the page to walk all pages)."""
        return self._page.items

    @property
    def links(self) -> PageLinks | None:
        """The vendor's `links` object, if it sent one."""
        return self._page.links

    @property
    def meta(self) -> PageMeta | None:
        """The vendor's `meta` object (current page, last page, total), if it sent one."""
        return self._page.meta

    def has_next_page(self) -> bool:
        """Whether another page follows this one."""
        return self._page.next_page is not None

    def _next_call(self) -> PagedCall[ItemT]:
        if self._page.next_page is None:
            raise ValueError("this is the last page: check has_next_page() first")
        return self._call.page(self._page.next_page)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(items={len(self.data)}, next_page={self._page.next_page})"


class SyncPage(_Page[ItemT]):
    """One page of a list; `for item in page` walks it and every page after it.

    Example: `for appointment in client.appointments.list(per_page=50): ...`.
    """

    def __init__(
        self, client: SyncAPIClient, call: PagedCall[ItemT], data: PageData[ItemT]
    ) -> None:
        super().__init__(call, data)
        self._client = client

    def next_page(self) -> SyncPage[ItemT]:
        """Fetch the page after this one."""
        return self._client.send_page(self._next_call())

    def iter_pages(self) -> Iterator[SyncPage[ItemT]]:
        """This page, then each following page, fetched as you go."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_Page[ItemT]):
    """One page of a list; `async for item in page` walks it and every page after it.

    Example: `async for appointment in await client.appointments.list(): ...`.
    """

    def __init__(
        self, client: AsyncAPIClient, call: PagedCall[ItemT], data: PageData[ItemT]
    ) -> None:
        super().__init__(call, data)
        self._client = client

    async def next_page(self) -> AsyncPage[ItemT]:
        """Fetch the page after this one."""
        return await self._client.send_page(self._next_call())

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT]]:
        """This page, then each following page, fetched as you go."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

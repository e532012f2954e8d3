"""AsyncPaginator: what an async `list()` returns, awaitable and async-iterable at once.

`page = await client.x.list()` is the first page; `async for item in client.x.list()` walks
every item of every page without an `await` first, the habit users bring from openai-python.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._models import Resource
from ._pagination import AsyncPage

if TYPE_CHECKING:
    from ._call import PagedCall
    from ._transport import AsyncAPIClient

__all__ = ["AsyncPaginator"]

ItemT = TypeVar("ItemT", bound=Resource)


class AsyncPaginator(Generic[ItemT]):
    """A list call on an async client, not sent yet: await it for the first page, or
    `async for` over it for every item of every page.

    Its arguments were checked when `list()` was called; the first request goes out on the
    first `await` or the first item asked for, and each `await` or `async for` sends afresh.
    Example: `async for appointment in client.appointments.list(per_page=50): ...`.
    """

    __slots__ = ("_call", "_client")

    def __init__(self, client: AsyncAPIClient, call: PagedCall[ItemT]) -> None:
        self._client = client
        self._call = call

    def __await__(self) -> Generator[Any, Any, AsyncPage[ItemT]]:
        return self._client.send_page(self._call).__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for item in await self:
            yield item

    def __repr__(self) -> str:
        # No path: it may carry a patient's or a conversation's id.
        return f"AsyncPaginator[{self._call.returns.__name__}]"

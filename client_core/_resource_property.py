"""`resource_property`: how a client exposes a resource group (`client.appointments`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, get_type_hints, overload

__all__ = ["resource_property"]

ResourceT = TypeVar("ResourceT")


class resource_property(Generic[ResourceT]):
    """Like `@property` for a client's resource group, but seen on the class as the group's class.

    `SqodClient.appointments` is `Appointments`, so `unittest.mock.create_autospec(SqodClient,
    instance=True)` specs the group's methods too (a plain property would stop autospec there),
    and async groups get awaitable mocks. On an instance it builds the group, as before.

    Example:
        @resource_property
        def appointments(self) -> Appointments:
            return Appointments(self)
    """

    def __init__(self, build: Callable[[Any], ResourceT]) -> None:
        self._build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self._class: type[ResourceT] | None = None

    @overload
    def __get__(self, client: None, owner: type[Any]) -> type[ResourceT]: ...

    @overload
    def __get__(self, client: object, owner: type[Any] | None = None) -> ResourceT: ...

    def __get__(self, client: object, owner: type[Any] | None = None) -> Any:
        if client is None:
            return self.resource_class
        return self._build(client)

    @property
    def resource_class(self) -> type[ResourceT]:
        """The class of the group, from the builder's return annotation."""
        if self._class is None:
            self._class = get_type_hints(self._build)["return"]
        return self._class

"""`create_autospec(Client, instance=True)` checks resource calls against the real signatures."""

from __future__ import annotations

import inspect
from typing import Any
from unittest import mock

import pytest

from hero_client import AsyncHeroClient, HeroClient
from loop_comms_client import AsyncLoopCommsClient, LoopCommsClient
from plannr_client import AsyncPlannrClient, PlannrClient
from sqod_client import AsyncSqodClient, SqodClient

# client class, resource attribute, a method on it, one valid call's (args, kwargs)
CASES: list[tuple[type[Any], str, str, tuple[Any, ...], dict[str, Any]]] = [
    (SqodClient, "appointments", "send_message", ("id",), {"message": "Running late"}),
    (AsyncSqodClient, "appointments", "send_message", ("id",), {"message": "Running late"}),
    (PlannrClient, "conversations", "send_message", ("uuid",), {"contents": "Hi"}),
    (AsyncPlannrClient, "conversations", "send_message", ("uuid",), {"contents": "Hi"}),
    (PlannrClient, "logins", "list", (), {}),
    (AsyncPlannrClient, "logins", "list", (), {}),
    (HeroClient, "messages", "get", ("42",), {}),
    (AsyncHeroClient, "messages", "get", ("42",), {}),
    (LoopCommsClient, "messages", "get", ("m-1",), {}),
    (AsyncLoopCommsClient, "messages", "get", ("m-1",), {}),
]
IDS = [f"{case[0].__name__}.{case[1]}.{case[2]}" for case in CASES]


@pytest.mark.parametrize(("client_class", "resource", "method", "args", "kwargs"), CASES, ids=IDS)
def test_a_misspelt_method_is_refused(
    client_class: type[Any], resource: str, method: str, args: Any, kwargs: Any
) -> None:
    client = mock.create_autospec(client_class, instance=True)

    with pytest.raises(AttributeError):
        getattr(getattr(client, resource), method + "_typo")


@pytest.mark.parametrize(("client_class", "resource", "method", "args", "kwargs"), CASES, ids=IDS)
def test_a_wrong_argument_is_refused(
    client_class: type[Any], resource: str, method: str, args: Any, kwargs: Any
) -> None:
    call = getattr(getattr(mock.create_autospec(client_class, instance=True), resource), method)

    with pytest.raises(TypeError):
        call(*args, **kwargs, mesage="typo")


@pytest.mark.anyio
@pytest.mark.parametrize(("client_class", "resource", "method", "args", "kwargs"), CASES, ids=IDS)
async def test_a_right_call_is_recorded_and_async_methods_are_awaitable(
    client_class: type[Any], resource: str, method: str, args: Any, kwargs: Any
) -> None:
    client = mock.create_autospec(client_class, instance=True)
    call = getattr(getattr(client, resource), method)
    is_async = client_class.__name__.startswith("Async")
    if is_async and not inspect.iscoroutinefunction(
        getattr(getattr(client_class, resource), method)
    ):
        # An async list returns an AsyncPaginator at once (API.md): not a coroutine function,
        # so its mock is a plain one, whose result `async for` walks as configured.
        call.return_value.__aiter__.return_value = ["answer"]
        assert [item async for item in call(*args, **kwargs)] == ["answer"]
        call.assert_called_once_with(*args, **kwargs)
        return
    call.return_value = "answer"

    result = call(*args, **kwargs)

    if is_async:
        assert inspect.isawaitable(result)
        assert await result == "answer"
    else:
        assert result == "answer"
    call.assert_called_once_with(*args, **kwargs)


def test_the_mock_is_a_spec_of_the_resource_class() -> None:
    sqod = mock.create_autospec(SqodClient, instance=True)

    real = SqodClient(base_url="https://a.test", token="t")
    assert SqodClient.appointments is type(real.appointments)
    assert isinstance(sqod.appointments, SqodClient.appointments)

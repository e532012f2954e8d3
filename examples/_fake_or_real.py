"""What lets every example run with no account: the vendor's fake, served on 127.0.0.1.

With the vendor's credentials in the environment (`SQOD_TOKEN`, `HERO_API_KEY`, ...) an example
talks to the real vendor; without them it serves the vendor's fake on a free loopback port and
points the same environment variables at it, so the example's own code is the same either way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from client_core.testing import FakeServer

FakeT = TypeVar("FakeT", bound=FakeServer[Any, Any])


def has_credentials(prefix: str) -> bool:
    """Whether any `<prefix>_*` credential (not just a base URL) is set, e.g. `SQOD_TOKEN`."""
    return any(
        name.startswith(prefix + "_") and name != prefix + "_BASE_URL" and value
        for name, value in os.environ.items()
    )


@contextmanager
def fake_in_environment(fake: FakeT, prefix: str) -> Iterator[FakeT]:
    """Serve `fake` and set `<prefix>_BASE_URL` and its credentials (`<prefix>_TOKEN`, ...)."""
    with fake.serve() as base_url:
        values = {f"{prefix}_{key.upper()}": str(value) for key, value in fake.credentials.items()}
        os.environ.update({f"{prefix}_BASE_URL": base_url, **values})
        print(f"No {prefix}_* credentials set: using {type(fake).__name__} at {base_url}")
        yield fake

"""Reply: what a fake decided to do with one request, shared by the fake and its carriers.

A leaf module, so the server (`_server`) and the socket carrier (`_http`) both import it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import httpx

__all__ = ["Lost", "Reply"]

Lost = Literal["drop", "timeout", "refuse"]


@dataclass(frozen=True, slots=True)
class Reply:
    """What a fake does with one request: answer (after `delay` seconds), or lose the answer.

    `lost` is `"drop"` (acted, then closed the connection), `"timeout"` (acted, never answered)
    or `"refuse"` (never accepted the connection, so nothing was done).
    """

    response: httpx.Response | None
    lost: Lost | None = None
    delay: float = 0.0

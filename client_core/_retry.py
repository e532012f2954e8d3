"""RetryPolicy: is this failure worth another attempt, and how long to wait first (pure, no I/O).

The shells call `should_retry` once after a failed first attempt; only then do they build a
tenacity retrier, so a call that succeeds first time never pays for tenacity's machinery.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._errors import (
    APIConnectionError,
    APIStatusError,
    OutcomeUnknownError,
    retry_after_seconds,
)

__all__ = ["RetryPolicy"]

# Statuses that mean "not done, try later" for a call that is safe to repeat (API.md).
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Which failures are retried and how long to wait between attempts.

    Example: `SqodClient(..., retry_policy=RetryPolicy(max_retries=5, max_backoff=20))`.
    `RetryPolicy.no_wait()` computes and logs the same delays without sleeping (for tests).
    """

    max_retries: int = 2
    """Attempts after the first one; 0 disables retries."""
    initial_backoff: float = 0.5
    """Backoff before the first retry when the vendor gives no Retry-After, in seconds."""
    max_backoff: float = 8.0
    """Upper bound of the exponential backoff, in seconds."""
    max_retry_after: float = 60.0
    """A Retry-After longer than this is not waited for: the error is raised at once."""
    wait: bool = True
    """False: never sleep between attempts (the delay is still computed and logged)."""

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if self.initial_backoff < 0 or self.max_backoff < 0 or self.max_retry_after < 0:
            raise ValueError("backoff and Retry-After limits must be 0 or more seconds")

    @classmethod
    def no_wait(cls, max_retries: int = 2) -> RetryPolicy:
        """A policy with the default rules that never sleeps: for test suites."""
        return cls(max_retries=max_retries, wait=False)

    def should_retry(self, error: BaseException, *, idempotent: bool) -> bool:
        """Whether `error` may be followed by another attempt of the same request.

        A call that is not idempotent (a message send without a dedup key) is repeated only
        when the vendor provably did not act: the connection never carried it, or a 429.
        """
        if isinstance(error, OutcomeUnknownError):
            return False
        if isinstance(error, APIConnectionError):
            return idempotent or not error.sent
        if isinstance(error, APIStatusError):
            status = error.status_code
            if status != 429 and not (idempotent and status in RETRYABLE_STATUSES):
                return False
            wait = retry_after_seconds(error.headers)
            return wait is None or wait <= self.max_retry_after
        return False

    def delay(self, error: BaseException | None, attempt: int) -> float:
        """Seconds to wait before attempt `attempt + 1`: the vendor's Retry-After, else backoff.

        Backoff is exponential from `initial_backoff`, capped at `max_backoff`, with jitter
        (between half and all of it) so that many clients do not retry in step.
        """
        if isinstance(error, APIStatusError):
            wait = retry_after_seconds(error.headers)
            if wait is not None:
                return min(wait, self.max_retry_after)
        backoff = min(self.max_backoff, self.initial_backoff * 2.0 ** max(attempt - 1, 0))
        return backoff * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not cryptography

    def tenacity_options(
        self,
        *,
        retryable: Callable[[BaseException], bool],
        before_sleep: Callable[[Any], None],
    ) -> dict[str, Any]:
        """Keyword arguments for `tenacity.Retrying` / `AsyncRetrying` (without `sleep`).

        `reraise=True` hands the caller our own last error, never tenacity's `RetryError`.
        """
        import tenacity

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            return self.delay(error, state.attempt_number)

        return {
            "stop": tenacity.stop_after_attempt(self.max_retries + 1),
            "wait": wait,
            "retry": tenacity.retry_if_exception(retryable),
            "reraise": True,
            "before_sleep": before_sleep,
        }

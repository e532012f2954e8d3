"""Where a secret could hide in an exception: its text, args, chain, traceback and pickle."""

from __future__ import annotations

import pickle
import traceback


def exception_texts(error: BaseException) -> list[str]:
    """Every text an exception exposes: str, repr, args, the cause/context chain, traceback."""
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args)]
        texts.append(repr(getattr(current, "message", "")))
        current = current.__cause__ or current.__context__
    texts.append("".join(traceback.format_exception(error)))
    try:
        texts.append(pickle.dumps(error).decode("latin-1"))
    except Exception as exc:
        texts.append(repr(exc))
    return texts


def assert_hidden(secret: str, error: BaseException) -> None:
    """`secret` appears nowhere in what `error` exposes."""
    for text in exception_texts(error):
        assert secret not in text

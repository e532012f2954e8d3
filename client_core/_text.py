"""Text that must survive the trip to the wire: header values, and strings UTF-8 can encode.

Every check here raises a `ValueError` that names the parameter or field and never shows the
value, before any I/O: httpx, h11 and the codecs quote the whole value (or the whole request
body) in their own errors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = [
    "check_encodable",
    "check_form_value",
    "check_header_value",
    "checked_headers",
    "is_header_token",
    "unencodable",
]

# Visible ASCII; header values other than credentials may also hold single inner spaces.
_TOKEN_CHARS = re.compile(r"[!-~]+")
_HEADER_TEXT = re.compile(r"[!-~]+(?: [!-~]+)*")
# Control, format (zero-width), line and paragraph separators, and spaces other than " ".
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})


def is_header_token(value: object) -> bool:
    """Whether `value` is text that travels in an HTTP header as given: visible ASCII only."""
    return isinstance(value, str) and _TOKEN_CHARS.fullmatch(value) is not None


def check_header_value(value: str, name: str, *, spaces: bool = False) -> str:
    """`value` if it can travel in an HTTP header as given, else a ValueError naming `name`.

    Refuses what a copy from a file or a web page brings along (a trailing newline, a
    non-breaking or zero-width space, an accented letter) before any I/O, so the value never
    reaches httpx or h11, whose errors would quote it. The value is never shown.
    """
    pattern = _HEADER_TEXT if spaces else _TOKEN_CHARS
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(
            f"{name} cannot be sent in an HTTP header: it holds a line break, a control or "
            "non-ASCII character, or whitespace"
            + (" at an end" if spaces else "")
            + " (often a newline or space copied with it); the value is not shown"
        )
    return value


def check_form_value(value: str, name: str) -> str:
    """`value` unless it holds what is never meant: an invisible or control character, or
    whitespace at an end; a ValueError naming `name` otherwise (the value is never shown).

    For values sent form-encoded (OAuth2 client ids and secrets, percent-encoded per RFC 6749),
    where visible non-ASCII letters and inner spaces are legitimate.
    """
    if not isinstance(value, str) or value != value.strip() or any(map(_invisible, value)):
        raise ValueError(
            f"{name} holds a line break, a control or invisible character (such as a "
            "non-breaking or zero-width space), or whitespace at an end (often copied with "
            "it); the value is not shown"
        )
    return value


def _invisible(char: str) -> bool:
    return char != " " and (char.isspace() or unicodedata.category(char) in _INVISIBLE)


def checked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """`default_headers` checked by `check_header_value` (names and values), before any I/O."""
    for key, value in headers.items():
        check_header_value(key, "a default_headers name")
        check_header_value(value, f"default_headers[{key!r}]", spaces=True)
    return dict(headers)


def unencodable(value: object) -> bool:
    """Whether `value` holds a string (or a mapping key) UTF-8 cannot encode (a lone surrogate)."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, Mapping):
        return any(unencodable(k) or unencodable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(unencodable(item) for item in value)
    return False


def check_encodable(value: object, name: str) -> None:
    """A ValueError naming `name` when `value` holds text UTF-8 cannot encode."""
    if unencodable(value):
        raise ValueError(
            f"{name} holds text that cannot be encoded as UTF-8 (a lone surrogate, such as "
            "half of an emoji); the value is not shown"
        )

"""The request description every endpoint builder returns, and helpers to build one safely."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any, Generic, TypeAlias, TypeVar
from urllib.parse import quote

from ._models import Resource, check_uuid

__all__ = [
    "Call",
    "FileContent",
    "FileTypes",
    "RequestFiles",
    "laravel_form",
    "path_segment",
    "repeated_files",
]

FileContent: TypeAlias = bytes | IO[bytes]
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
"""One file, as httpx takes it: bytes, a binary file object, or `(filename, content[, type])`."""
RequestFiles: TypeAlias = Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]]
"""Files for a multipart body: field name -> file, or `(field, file)` pairs for repeated fields."""

ResultT = TypeVar("ResultT", covariant=True)


@dataclass(frozen=True, slots=True)
class Call(Generic[ResultT]):
    """One API call, described without I/O: what to send and how to read the answer.

    `idempotent` says whether the call may be repeated after its request went out (GET, PATCH,
    a send carrying a dedup key). Builders validate their input before returning a `Call`, so
    a `Call` that exists is one the client may send.
    """

    method: str
    path: str
    returns: type[Resource]
    idempotent: bool
    params: Mapping[str, str | int] | None = None
    json: Mapping[str, Any] | None = None
    """A JSON-ready body (from `request_body`), sent as `application/json`."""
    form: Mapping[str, str] | None = None
    files: RequestFiles | None = None
    tunnel: bool = False
    """Send as `POST ?_method=<method>` (Laravel cannot read multipart bodies on PATCH)."""
    empty_ok: bool = False
    """A 2xx without a body returns None instead of raising ResponseValidationError."""
    paged: bool = False
    """The answer is one page of a list of `returns` (sent with `send_page`)."""
    idempotency_key: str | None = None
    """The caller's key for a send made once through the client's ledger (see `SqliteLedger`)."""

    def page(self, number: int) -> Call[ResultT]:
        """The same call for another page of a paginated list."""
        return replace(self, params={**(self.params or {}), "page": number})


def path_segment(value: str, name: str, *, uuid: bool = False) -> str:
    """Percent-encode an id for a URL path; refuse what could change the path.

    Raises `ValueError` naming the parameter (never echoing the value) for an empty id, a
    `.`/`..` segment, a `/` or `\\` (a proxy that decodes `%2F` would see another path), or,
    with `uuid=True`, anything but a UUID.
    """
    if uuid:
        return check_uuid(value, name)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {type(value).__name__}")
    if value.strip() in ("", ".", ".."):
        raise ValueError(f"{name} must be a non-empty id")
    if "/" in value or "\\" in value:
        raise ValueError(f"{name} must not contain '/' or '\\'")
    return quote(value, safe="")


def repeated_files(
    field: str, files: Sequence[FileTypes], name: str
) -> list[tuple[str, FileTypes]]:
    """Files sent under one repeated multipart field (e.g. `files[]`), checked before any I/O.

    Each file is bytes, a binary file object, or a `(filename, content[, content_type])` tuple.
    """
    if isinstance(files, str | bytes | bytearray) or not isinstance(files, Sequence):
        raise ValueError(f"{name} must be a list of files (bytes, file objects or tuples)")
    if not files:
        raise ValueError(f"{name} must hold at least one file")
    for index, file in enumerate(files):
        if not _is_file(file):
            raise ValueError(
                f"{name}[{index}] must be bytes, a file opened in binary mode ('rb') or a "
                f"(filename, content[, content_type]) tuple, got {type(file).__name__}"
            )
    return [(field, file) for file in files]


def _is_file(value: object) -> bool:
    if isinstance(value, tuple):
        return len(value) in (2, 3) and _is_file(value[1])
    if isinstance(value, io.TextIOBase):
        return False  # httpx needs bytes: a file opened without "b" cannot be uploaded
    return isinstance(value, bytes) or callable(getattr(value, "read", None))


def laravel_form(fields: Mapping[str, Any]) -> dict[str, str]:
    """Flatten JSON-ready fields into multipart form pairs the way Laravel reads them.

    Nested objects become `claimant[name]`, lists `claimant[data][0][id]`, booleans `1`/`0`,
    and `None` an empty string (Laravel's ConvertEmptyStringsToNull turns it back into null).
    An empty list or object has no form encoding (it would vanish, or reach Laravel as null),
    so it raises `ValueError` naming the field, e.g. `claimant.data`.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in fields.items():
        _flatten(str(key), str(key), value, pairs)
    return dict(pairs)  # bracket keys are unique: list items carry their index


def _flatten(key: str, name: str, value: Any, pairs: list[tuple[str, str]]) -> None:
    if isinstance(value, Mapping | list | tuple) and not value:
        raise ValueError(
            f"{name}: an empty {'list' if isinstance(value, list | tuple) else 'object'} cannot "
            "be sent with files= (form encoding has no empty value); send that change in an "
            "update without files"
        )
    if isinstance(value, Mapping):
        for sub, item in value.items():
            _flatten(f"{key}[{sub}]", f"{name}.{sub}", item, pairs)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _flatten(f"{key}[{index}]", f"{name}.{index}", item, pairs)
    elif isinstance(value, bool):
        pairs.append((key, "1" if value else "0"))
    elif value is None:
        pairs.append((key, ""))
    else:
        pairs.append((key, str(value)))

"""The request description every endpoint builder returns, and helpers to build one safely."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from logging import Logger
from typing import IO, Any, ClassVar, Generic, TypeAlias, TypeVar
from urllib.parse import quote

from ._models import RawResponse, Resource, attach_raw, check_uuid, parse_resource
from ._pagination import PageData, parse_page
from ._text import check_encodable, check_header_value

__all__ = [
    "Call",
    "FileContent",
    "FileTypes",
    "MaybeEmptyCall",
    "PagedCall",
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

ModelT = TypeVar("ModelT", bound=Resource, covariant=True)
ResultT = TypeVar("ResultT", covariant=True)


@dataclass(frozen=True, slots=True)
class _Call(Generic[ModelT, ResultT]):
    """What every call kind shares: the request to send and the model its answer is read into."""

    method: str
    path: str
    returns: type[ModelT]
    idempotent: bool
    params: Mapping[str, str | int] | None = None
    json: Mapping[str, Any] | None = None
    """A JSON-ready body (from `request_body`), sent as `application/json`."""
    form: Mapping[str, str] | None = None
    files: RequestFiles | None = None
    tunnel: bool = False
    """Send as `POST ?_method=<method>` (Laravel cannot read multipart bodies on PATCH)."""
    idempotency_key: str | None = None
    """The caller's key for a send made once through the client's ledger (see `SqliteLedger`)."""

    empty_ok: ClassVar[bool] = False
    """Whether a 2xx without a body is an answer (else it is a `ResponseValidationError`)."""

    def __post_init__(self) -> None:
        if self.files is not None:
            _check_parts(self.files)

    def parse(self, body: object, raw: RawResponse, *, strict: bool, logger: Logger) -> ResultT:
        """The call's result from a 2xx answer's JSON body (None: the body was empty)."""
        raise NotImplementedError


class Call(_Call[ModelT, ModelT]):
    """One API call, described without I/O: what to send, and the model its answer is.

    `Call("GET", path, Message, idempotent=True)` is a `Call[Message]`, and sending it returns
    a `Message`. `idempotent` says whether the call may be repeated after its request went out
    (GET, PATCH, a send carrying a dedup key). Builders validate their input before returning
    a call, so a call that exists is one the client may send.
    """

    __slots__ = ()

    def parse(self, body: object, raw: RawResponse, *, strict: bool, logger: Logger) -> ModelT:
        """The answer as `returns`, linked to its HTTP exchange (see `raw_response`)."""
        return _parse_one(self.returns, body, raw, strict=strict, logger=logger)


class MaybeEmptyCall(_Call[ModelT, ModelT | None]):
    """A `Call` whose vendor may answer 2xx with no body: sending it returns the model or None.

    Example: SQOD's cancel, `MaybeEmptyCall("POST", path, Appointment, idempotent=False)`.
    """

    __slots__ = ()
    empty_ok = True

    def parse(
        self, body: object, raw: RawResponse, *, strict: bool, logger: Logger
    ) -> ModelT | None:
        """None for an empty body (or JSON `null`), else the answer as `returns`."""
        if body is None:
            return None
        return _parse_one(self.returns, body, raw, strict=strict, logger=logger)


class PagedCall(_Call[ModelT, PageData[ModelT]]):
    """A call whose answer is one page of a list of `returns`; clients send it with `send_page`.

    Example: `PagedCall("GET", "/api/v1/logins", Login, idempotent=True)`.
    """

    __slots__ = ()

    def parse(
        self, body: object, raw: RawResponse, *, strict: bool, logger: Logger
    ) -> PageData[ModelT]:
        """The page's items as `returns`, with its links, meta and the next page's number."""
        return parse_page(self, body, raw, strict=strict, logger=logger)

    def page(self, number: int) -> PagedCall[ModelT]:
        """The same call for another page of the list."""
        return replace(self, params={**(self.params or {}), "page": number})


def _parse_one(
    model: type[ModelT], body: object, raw: RawResponse, *, strict: bool, logger: Logger
) -> ModelT:
    result = parse_resource(model, body, raw.http_response, strict=strict, logger=logger)
    attach_raw(result, raw)
    return result


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
    check_encodable(value, name)
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


def _check_parts(files: RequestFiles) -> None:
    # Part headers are written as given: a CR/LF in a content type would add a header.
    pairs = files.items() if isinstance(files, Mapping) else files
    for index, (field, file) in enumerate(pairs):
        check_encodable(field, f"files[{index}]: the field name")
        if not isinstance(file, tuple):
            continue
        check_encodable(file[0], f"files[{index}]: the file name")
        content_type = file[2] if len(file) > 2 else None
        if content_type is not None:
            check_header_value(content_type, f"files[{index}]: the content type", spaces=True)


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

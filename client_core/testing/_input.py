"""What a fake reads from a request (JSON, forms, Basic auth) and how it says what was wrong.

Pure functions of an `httpx.Request`, shared by every vendor fake; no vendor knowledge here.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

import httpx
from pydantic import ValidationError
from pydantic_core import ErrorDetails, from_json

__all__ = [
    "UploadedFile",
    "basic_credentials",
    "json_body",
    "json_problems",
    "laravel_input",
    "read_form",
]

_BRACKET_KEY = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One file part of a multipart request, as the server received it."""

    field: str
    filename: str
    content_type: str
    content: bytes


def json_body(request: httpx.Request) -> object | None:
    """The request body as JSON, or None when there is none or it does not parse."""
    if not request.content.strip():
        return None
    try:
        body: object = from_json(request.content)
    except ValueError:
        return None
    return body


def read_form(request: httpx.Request) -> tuple[list[tuple[str, str]], list[UploadedFile]]:
    """Form fields (in order, names as sent) and file parts of a urlencoded or multipart body."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return parse_qsl(request.content.decode(), keep_blank_values=True), []
    if not content_type.startswith("multipart/form-data"):
        return [], []
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    fields: list[tuple[str, str]] = []
    files: list[UploadedFile] = []
    for part in message.iter_parts():
        name = str(part.get_param("name", "", header="content-disposition"))
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            fields.append((name, content.decode()))
        else:
            kind = part.get_content_type()
            files.append(UploadedFile(name, filename, kind, content))
    return fields, files


def laravel_input(request: httpx.Request) -> dict[str, Any]:
    """The body as a Laravel app sees it: JSON, or form fields nested by their bracket names.

    Strings are trimmed and a blank one becomes None, as Laravel's default middleware does.
    PHP parses multipart bodies on POST only, so a real PATCH with a multipart body arrives
    empty: the reason Laravel apps document tunnelling it as `POST ?_method=PATCH`.
    """
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        body = json_body(request)
        return _trimmed(body) if isinstance(body, dict) else {}
    if content_type.startswith("multipart/") and request.method != "POST":
        return {}
    fields, _ = read_form(request)
    nested: dict[str, Any] = {}
    for name, value in fields:
        if name != "_method":
            _assign(nested, name, value)
    result: dict[str, Any] = _trimmed(_lists_from_indexes(nested))
    return result


def _trimmed(value: Any) -> Any:
    # Laravel's global middleware: TrimStrings, then ConvertEmptyStringsToNull, on every input.
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return [_trimmed(item) for item in value]
    if isinstance(value, dict):
        return {key: _trimmed(item) for key, item in value.items()}
    return value


def basic_credentials(request: httpx.Request) -> tuple[str, str] | None:
    """The (user, password) of an HTTP Basic `Authorization` header, if there is a valid one.

    Both parts are form-urldecoded, as an OAuth2 server reads client credentials (RFC 6749
    section 2.3.1).
    """
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except ValueError:
        return None
    return (unquote_plus(user), unquote_plus(password)) if sep else None


def _assign(target: dict[str, Any], name: str, value: str) -> None:
    head, _, rest = name.partition("[")
    keys = [head, *_BRACKET_KEY.findall("[" + rest)] if rest else [head]
    node: Any = target
    for key, following in zip(keys, [*keys[1:], None], strict=True):
        if following is None:
            _store(node, key, value)
            return
        child: Any = [] if following == "" else {}
        if key == "":
            node.append(child)
        elif isinstance(node.get(key), list | dict):
            child = node[key]
        else:
            node[key] = child  # PHP lets `a[b]=` replace an earlier plain `a=`
        node = child


def _store(node: Any, key: str, value: str) -> None:
    if isinstance(node, list):
        node.append(value)
    elif key == "":
        return
    else:
        node[key] = value


def _lists_from_indexes(value: Any) -> Any:
    # PHP makes `data[0][id]` a list when the keys are 0..n-1, as a JSON body would carry it.
    if isinstance(value, list):
        return [_lists_from_indexes(item) for item in value]
    if not isinstance(value, dict):
        return value
    converted = {key: _lists_from_indexes(item) for key, item in value.items()}
    if converted and list(converted) == [str(i) for i in range(len(converted))]:
        return list(converted.values())
    return converted


_PROBLEMS = {
    "missing": "is required",
    "string_type": "must be a string",
    "string_too_short": "must not be empty",
    "bool_type": "must be a boolean",
    "float_type": "must be a number",
    "int_type": "must be an integer",
    "dict_type": "must be an object",
    "list_type": "must be an array",
    "timezone_aware": "must be a date-time with a UTC offset",
    "datetime_type": "must be a date-time string",
    "datetime_parsing": "must be a date-time string",
    "datetime_from_date_parsing": "must be a date-time string",
    "json_invalid": "must be a JSON object",
    "json_type": "must be a JSON object",
}


def json_problems(exc: ValidationError) -> str:
    """Each error as `field: problem`, joined by "; ": for vendors whose errors are plain text.

    Example: `channel: must be one of email, sms, push or in_app; hipaa: must be a boolean`.
    """
    return "; ".join(_problem(error) for error in exc.errors())


def _problem(error: ErrorDetails) -> str:
    field = ".".join(str(part) for part in error["loc"])
    context = error.get("ctx") or {}
    kind = error["type"]
    if not field:
        return "body: must be a JSON object"
    if kind == "literal_error":
        return f"{field}: must be one of {context['expected']}".replace("'", "")
    if kind == "value_error":
        return f"{field}: {context['error']}"
    return f"{field}: {_PROBLEMS.get(kind, error['msg'])}"

"""What the fakes read from a request and how they answer as Laravel and OAuth2 servers do.

`_fake_input` (JSON, forms, Laravel's bracket names, HTTP Basic), `_fake_laravel` (422
messages, `page`/`per_page`, paginated pages) and `TokenIssuer`: pure functions of an
`httpx.Request`, so every test builds the request a client would send.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Annotated, Any, Literal

import httpx
import pytest
from pydantic import StringConstraints, TypeAdapter
from typing_extensions import TypedDict

from client_core.testing import (
    ErrorReply,
    LaravelBool,
    TokenIssuer,
    basic_credentials,
    json_body,
    laravel_error,
    laravel_input,
    laravel_invalid,
    laravel_page,
    laravel_validate,
    page_query,
    read_form,
)

URL = "https://vendor.test/api/v1/things"
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def post(method: str = "POST", **kwargs: Any) -> httpx.Request:
    """The request an httpx client would send (body already built, as the fakes see it)."""
    request = httpx.Request(method, URL, **kwargs)
    request.read()
    return request


# --- read_form ---------------------------------------------------------------------------------


def test_read_form_urlencoded_keeps_order_repeats_and_blank_values() -> None:
    request = post(
        content=b"a=1&b=&a=2&c=x+y%26z",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )

    fields, files = read_form(request)

    assert fields == [("a", "1"), ("b", ""), ("a", "2"), ("c", "x y&z")]
    assert files == []


def test_read_form_multipart_fields_and_files() -> None:
    blob = bytes(range(256)) + b"\r\n"
    request = post(
        data={"name": "Zoë", "note": "line one\r\nline two"},
        files=[
            ("files[]", ("résumé.pdf", blob, "application/pdf")),
            ("files[]", ("notes.txt", b"plain\n")),
        ],
    )

    fields, files = read_form(request)

    assert fields == [("name", "Zoë"), ("note", "line one\r\nline two")]
    assert [(f.field, f.filename, f.content_type) for f in files] == [
        ("files[]", "résumé.pdf", "application/pdf"),
        ("files[]", "notes.txt", "text/plain"),
    ]
    assert files[0].content == blob
    assert files[1].content == b"plain\n"


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"json": {"a": "1"}},
        {"content": b"a=1", "headers": {"Content-Type": "text/plain"}},
        {},
    ],
    ids=["json", "text", "no-body"],
)
def test_read_form_of_a_body_that_is_not_a_form_is_empty(request_kwargs: dict[str, Any]) -> None:
    assert read_form(post(**request_kwargs)) == ([], [])


# --- json_body ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"a": [1, null]}', {"a": [1, None]}),
        (b"[1, 2]", [1, 2]),
        (b'"text"', "text"),
        (b"{not json", None),
        (b"", None),
        (b"  \n", None),
    ],
)
def test_json_body(content: bytes, expected: object) -> None:
    assert json_body(post(content=content)) == expected


# --- laravel_input -----------------------------------------------------------------------------


def test_laravel_input_reads_a_json_object() -> None:
    assert laravel_input(post(json={"claimant": {"name": "Sam"}, "n": 1})) == {
        "claimant": {"name": "Sam"},
        "n": 1,
    }


@pytest.mark.parametrize("content", [b"[1, 2]", b'"text"', b"{broken", b""])
def test_laravel_input_of_json_that_is_not_an_object_is_empty(content: bytes) -> None:
    request = post(content=content, headers={"Content-Type": "application/json"})

    assert laravel_input(request) == {}


def test_laravel_input_nests_bracket_names_like_php() -> None:
    request = post(
        data={
            "claimant[name]": "Sam",
            "claimant[data][0][id]": "a",
            "claimant[data][0][value]": "1",
            "claimant[data][1][id]": "b",
            "data[0][id]": "x",
            "data[1][id]": "y",
            "plain": "value",
        }
    )

    assert laravel_input(request) == {
        "claimant": {"name": "Sam", "data": [{"id": "a", "value": "1"}, {"id": "b"}]},
        "data": [{"id": "x"}, {"id": "y"}],
        "plain": "value",
    }


def test_laravel_input_appends_empty_bracket_names_to_a_list() -> None:
    request = post(content=b"tags[]=a&tags[]=b&ids[]=1", headers=_FORM)

    assert laravel_input(request) == {"tags": ["a", "b"], "ids": ["1"]}


def test_laravel_input_keeps_indexes_that_are_not_0_to_n_as_an_object() -> None:
    request = post(content=b"data[1][id]=x&gaps[0]=a&gaps[2]=c", headers=_FORM)

    assert laravel_input(request) == {"data": {"1": {"id": "x"}}, "gaps": {"0": "a", "2": "c"}}


def test_laravel_input_leaves_out_the_method_field() -> None:
    request = post(data={"_method": "PATCH", "status": "waiting"})

    assert laravel_input(request) == {"status": "waiting"}


def test_laravel_input_bracket_name_after_a_plain_field_replaces_it_like_php() -> None:
    # PHP's parse_str turns `claimant` into an array when `claimant[name]` follows it.
    request = post(content=b"claimant=&claimant[name]=Sam", headers=_FORM)

    assert laravel_input(request) == {"claimant": {"name": "Sam"}}


def test_laravel_input_multipart_patch_arrives_empty_as_in_php() -> None:
    request = post("PATCH", data={"status": "waiting"}, files={"f": ("a.txt", b"x")})

    assert laravel_input(request) == {}


def test_laravel_input_multipart_post_tunnelling_patch_is_read() -> None:
    request = httpx.Request(
        "POST",
        URL + "/1",
        params={"_method": "PATCH"},
        data={"_method": "PATCH", "claimant[name]": "Sam"},
        files={"f": ("a.txt", b"x")},
    )
    request.read()

    assert laravel_input(request) == {"claimant": {"name": "Sam"}}


def test_laravel_input_urlencoded_patch_is_read() -> None:
    # Symfony parses a urlencoded PUT/PATCH/DELETE body itself; only multipart is lost.
    request = post("PATCH", content=b"status=waiting", headers=_FORM)

    assert laravel_input(request) == {"status": "waiting"}


def test_laravel_input_trims_strings_and_makes_blank_ones_null() -> None:
    # Laravel's default middleware: TrimStrings, then ConvertEmptyStringsToNull.
    request = post(
        json={
            "a": " x ",
            "b": "",
            "c": "  ",
            "list": [" y ", ""],
            "nested": {"d": " z "},
            "n": 0,
            "t": False,
        }
    )

    assert laravel_input(request) == {
        "a": "x",
        "b": None,
        "c": None,
        "list": ["y", None],
        "nested": {"d": "z"},
        "n": 0,
        "t": False,
    }


def test_laravel_input_trims_form_fields_too() -> None:
    request = post(content=b"a=+x+&b=&claimant[name]=%20&tags[]=", headers=_FORM)

    assert laravel_input(request) == {
        "a": "x",
        "b": None,
        "claimant": {"name": None},
        "tags": [None],
    }


# --- basic_credentials -------------------------------------------------------------------------


def _basic(raw: bytes, scheme: str = "Basic") -> httpx.Request:
    return post(headers={"Authorization": f"{scheme} {base64.b64encode(raw).decode()}"})


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (_basic(b"client:secret"), ("client", "secret")),
        (_basic(b"client:se:cr:et"), ("client", "se:cr:et")),
        (_basic(b"client:"), ("client", "")),
        (_basic(b"client:secret", scheme="basic"), ("client", "secret")),
        (_basic(b"no-colon"), None),
        (_basic(b"\xff\xfe:x"), None),
        (_basic(b"client:secret", scheme="Bearer"), None),
        (post(headers={"Authorization": "Basic not*base64!"}), None),
        (post(headers={"Authorization": "Basic"}), None),
        (post(), None),
    ],
    ids=[
        "good",
        "colon-in-secret",
        "empty-secret",
        "lowercase-scheme",
        "no-colon",
        "not-utf8",
        "bearer",
        "bad-base64",
        "nothing-after-scheme",
        "no-header",
    ],
)
def test_basic_credentials(request_: httpx.Request, expected: tuple[str, str] | None) -> None:
    assert basic_credentials(request_) == expected


# --- laravel_validate / validation_reply -------------------------------------------------------


class _Body(TypedDict, total=False):
    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    duration_in_minutes: int
    is_urgent: bool
    reference: str
    bandwidth: Literal["low", "medium", "high"]
    date_of_birth: date


class _Required(TypedDict):
    message: str
    reference: str
    count: int


_BODY = TypeAdapter(_Body)
_REQUIRED = TypeAdapter(_Required)


def _reply(adapter: TypeAdapter[Any], data: object) -> ErrorReply:
    with pytest.raises(ErrorReply) as caught:
        laravel_validate(adapter, data)
    return caught.value


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"message": ""}, "message", "The message field is required."),
        ({"message": "   "}, "message", "The message field is required."),
        ({"message": None}, "message", "The message field is required."),
        (
            {"duration_in_minutes": "soon"},
            "duration_in_minutes",
            "The duration in minutes field must be an integer.",
        ),
        (
            {"duration_in_minutes": 1.5},
            "duration_in_minutes",
            "The duration in minutes field must be an integer.",
        ),
        (
            {"duration_in_minutes": None},
            "duration_in_minutes",
            "The duration in minutes field is required.",
        ),
        ({"is_urgent": "perhaps"}, "is_urgent", "The is urgent field must be true or false."),
        ({"is_urgent": None}, "is_urgent", "The is urgent field is required."),
        ({"reference": 12}, "reference", "The reference field must be a string."),
        ({"bandwidth": "huge"}, "bandwidth", "The selected bandwidth is invalid."),
        ({"bandwidth": None}, "bandwidth", "The bandwidth field is required."),
        (
            {"date_of_birth": "31/01/1980"},
            "date_of_birth",
            "The date of birth field must be a valid date.",
        ),
    ],
    ids=[
        "empty-string",
        "blank-string",
        "null-string",
        "int-from-text",
        "int-from-fraction",
        "null-int",
        "bool-from-text",
        "null-bool",
        "str-from-int",
        "literal",
        "null-literal",
        "date",
    ],
)
def test_validation_messages_read_as_laravel_writes_them(
    data: dict[str, object], field: str, message: str
) -> None:
    reply = _reply(_BODY, data)

    assert reply.status == 422
    assert reply.errors == {field: [message]}
    assert reply.message == message  # one error: no "(and N more)"


def test_missing_required_field_is_required() -> None:
    reply = _reply(_REQUIRED, {"message": "hi", "count": 1})

    assert reply.errors == {"reference": ["The reference field is required."]}
    assert reply.message == "The reference field is required."


def test_validation_summary_counts_the_other_errors() -> None:
    two = _reply(_REQUIRED, {"message": "hi"})
    three = _reply(_REQUIRED, {})

    assert two.message == "The reference field is required. (and 1 more error)"
    assert three.message == "The message field is required. (and 2 more errors)"
    assert three.errors == {
        "message": ["The message field is required."],
        "reference": ["The reference field is required."],
        "count": ["The count field is required."],
    }


def test_validation_names_nested_fields_with_dots() -> None:
    class Claimant(TypedDict, total=False):
        date_of_birth: date

    class Outer(TypedDict, total=False):
        claimant: Claimant

    reply = _reply(TypeAdapter(Outer), {"claimant": {"date_of_birth": "yesterday"}})

    assert reply.errors == {
        "claimant.date_of_birth": ["The claimant.date of birth field must be a valid date."]
    }


def test_laravel_validate_returns_the_valid_body() -> None:
    body = laravel_validate(_BODY, {"message": "  hi ", "duration_in_minutes": "30"})

    assert body == {"message": "hi", "duration_in_minutes": 30}


class _Flags(TypedDict):
    flag: LaravelBool


@pytest.mark.parametrize(
    ("given", "read"),
    [(True, True), (False, False), (1, True), (0, False), ("1", True), ("0", False)],
)
def test_laravel_bool_takes_what_the_boolean_rule_takes(given: object, read: bool) -> None:
    assert laravel_validate(TypeAdapter(_Flags), {"flag": given}) == {"flag": read}


@pytest.mark.parametrize("given", ["yes", "true", "on", 2, -1, 1.0, "01"])
def test_laravel_bool_refuses_what_the_boolean_rule_refuses(given: object) -> None:
    reply = _reply(TypeAdapter(_Flags), {"flag": given})

    assert reply.errors == {"flag": ["The flag field must be true or false."]}


def test_laravel_invalid_builds_the_422_from_field_messages() -> None:
    one = laravel_invalid({"status": ["The selected status is invalid."]})
    three = laravel_invalid(
        {"a": ["The a field is required.", "The a field must be a string."], "b": ["Bad b."]}
    )

    assert (one.status, one.message) == (422, "The selected status is invalid.")
    assert one.errors == {"status": ["The selected status is invalid."]}
    assert three.message == "The a field is required. (and 2 more errors)"
    assert laravel_error(three).json() == {
        "message": "The a field is required. (and 2 more errors)",
        "errors": {
            "a": ["The a field is required.", "The a field must be a string."],
            "b": ["Bad b."],
        },
    }


def test_laravel_error_renders_message_and_errors() -> None:
    plain = laravel_error(ErrorReply(404, "Not found.", code="not_found"))
    invalid = laravel_error(ErrorReply(422, "Bad.", errors={"a": ["Bad."]}))

    assert (plain.status_code, plain.json()) == (404, {"message": "Not found."})
    assert (invalid.status_code, invalid.json()) == (
        422,
        {"message": "Bad.", "errors": {"a": ["Bad."]}},
    )


# --- page_query --------------------------------------------------------------------------------


def _page_query(query: dict[str, str], max_per_page: int | None = 100) -> tuple[int, int]:
    request = httpx.Request("GET", URL, params=query)
    return page_query(request, per_page=15, max_per_page=max_per_page)


def _page_error(query: dict[str, str], max_per_page: int | None = 100) -> ErrorReply:
    with pytest.raises(ErrorReply) as caught:
        _page_query(query, max_per_page)
    assert caught.value.status == 422
    return caught.value


def test_page_query_defaults_and_given_values() -> None:
    assert _page_query({}) == (1, 15)
    assert _page_query({"page": "3", "per_page": "50"}) == (3, 50)
    assert _page_query({"per_page": "100"}) == (1, 100)  # the maximum itself is allowed
    assert _page_query({"per_page": "500"}, max_per_page=None) == (1, 500)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"page": "two"}, {"page": ["The page field must be an integer."]}),
        ({"page": "1.5"}, {"page": ["The page field must be an integer."]}),
        ({"page": "²"}, {"page": ["The page field must be an integer."]}),
        ({"page": "0"}, {"page": ["The page field must be at least 1."]}),
        ({"page": "-2"}, {"page": ["The page field must be at least 1."]}),
        ({"per_page": "0"}, {"per_page": ["The per page field must be at least 1."]}),
        (
            {"per_page": "101"},
            {"per_page": ["The per page field must not be greater than 100."]},
        ),
    ],
    ids=["word", "fraction", "superscript-digit", "zero", "negative", "per-page-zero", "over-max"],
)
def test_page_query_refuses_what_laravel_would(
    query: dict[str, str], errors: dict[str, list[str]]
) -> None:
    error = _page_error(query)

    assert error.errors == errors
    assert error.message == next(iter(errors.values()))[0]
    assert laravel_error(error).json() == {"message": error.message, "errors": errors}


def test_page_query_summary_counts_the_other_errors_as_laravel_does() -> None:
    error = _page_error({"page": "x", "per_page": "0"})

    assert error.errors == {
        "page": ["The page field must be an integer."],
        "per_page": ["The per page field must be at least 1."],
    }
    assert error.message == "The page field must be an integer. (and 1 more error)"


# --- laravel_page ------------------------------------------------------------------------------

_ITEMS = [{"id": n} for n in range(1, 8)]  # 7 items: pages of 3 are [1-3] [4-6] [7]


def _link(page: int) -> str:
    return f"{URL}?page={page}"


@pytest.mark.parametrize(
    ("page", "ids", "prev", "next_", "from_", "to"),
    [
        (1, [1, 2, 3], None, 2, 1, 3),
        (2, [4, 5, 6], 1, 3, 4, 6),
        (3, [7], 2, None, 7, 7),
        (4, [], 3, None, None, None),
        (9, [], 8, None, None, None),
    ],
    ids=["first", "middle", "last", "just-beyond-last", "far-beyond-last"],
)
def test_laravel_page_links_and_meta(
    page: int,
    ids: list[int],
    prev: int | None,
    next_: int | None,
    from_: int | None,
    to: int | None,
) -> None:
    body = laravel_page(_ITEMS, page=page, per_page=3, url=URL)

    assert [item["id"] for item in body["data"]] == ids
    assert body["links"] == {
        "first": _link(1),
        "last": _link(3),
        "prev": None if prev is None else _link(prev),
        "next": None if next_ is None else _link(next_),
    }
    assert body["meta"] == {
        "current_page": page,
        "from": from_,
        "last_page": 3,
        "links": [],
        "path": URL,
        "per_page": 3,
        "to": to,
        "total": 7,
    }


def test_laravel_page_of_nothing() -> None:
    body = laravel_page([], page=1, per_page=15, url=URL)

    assert body["data"] == []
    assert body["links"] == {"first": _link(1), "last": _link(1), "prev": None, "next": None}
    assert body["meta"]["last_page"] == 1
    assert (body["meta"]["from"], body["meta"]["to"], body["meta"]["total"]) == (None, None, 0)


def test_laravel_page_exactly_full_pages() -> None:
    body = laravel_page(_ITEMS[:6], page=2, per_page=3, url=URL)

    assert body["links"]["next"] is None
    assert body["meta"]["last_page"] == 2


# --- TokenIssuer -------------------------------------------------------------------------------

_SECRET = "issuer-secret-3f9a"


def _issuer(credentials_in: Literal["basic", "body"], lifetime: int = 3600) -> TokenIssuer:
    return TokenIssuer(
        client_id="client-1",
        client_secret=_SECRET,
        credentials_in=credentials_in,
        lifetime=lifetime,
    )


def _token_request(
    credentials_in: Literal["basic", "body"],
    *,
    secret: str = _SECRET,
    grant: str | None = "client_credentials",
    scope: str | None = None,
) -> httpx.Request:
    form = {} if grant is None else {"grant_type": grant}
    if scope is not None:
        form["scope"] = scope
    headers = {}
    if credentials_in == "basic":
        pair = base64.b64encode(f"client-1:{secret}".encode()).decode()
        headers["Authorization"] = f"Basic {pair}"
    else:
        form |= {"client_id": "client-1", "client_secret": secret}
    return post(data=form, headers=headers)


@pytest.mark.parametrize("credentials_in", ["basic", "body"])
def test_token_issuer_mints_a_bearer_token_it_then_accepts(
    credentials_in: Literal["basic", "body"],
) -> None:
    issuer = _issuer(credentials_in, lifetime=900)

    response = issuer.issue(_token_request(credentials_in))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert (body["expires_in"], body["token_type"]) == (900, "Bearer")
    assert issuer.accepts(body["access_token"])


def test_token_issuer_mints_a_fresh_token_each_time() -> None:
    issuer = _issuer("body")

    tokens = {issuer.issue(_token_request("body")).json()["access_token"] for _ in range(3)}

    assert len(tokens) == 3
    assert all(issuer.accepts(token) for token in tokens)


@pytest.mark.parametrize("credentials_in", ["basic", "body"])
def test_token_issuer_refuses_a_wrong_secret(credentials_in: Literal["basic", "body"]) -> None:
    response = _issuer(credentials_in).issue(_token_request(credentials_in, secret="wrong"))

    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "Client authentication failed.",
    }


def test_token_issuer_refuses_credentials_sent_the_other_way() -> None:
    basic_issuer, body_issuer = _issuer("basic"), _issuer("body")

    assert basic_issuer.issue(_token_request("body")).status_code == 401
    assert body_issuer.issue(_token_request("basic")).status_code == 401


@pytest.mark.parametrize("grant", ["password", "", None])
def test_token_issuer_refuses_other_grants(grant: str | None) -> None:
    response = _issuer("body").issue(_token_request("body", grant=grant))

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_token_issuer_echoes_scope_only_when_asked_for_one() -> None:
    issuer = _issuer("basic")

    with_scope = issuer.issue(_token_request("basic", scope="messages.send")).json()
    without = issuer.issue(_token_request("basic")).json()

    assert with_scope["scope"] == "messages.send"
    assert "scope" not in without


def test_token_issuer_expire_all_and_unknown_tokens() -> None:
    issuer = _issuer("body")
    token = issuer.issue(_token_request("body")).json()["access_token"]

    issuer.expire_all()

    assert not issuer.accepts(token)
    assert not issuer.accepts("never-issued")
    assert not issuer.accepts("")
    fresh = issuer.issue(_token_request("body")).json()["access_token"]
    assert issuer.accepts(fresh)


def test_token_issuer_token_expires_after_its_lifetime() -> None:
    issuer = _issuer("body", lifetime=0)

    token = issuer.issue(_token_request("body")).json()["access_token"]

    assert not issuer.accepts(token)


def test_token_issuer_repr_hides_the_secret() -> None:
    issuer = _issuer("basic")
    issuer.issue(_token_request("basic"))

    assert repr(issuer) == "TokenIssuer(client_id='client-1', issued=1)"
    assert _SECRET not in repr(issuer)
    assert issuer.client_secret == _SECRET

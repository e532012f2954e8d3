"""How a response model reads when shown to a person: `print(model)`, Jupyter, IPython.

Only the fields the vendor sent are shown (not every optional field as None), one per line once
the model no longer fits on a line; fields declared with `repr=False` stay hidden, as in `repr()`.
Nothing here runs while a response is parsed: it costs only when a model is displayed.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._models import Resource

__all__ = ["display_html", "display_text"]

_WIDTH = 88
_INDENT = "    "


def display_text(model: Resource) -> str:
    """`model` as readable text: one line if it fits, else one field per line."""
    return _text(model, 0)


def display_html(model: Resource) -> str:
    """`model` as preformatted HTML for Jupyter (the text form, escaped)."""
    return f"<pre>{html.escape(display_text(model))}</pre>"


def _sent_fields(model: Resource) -> list[tuple[str, object]]:
    sent = model.model_fields_set
    declared = type(model).model_fields
    # __repr_args__ already leaves out repr=False fields; keep what the vendor sent, plus extras.
    return [
        (name, value)
        for name, value in model.__repr_args__()
        if name is not None and (name in sent or name not in declared)
    ]


def _text(value: object, depth: int, lead: int = 0) -> str:
    """`value` at nesting `depth`, placed after `lead` characters on its first line."""
    from ._models import Resource  # _models imports this module to use it

    if isinstance(value, Resource):
        opening, closing = f"{type(value).__name__}(", ")"
        items = [(f"{name}=", item) for name, item in _sent_fields(value)]
    elif isinstance(value, list | tuple):
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        items = [("", item) for item in value]
    elif isinstance(value, dict):
        opening, closing = "{", "}"
        items = [(f"{key!r}: ", item) for key, item in value.items()]
    else:
        return repr(value)
    parts = [label + _text(item, depth + 1, len(label)) for label, item in items]
    one_line = opening + ", ".join(parts) + closing
    # +1: the comma that follows a nested value
    if "\n" not in one_line and len(_INDENT) * depth + lead + len(one_line) + 1 <= _WIDTH:
        return one_line
    inner = _INDENT * (depth + 1)
    return "\n".join([opening, *(f"{inner}{part}," for part in parts), _INDENT * depth + closing])

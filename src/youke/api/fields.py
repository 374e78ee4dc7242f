"""Field types shared by every request schema: the limits the database will hold, on both.

PostgreSQL refuses NUL characters, lone surrogates, over-long varchar values and integers
beyond the column's range with an error (a 500 if nothing checks first); SQLite stores all
of them silently. Every text and number a client sends goes through one of these types, so
both databases see the same limits and the client gets 422 naming the field and the limit
(messages in ``api.common._pydantic_message``).

Lengths follow the model fields (``Text(Unit._meta.get_field("name").max_length)`` is
spelled ``Text(100)`` with the model named in the schema); numbers follow the column types:
ids are 64-bit (``BigAutoField``), counts and points are ``PositiveIntegerField`` (32-bit
on PostgreSQL).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from youke.core.text import text_problem

ID_MAX = 2**63 - 1  # BigAutoField
INT32_MAX = 2**31 - 1  # IntegerField / PositiveIntegerField on PostgreSQL
LONG_TEXT = 2000  # TextFields that carry a max_length of 2000 (comments, reasons)
SEARCH_MAX = 100  # free-text search in list filters


def _storable(value: str) -> str:
    if problem := text_problem(value):
        raise ValueError(problem)
    return value


def Text(max_length: int, *, min_length: int = 0):  # noqa: N802 - reads as a type
    """A text of at most ``max_length`` characters without NUL or lone surrogates."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(_storable),
    ]


def Integer(minimum: int = 0, maximum: int = INT32_MAX):  # noqa: N802 - reads as a type
    """A whole number within a column's range (default: ``PositiveIntegerField``)."""
    return Annotated[int, Field(ge=minimum, le=maximum)]


Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Count = Integer()
Search = Text(SEARCH_MAX)
LongText = Text(LONG_TEXT)
Reason = Text(300)  # every *reason CharField of selection and submissions
Email = Text(254)  # EmailField's default max_length

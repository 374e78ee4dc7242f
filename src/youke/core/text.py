"""What text every database can store: shared by API schemas, forms and the request guard."""

from __future__ import annotations

from django.utils.translation import gettext as _


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text on every database, or None.

    PostgreSQL refuses NUL characters and lone surrogates with an error; SQLite stores them
    silently. Both are refused before they reach either.
    """
    if "\x00" in value:
        return _("不能包含空字符（\\x00），请删除后重新填写。")
    if any("\ud800" <= char <= "\udfff" for char in value):
        return _("含有无法保存的字符（不成对的代理字符），请删除后重新填写。")
    return None


def validate_storable_text(value: str) -> None:
    """A Django validator for form and model fields."""
    from django.core.exceptions import ValidationError

    if isinstance(value, str) and (problem := text_problem(value)):
        raise ValidationError(problem, code="unstorable_text")

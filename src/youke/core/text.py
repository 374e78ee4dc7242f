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


# PostgreSQL's column ranges, which SQLite does not enforce: checked on both.
INTEGER_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def storage_problems(instance) -> dict[str, list[str]]:
    """Field values of a model instance that one of the databases could not store as they are.

    Over-long text (the field's ``max_length``, TextFields included), NUL characters, lone
    surrogates and whole numbers outside the column's PostgreSQL range. Domain code is
    expected to check its input first; this is the last line before the database, so that
    SQLite and PostgreSQL refuse the same values and neither answers a 500.
    """
    from django.db import models

    problems: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if value is None:
            continue
        if isinstance(field, models.CharField | models.TextField) and isinstance(value, str):
            if field.max_length and len(value) > field.max_length:
                problems[field.name] = [
                    _("“%(label)s”过长，最多 %(max)s 个字符（现有 %(len)s 个），请缩短后重试。")
                    % {"label": field.verbose_name, "max": field.max_length, "len": len(value)}
                ]
            elif problem := text_problem(value):
                problems[field.name] = [f"{field.verbose_name}：{problem}"]
        elif isinstance(value, int) and not isinstance(value, bool):
            bounds = INTEGER_RANGES.get(field.get_internal_type())
            if bounds and not bounds[0] <= value <= bounds[1]:
                problems[field.name] = [
                    _("“%(label)s”应在 %(min)s 到 %(max)s 之间，请检查后重试。")
                    % {"label": field.verbose_name, "min": bounds[0], "max": bounds[1]}
                ]
    return problems


def refuse_unstorable(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save`` receiver for every youke model: see ``storage_problems``."""
    from django.core.exceptions import ValidationError

    if raw or not sender.__module__.startswith("youke."):  # fixtures; third-party models
        return
    if problems := storage_problems(instance):
        raise ValidationError(problems)

"""Checks on identity data: GB 11643 ID-card numbers, mobiles, unit codes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.orgs.enums import REGION_KINDS

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def id_card_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_card(value: str) -> str:
    return value.strip().upper()


def validate_id_card(value: str) -> None:
    value = normalize_id_card(value)
    if not _ID_PATTERN.match(value):
        raise ValidationError(
            _("身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X，请核对后重新填写。"),
            code="id_card_format",
        )
    if id_card_check_digit(value[:17]) != value[17]:
        raise ValidationError(
            _("身份证号校验位不正确（GB 11643），请核对每一位数字后重新填写。"),
            code="id_card_checksum",
        )


def mask_id_card(value: str | None) -> str:
    """Only the last four digits are ever shown in pages and exports."""
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:]


def mask_mobile(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) == 11 else value


def validate_mobile(value: str) -> None:
    if not _MOBILE_PATTERN.match(value):
        raise ValidationError(
            _("手机号应为 11 位数字并以 1 开头，例如 13800000000，请重新填写。"),
            code="mobile_format",
        )


def validate_unit_code(code: str, kind: str) -> None:
    if kind in REGION_KINDS:
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(
                _("行政区划单位的代码应为 6 位数字（如 330100），请重新填写。"),
                code="region_code",
            )
    elif not re.fullmatch(r"\d{10}", code):
        raise ValidationError(
            _("学校和教学点的代码应为 10 位数字的学校标识码，请重新填写。"), code="school_code"
        )

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youke.certificates.domain import offline


class CertificateState(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate state", "有效")
    REVOKED = "revoked", pgettext_lazy("certificate state", "已撤销")


# The only moves a certificate may make; revoke_certificate refuses everything else.
CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    CertificateState.VALID: frozenset({CertificateState.REVOKED}),
    CertificateState.REVOKED: frozenset(),
}


class RecipientKind(models.TextChoices):
    """Whom a template's certificates go to: awarded teachers, or commended units."""

    TEACHER = "teacher", _("获奖教师")
    UNIT = "unit", _("表彰单位")


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("A4 横向")
    PORTRAIT = "portrait", _("A4 纵向")


class VerifyStatus(models.TextChoices):
    """What the verify page and the CLI conclude about a payload."""

    VALID = offline.VALID, pgettext_lazy("verify status", "有效")
    REVOKED = offline.REVOKED, pgettext_lazy("verify status", "已撤销")
    UNKNOWN = offline.UNKNOWN, pgettext_lazy("verify status", "未登记")
    FORGED = offline.FORGED, pgettext_lazy("verify status", "签名无效")

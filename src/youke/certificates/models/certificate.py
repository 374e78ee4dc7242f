"""Issued certificates and the per-authority, per-year serial counters."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.certificates.enums import CertificateState


def new_share_token() -> str:
    return secrets.token_urlsafe(12)


class SerialCounter(models.Model):
    """The last sequence used for one authority code and year; its row is the lock."""

    authority_code = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority_code", "year"], name="cert_serial_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_code}-{self.year}: {self.last}"


class Certificate(models.Model):
    """One award's certificate for one recipient (the teacher or a co-author), or one
    commendation's certificate for the commended unit; the signed payload is what the QR
    holds. Exactly one of (award with recipient) and commendation is set."""

    template = models.ForeignKey(
        "certificates.CertificateTemplate", on_delete=models.PROTECT, related_name="certificates"
    )
    award = models.ForeignKey(
        "selection.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    commendation = models.ForeignKey(
        "certificates.Commendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # The issuing unit (the template's): admins of it and above see the certificate.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(_("证书编号"), max_length=32, unique=True)
    # The printed and signed data (see domain.payload.FIELDS) and the QR text carrying them.
    fields = models.JSONField()
    payload = models.TextField()
    kid = models.CharField(max_length=16)
    pdf = models.FileField(upload_to="certificates/pdf/", blank=True, max_length=200)
    share_token = models.CharField(max_length=24, unique=True, default=new_share_token)
    state = models.CharField(
        _("状态"), max_length=16, choices=CertificateState.choices, default=CertificateState.VALID
    )
    issued_at = models.DateTimeField(_("发证时间"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "recipient"], name="cert_one_per_award_person"
            ),
            models.UniqueConstraint(fields=["commendation"], name="cert_one_per_commendation"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        award__isnull=False, recipient__isnull=False, commendation__isnull=True
                    )
                    | models.Q(
                        award__isnull=True, recipient__isnull=True, commendation__isnull=False
                    )
                ),
                name="cert_award_or_commendation",
            ),
        ]
        indexes = [models.Index(fields=["unit", "state"], name="cert_unit_state")]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_revoked(self) -> bool:
        return self.state == CertificateState.REVOKED

"""Certificate templates: what a level's certificates say and who issues them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.certificates.enums import Orientation, RecipientKind


class CertificateTemplate(models.Model):
    """One unit's certificate for one level of a campaign (a city issues its own), for
    awarded teachers or for the units it commends (one template of each kind)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    recipient_kind = models.CharField(
        _("发证对象"), max_length=16, choices=RecipientKind.choices, default=RecipientKind.TEACHER
    )
    # The campaign's rule for co-authors, kept with the certificate it governs.
    include_coauthors = models.BooleanField(
        _("合作者同获证书"),
        default=False,
        help_text=_("勾选后，批量签发时作品的每位合作者也各获一张证书。"),
    )
    title = models.CharField(_("证书标题"), max_length=40)
    body = models.TextField(_("正文"), max_length=600)
    orientation = models.CharField(
        _("版式"), max_length=16, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    background = models.FileField(
        _("背景图"), upload_to="certificates/backgrounds/", blank=True, max_length=200
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("证书模板")
        verbose_name_plural = _("证书模板")
        ordering = ["campaign_id", "level__order", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "level", "unit", "recipient_kind"],
                name="cert_template_one_per_unit_level_kind",
            )
        ]

    def __str__(self) -> str:
        return self.title


class IssuingAuthority(models.Model):
    """A body named on the certificate with its seal; the first one's code starts the serial."""

    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="authorities"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("发证机构全称"), max_length=60)
    seal = models.FileField(_("印章"), upload_to="certificates/seals/", blank=True, max_length=200)
    seal_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("发证机构")
        verbose_name_plural = _("发证机构")
        ordering = ["template_id", "order", "id"]

    def __str__(self) -> str:
        return self.name

"""A programme (action plan) of a bureau: its stages and its working-group roster."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.programmes.enums import RosterRole


class Programme(models.Model):
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=120)
    doc_number = models.CharField(_("文号"), max_length=40, blank=True)
    description = models.TextField(_("说明"), max_length=4000, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("行动计划")
        verbose_name_plural = _("行动计划")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("阶段"), max_length=60)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="stage_order_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RosterMember(models.Model):
    """A member of the working group (工作专班); ``person`` links an account when there is one."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roster")
    role = models.CharField(_("职务"), max_length=12, choices=RosterRole.choices)
    name = models.CharField(_("姓名"), max_length=60)
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.CharField(_("部门"), max_length=120, blank=True)
    position = models.CharField(_("职务（行政）"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("工作专班成员")
        verbose_name_plural = _("工作专班成员")
        ordering = ["programme", "role", "id"]

    def __str__(self) -> str:
        return self.name

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from youke.orgs.enums import AreaType, ContactRole, SchoolStage, UnitKind


class Unit(MP_Node):
    """A unit of the tree 教育部 → 省 → 市 → 县(区) → 学校 → 教学点.

    ``path`` (materialized path, indexed) makes "everything under X" one range query.
    """

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=10, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    area_type = models.CharField(_("城区/县区"), max_length=8, choices=AreaType.choices, blank=True)
    # 学段 of a school or teaching point (blank for regions): stage targets apply by it.
    stage = models.CharField(_("学段"), max_length=12, choices=SchoolStage.choices, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """One row of a unit's contact sheet (负责人/联系人/管理员, seed 003 附件2)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("职责"), max_length=16, choices=ContactRole.choices)
    name = models.CharField(_("姓名"), max_length=64)
    department = models.CharField(_("部门"), max_length=100, blank=True)
    position = models.CharField(_("职务"), max_length=64, blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=32, blank=True)
    mobile = models.CharField(_("手机"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系表")
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="contact_one_per_role")
        ]
        ordering = ["unit", "role"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_role_display()} {self.name}"

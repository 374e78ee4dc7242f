from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from youke.catalog.enums import NodeLevel


class CourseNode(MP_Node):
    """A node of 学段 → 学科 → 教材版本 → 年级/册次 → 单元 → 课 (→ 课时).

    ``code`` (课程节点编号) is stable across years and imports; ``path`` is internal.
    """

    code = models.CharField(_("节点编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=NodeLevel.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("课程节点")
        verbose_name_plural = _("课程节点")

    def __str__(self) -> str:
        return self.name

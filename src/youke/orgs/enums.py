from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", pgettext_lazy("unit kind", "教育部")
    PROVINCE = "province", pgettext_lazy("unit kind", "省")
    CITY = "city", pgettext_lazy("unit kind", "市")
    COUNTY = "county", pgettext_lazy("unit kind", "县(区)")
    SCHOOL = "school", pgettext_lazy("unit kind", "学校")
    TEACHING_POINT = "teaching_point", pgettext_lazy("unit kind", "教学点")


# Which kind of unit may sit directly under which: the tree is 教育部 → 省 → 市 → 县 → 学校 → 教学点.
CHILD_KINDS: dict[str, frozenset[str]] = {
    UnitKind.MINISTRY: frozenset({UnitKind.PROVINCE}),
    UnitKind.PROVINCE: frozenset({UnitKind.CITY}),
    UnitKind.CITY: frozenset({UnitKind.COUNTY, UnitKind.SCHOOL}),
    UnitKind.COUNTY: frozenset({UnitKind.SCHOOL}),
    UnitKind.SCHOOL: frozenset({UnitKind.TEACHING_POINT}),
    UnitKind.TEACHING_POINT: frozenset(),
}
REGION_KINDS = frozenset({UnitKind.MINISTRY, UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY})


class AreaType(models.TextChoices):
    URBAN = "urban", pgettext_lazy("area type", "城区")
    COUNTY = "county", pgettext_lazy("area type", "县区")


class SchoolStage(models.TextChoices):
    """学段 of a school (or teaching point): a target may differ by stage (issue 11, item 1)."""

    PRIMARY = "primary", pgettext_lazy("school stage", "小学")
    JUNIOR = "junior", pgettext_lazy("school stage", "初中")
    SENIOR = "senior", pgettext_lazy("school stage", "高中")
    NINE_YEAR = "nine_year", pgettext_lazy("school stage", "九年一贯制")
    COMPLETE = "complete", pgettext_lazy("school stage", "完全中学")


# Only these kinds carry a stage; a region spans several.
STAGED_KINDS = frozenset({UnitKind.SCHOOL, UnitKind.TEACHING_POINT})


class ContactRole(models.TextChoices):
    LEADER = "leader", pgettext_lazy("contact role", "负责人")
    CONTACT = "contact", pgettext_lazy("contact role", "联系人")
    ADMIN = "admin", pgettext_lazy("contact role", "管理员")


class Role(models.TextChoices):
    TEACHER = "teacher", pgettext_lazy("role", "教师")
    UNIT_ADMIN = "unit_admin", pgettext_lazy("role", "单位管理员")
    EXPERT = "expert", pgettext_lazy("role", "评审专家")
    RESEARCH = "research", pgettext_lazy("role", "教研人员")
    ELEARNING = "elearning", pgettext_lazy("role", "电教人员")


class TeacherTitle(models.TextChoices):
    NONE = "", _("无")
    SPECIAL_GRADE = "special_grade", pgettext_lazy("teacher title", "特级教师")
    PROVINCIAL_LEADER = "provincial_leader", pgettext_lazy("teacher title", "省级学科带头人")
    CITY_LEADER = "city_leader", pgettext_lazy("teacher title", "市级学科带头人")
    BACKBONE = "backbone", pgettext_lazy("teacher title", "骨干教师")
    MASTER = "master", pgettext_lazy("teacher title", "名师")

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youke.orgs.enums import TeacherTitle


class DayOffKind(models.TextChoices):
    HOLIDAY = "holiday", pgettext_lazy("day off kind", "放假")
    MAKEUP = "makeup", pgettext_lazy("day off kind", "调休上课")


class GroupMode(models.TextChoices):
    SCHOOL_TO_POINTS = "school_points", pgettext_lazy("group mode", "一校带多点")
    SCHOOL_TO_SCHOOLS = "school_schools", pgettext_lazy("group mode", "一校带多校")
    CENTRE_TO_POINTS = "centre_points", pgettext_lazy("group mode", "中心学校带教学点")


class ViewPermission(models.TextChoices):
    PRIVATE = "private", pgettext_lazy("view permission", "私密")
    PUBLIC = "public", pgettext_lazy("view permission", "公开")
    LOGIN = "login", pgettext_lazy("view permission", "登录可见")
    PASSWORD = "password", pgettext_lazy("view permission", "密码")


class SessionStatus(models.TextChoices):
    """Derived, never stored: from the schedule, the host's marks and a cancellation."""

    NOT_STARTED = "not_started", pgettext_lazy("session status", "未开始")
    LIVE = "live", pgettext_lazy("session status", "直播中")
    ENDED = "ended", pgettext_lazy("session status", "已结束")
    CANCELLED = "cancelled", pgettext_lazy("session status", "已取消")


class LessonKind(models.TextChoices):
    DEMONSTRATION = "demonstration", pgettext_lazy("lesson kind", "示范课")
    OPEN = "open", pgettext_lazy("lesson kind", "公开课")


class LessonMode(models.TextChoices):
    LIVE = "live", pgettext_lazy("lesson mode", "直播")
    RECORDED = "recorded", pgettext_lazy("lesson mode", "录播")


class LessonState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("lesson state", "已安排")
    HELD = "held", pgettext_lazy("lesson state", "已开课")
    CANCELLED = "cancelled", pgettext_lazy("lesson state", "已取消")


LESSON_TRANSITIONS: dict[str, frozenset[str]] = {
    LessonState.SCHEDULED: frozenset({LessonState.HELD, LessonState.CANCELLED}),
    LessonState.HELD: frozenset(),
    LessonState.CANCELLED: frozenset(),
}


class PrepState(models.TextChoices):
    OPEN = "open", pgettext_lazy("prep state", "研讨中")
    CLOSED = "closed", pgettext_lazy("prep state", "已总结")


PREP_TRANSITIONS: dict[str, frozenset[str]] = {
    PrepState.OPEN: frozenset({PrepState.CLOSED}),
    PrepState.CLOSED: frozenset(),
}


class WorkKind(models.TextChoices):
    """What counts toward a teacher's 三个课堂 workload (issue 12 item 10)."""

    HOST_PERIOD = "host_period", pgettext_lazy("work kind", "主讲课时")
    ASSISTED_SESSION = "assisted_session", pgettext_lazy("work kind", "辅助听讲课时")
    DEMO_LESSON = "demo_lesson", pgettext_lazy("work kind", "示范课、公开课")
    REVIEW = "review", pgettext_lazy("work kind", "评课")
    NETWORK_LESSON = "network_lesson", pgettext_lazy("work kind", "网络课堂录课")


class StudioRole(models.TextChoices):
    MEMBER = "member", pgettext_lazy("studio role", "成员")
    TRAINEE = "trainee", pgettext_lazy("studio role", "培育对象")


# R16: the titles that carry the semester duty, with the level each title belongs to.
DUTY_TITLES: dict[str, str] = {
    TeacherTitle.SPECIAL_GRADE: "province",
    TeacherTitle.PROVINCIAL_LEADER: "province",
    TeacherTitle.CITY_LEADER: "city",
    TeacherTitle.MASTER: "city",
}


class TitleLevel(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("title level", "省级")
    CITY = "city", pgettext_lazy("title level", "市级")


class PilotKind(models.TextChoices):
    PILOT = "pilot", pgettext_lazy("pilot kind", "试点校")
    EXPERIMENT = "experiment", pgettext_lazy("pilot kind", "实验校")


class CourseState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("network course state", "草稿")
    IN_REVIEW = "in_review", pgettext_lazy("network course state", "审核中")
    RETURNED = "returned", pgettext_lazy("network course state", "已退回")
    SHARED = "shared", pgettext_lazy("network course state", "已共享")
    WITHDRAWN = "withdrawn", pgettext_lazy("network course state", "已撤回")


COURSE_TRANSITIONS: dict[str, frozenset[str]] = {
    CourseState.DRAFT: frozenset({CourseState.IN_REVIEW}),
    CourseState.IN_REVIEW: frozenset({CourseState.RETURNED, CourseState.SHARED}),
    CourseState.RETURNED: frozenset({CourseState.IN_REVIEW}),
    CourseState.SHARED: frozenset({CourseState.WITHDRAWN}),
    CourseState.WITHDRAWN: frozenset({CourseState.IN_REVIEW}),
}


class Department(models.TextChoices):
    RESEARCH = "research", pgettext_lazy("review department", "教研（内容）")
    ELEARNING = "elearning", pgettext_lazy("review department", "电教（技术）")


class Verdict(models.TextChoices):
    PASS = "pass", pgettext_lazy("review verdict", "通过")
    RETURN = "return", pgettext_lazy("review verdict", "退回修改")


# The national courses a receiving school must be able to offer (开齐开足), default for a term.
DEFAULT_REQUIRED_SUBJECTS = ["英语", "音乐", "美术", "科学", "信息科技", "道德与法治", "体育与健康"]

# A short observation form for 评课: (field, label).
OBSERVATION_ITEMS = (
    ("goals", _("教学目标")),
    ("process", _("教学过程")),
    ("engagement", _("学生参与")),
    ("technology", _("信息技术运用")),
)

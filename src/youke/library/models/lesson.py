"""A library lesson: a public record copied from an awarded package at publishing time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.library.enums import FileKind, LessonState


class LibraryLesson(models.Model):
    """Stable public record: its own id and URL; later edits of the package never change it.

    Texts, node, category, awards and names are copied when publishing; files point at the
    uploads of that moment (an upload is never rewritten, a replaced material gets a new one).
    ``search_*`` hold pre-segmented text (``domain.segment``) that SQLite FTS5 and
    PostgreSQL full-text search index alike (migration 0002).
    """

    submission = models.ForeignKey(
        "submissions.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_lessons",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The awarding unit whose admins published it (and may take it down).
    publishing_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    teacher = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    teacher_name = models.CharField(_("教师"), max_length=100, blank=True)
    school_name = models.CharField(_("学校"), max_length=100, blank=True)
    title = models.CharField(_("课题"), max_length=120)
    description = models.TextField(_("简介"), blank=True)
    # A lesson of a library course may have no catalog node (its course names subject/grade).
    node = models.ForeignKey(
        "catalog.CourseNode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    node_path = models.CharField(max_length=255, db_index=True, blank=True)
    node_trail = models.CharField(_("课程目录"), max_length=500)
    stage = models.ForeignKey(
        "catalog.CourseNode", null=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "catalog.CourseNode", null=True, on_delete=models.PROTECT, related_name="+"
    )
    edition = models.ForeignKey(
        "catalog.CourseNode", null=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.ForeignKey(
        "catalog.CourseNode", null=True, on_delete=models.PROTECT, related_name="+"
    )
    category_name = models.CharField(_("类别"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))
    # The highest awarding level (campaigns.LevelKey) and its order, for the filter and sort.
    award_level = models.CharField(_("获奖级别"), max_length=16, blank=True)
    award_order = models.PositiveSmallIntegerField(default=0)
    # [{"level": "市级遴选", "grade": "一等奖"}]: names as they were when published.
    awards = models.JSONField(_("获奖"), default=list, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=LessonState.choices, default=LessonState.PUBLISHED
    )
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublished_at = models.DateTimeField(_("下架时间"), null=True, blank=True)
    unpublish_reason = models.CharField(_("下架理由"), max_length=300, blank=True)
    # Usage counters, written only by domain.usage.flush (buffered in the cache between).
    views = models.PositiveIntegerField(_("浏览量"), default=0)
    visitors = models.PositiveIntegerField(_("访客数"), default=0)
    downloads = models.PositiveIntegerField(_("下载量"), default=0)
    likes = models.PositiveIntegerField(_("点赞数"), default=0)
    rating_count = models.PositiveIntegerField(_("评分人数"), default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_avg = models.FloatField(_("平均评分"), default=0)
    # Written at once under the lesson's row lock by domain.favourites and domain.comments.
    favourites = models.PositiveIntegerField(_("收藏数"), default=0)
    comments = models.PositiveIntegerField(_("评论数"), default=0)
    # A lesson of a library course (domain.courses): its place in the course, the planned
    # lesson it was copied from, and the address of a recording kept elsewhere (no player).
    course = models.ForeignKey(
        "library.LibraryCourse",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    course_order = models.PositiveSmallIntegerField(_("课序"), null=True, blank=True)
    planned_lesson = models.ForeignKey(
        "classrooms.PlannedLesson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_url = models.URLField(_("外部录像地址"), max_length=500, blank=True)
    search_title = models.TextField(blank=True)
    search_body = models.TextField(blank=True)
    search_pinyin = models.TextField(blank=True)
    search_grams = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("资源库课例")
        verbose_name_plural = _("资源库课例")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=models.Q(submission__isnull=False),
                name="library_one_lesson_per_submission",
            ),
            models.UniqueConstraint(
                fields=["planned_lesson"],
                condition=models.Q(planned_lesson__isnull=False),
                name="library_one_lesson_per_planned_lesson",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at", "-id"], name="library_newest"),
            models.Index(fields=["state", "-views", "-id"], name="library_most_viewed"),
            models.Index(fields=["state", "-rating_avg", "-id"], name="library_best_rated"),
            models.Index(fields=["state", "node_path"], name="library_node_path"),
            models.Index(fields=["state", "stage", "-published_at"], name="library_stage"),
            models.Index(fields=["state", "subject", "-published_at"], name="library_subject"),
            models.Index(fields=["state", "edition", "-published_at"], name="library_edition"),
            models.Index(fields=["state", "volume", "-published_at"], name="library_volume"),
            models.Index(fields=["state", "year"], name="library_year"),
            models.Index(fields=["teacher", "state"], name="library_teacher"),
            models.Index(fields=["course", "course_order"], name="library_course_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == LessonState.PUBLISHED


class LibraryFile(models.Model):
    """One video (per period) or document of a library lesson."""

    lesson = models.ForeignKey(LibraryLesson, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类型"), max_length=16, choices=FileKind.choices)
    label = models.CharField(_("名称"), max_length=100)
    period = models.PositiveSmallIntegerField(_("课时"), default=1)
    order = models.PositiveSmallIntegerField(default=0)
    upload = models.ForeignKey("media.Upload", on_delete=models.PROTECT, related_name="+")
    downloads = models.PositiveIntegerField(_("下载次数"), default=0)

    class Meta:
        verbose_name = _("资源库文件")
        verbose_name_plural = _("资源库文件")
        ordering = ["lesson_id", "order", "period", "id"]

    def __str__(self) -> str:
        return self.label

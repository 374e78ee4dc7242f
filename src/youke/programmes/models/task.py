"""Tasks of a programme (the ledger, 工作台账): areas, responsible units, notes, evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.programmes.enums import TaskStatus


class TaskArea(models.Model):
    """A task area (工作任务), e.g. 转变教育理念; its tasks are numbered within it."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("任务领域"), max_length=120)

    class Meta:
        verbose_name = _("任务领域")
        verbose_name_plural = _("任务领域")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="task_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Task(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="tasks"
    )
    area = models.ForeignKey(TaskArea, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("任务内容"), max_length=4000, blank=True)
    lead_department = models.CharField(_("牵头部门"), max_length=120, blank=True)
    units = models.ManyToManyField(
        "orgs.Unit", through="TaskUnit", verbose_name=_("责任单位"), related_name="+"
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    # The status a paused task resumes to; empty unless paused.
    paused_from = models.CharField(max_length=12, choices=TaskStatus.choices, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["area__number", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="task_status_deadline")]

    def __str__(self) -> str:
        return self.title


class TaskUnit(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_unit_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.unit_id}"


class ProgressNote(models.Model):
    """A dated progress entry by a responsible unit (or the owner)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"), max_length=4000)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作进展")
        verbose_name_plural = _("工作进展")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class EvidenceFile(models.Model):
    """A supporting document of a task, kept in Django ``STORAGES`` (the default storage)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("上传单位"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="programmes/%Y/%m/", max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name

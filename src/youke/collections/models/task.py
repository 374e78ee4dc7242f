from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youke.collections.enums import (
    MISSING_STATES,
    CollectionKind,
    Gender,
    ReturnState,
    ReturnStatus,
    TaskState,
)
from youke.orgs.enums import ContactRole, UnitKind


class CollectionTask(models.Model):
    """A collection (征集/报送任务) an admin sends to the units below: a contact sheet or a
    document (实施方案 / 年度报告), with instructions and a deadline.

    ``target_kind`` empty means the units directly below the issuing unit; a kind means every
    active unit of that kind in the issuing unit's subtree (e.g. all schools of a county).
    """

    issuing_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="collection_tasks"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collection_tasks",
        verbose_name=_("所属遴选活动"),
    )
    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("报送内容"), max_length=16, choices=CollectionKind.choices)
    instructions = models.TextField(_("报送要求"), blank=True)
    deadline = models.DateField(_("截止日期"))
    target_kind = models.CharField(
        _("报送单位"), max_length=16, choices=UnitKind.choices, blank=True
    )
    remind_days = models.PositiveSmallIntegerField(_("截止前几天自动提醒"), default=3)
    state = models.CharField(
        _("状态"), max_length=8, choices=TaskState.choices, default=TaskState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("征集任务")
        verbose_name_plural = _("征集任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "deadline"], name="collection_task_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_document(self) -> bool:
        return self.kind != CollectionKind.CONTACT_SHEET

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


class CollectionReturn(models.Model):
    """One target unit's return to a task (its contact sheet or its document versions)."""

    task = models.ForeignKey(CollectionTask, on_delete=models.CASCADE, related_name="returns")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=12, choices=ReturnState.choices, default=ReturnState.PENDING
    )
    # The stamped scan of a contact sheet (PDF/JPG/PNG, checked by content).
    scan = models.FileField(_("盖章扫描件"), upload_to="collections/scans/%Y/", blank=True)
    scan_type = models.CharField(_("扫描件类型"), max_length=100, blank=True)
    scan_size = models.PositiveBigIntegerField(_("扫描件大小"), default=0)
    scan_sha256 = models.CharField(_("扫描件 SHA-256"), max_length=64, blank=True)
    comment = models.TextField(_("审定意见"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="collection_return_one_per_unit")
        ]
        indexes = [models.Index(fields=["task", "state"], name="collection_return_state")]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"

    @property
    def is_missing(self) -> bool:
        return self.state in MISSING_STATES

    @property
    def status(self) -> str:
        if self.is_missing and self.task.is_past_deadline:
            return ReturnStatus.OVERDUE
        return ReturnStatus(self.state).value

    @property
    def status_label(self) -> str:
        return ReturnStatus(self.status).label


class ContactEntry(models.Model):
    """One role's row of a returned contact sheet (seed 003 附件2).

    Stored as typed, so a draft keeps what was entered even while a field is still wrong;
    confirming validates every row (``domain.returns.confirm_contacts``).
    """

    collection_return = models.ForeignKey(
        CollectionReturn, on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("职责"), max_length=16, choices=ContactRole.choices)
    name = models.CharField(_("姓名"), max_length=64, blank=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    position = models.CharField(_("职务"), max_length=64, blank=True)
    department = models.CharField(_("负责部门"), max_length=100, blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=32, blank=True)
    mobile = models.CharField(_("手机"), max_length=32, blank=True)
    email = models.CharField(_("电子邮箱"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("联系表行")
        verbose_name_plural = _("联系表行")
        constraints = [
            models.UniqueConstraint(
                fields=["collection_return", "role"], name="collection_contact_one_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_return_id} {self.role} {self.name}"

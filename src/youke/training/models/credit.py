"""The training-hour ledger (R12): append-only credits, reversed by a counter-entry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import TrainingEvent
from youke.classrooms.enums import WorkKind
from youke.training.enums import CreditKind


class TrainingCredit(models.Model):
    """One line of a teacher's ledger: hours, the year they count for, and their source.

    Rule credits come from a campaign's ``TrainingHourRule`` at the event that earns them;
    the partial unique constraint makes "once per teacher, lesson and event" hold even when
    two signals race. 三个课堂 workload credits (``WorkloadHourRule``) are once per teacher,
    term and work kind by a second partial constraint. A revoked award is answered by a reversal row (negative hours) that
    points at the credit and marks it ``is_reversed``; nothing is ever deleted.
    """

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("教师"),
        on_delete=models.PROTECT,
        related_name="training_credits",
    )
    # Where the hours were earned (the package's school, or the teacher's unit for manual
    # entries); per-unit totals and admin scope follow this unit's subtree.
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    kind = models.CharField(_("类型"), max_length=16, choices=CreditKind.choices)
    event = models.CharField(
        _("事项"), max_length=32, choices=TrainingEvent.choices, blank=True, default=""
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        verbose_name=_("作品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    award = models.ForeignKey(
        "selection.Award",
        verbose_name=_("奖项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 三个课堂 workload credits (``WorkloadHourRule``): the term and the work kind earned.
    term = models.ForeignKey(
        "classrooms.Term",
        verbose_name=_("学期"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_kind = models.CharField(
        _("工作类型"), max_length=24, choices=WorkKind.choices, blank=True, default=""
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    is_reversed = models.BooleanField(_("已冲销"), default=False)
    source = models.CharField(_("来源"), max_length=200)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学时记录")
        verbose_name_plural = _("学时记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "submission", "event"],
                condition=Q(kind="rule", is_reversed=False),
                name="training_credit_once_per_lesson",
            ),
            models.UniqueConstraint(
                fields=["teacher", "term", "work_kind"],
                condition=Q(kind="rule", is_reversed=False, term__isnull=False),
                name="training_credit_once_per_term_work",
            ),
            models.CheckConstraint(condition=~Q(hours=0), name="training_credit_hours_not_zero"),
        ]
        indexes = [
            models.Index(fields=["teacher", "year"], name="training_teacher_year"),
            models.Index(fields=["unit", "year"], name="training_unit_year"),
            models.Index(fields=["award"], name="training_award"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source}（{self.hours:+} 学时）"

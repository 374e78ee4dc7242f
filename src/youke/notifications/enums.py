"""Notification kinds and the outbox's delivery states."""

from django.db import models
from django.utils.translation import pgettext_lazy


class NotificationKind(models.TextChoices):
    RETURNED = "returned", pgettext_lazy("notification kind", "退回修改")
    RECOMMENDED = "recommended", pgettext_lazy("notification kind", "已推荐")
    NOT_RECOMMENDED = "not_recommended", pgettext_lazy("notification kind", "未推荐")
    REVIEW_ASSIGNED = "review_assigned", pgettext_lazy("notification kind", "评审任务")
    DEADLINE_SOON = "deadline_soon", pgettext_lazy("notification kind", "即将截止")
    AWARD = "award", pgettext_lazy("notification kind", "获奖")
    OBJECTION_OUTCOME = "objection_outcome", pgettext_lazy("notification kind", "异议处理结果")
    BULLETIN = "bulletin", pgettext_lazy("notification kind", "通报")
    COLLECTION = "collection", pgettext_lazy("notification kind", "征集报送")
    TASK = "task", pgettext_lazy("notification kind", "工作任务")
    CLASS_CHANGED = "classrooms.cancelled", pgettext_lazy("notification kind", "课程调整")
    COURSE_REVIEW = "classrooms.course", pgettext_lazy("notification kind", "网络课程审核")
    MASTER_DUTY = "classrooms.duty", pgettext_lazy("notification kind", "名师课堂任务")
    LESSON_PREP = "classrooms.prep", pgettext_lazy("notification kind", "集体备课")
    LIBRARY_COMMENT = "library.comment", pgettext_lazy("notification kind", "资源库评论")
    LIBRARY_REPORT = "library.report", pgettext_lazy("notification kind", "资源库问题报告")
    LIBRARY_REPLY = "library.report_reply", pgettext_lazy("notification kind", "问题报告回复")


class OutboxState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("outbox state", "待发送")
    SENT = "sent", pgettext_lazy("outbox state", "已发送")
    FAILED = "failed", pgettext_lazy("outbox state", "发送失败")

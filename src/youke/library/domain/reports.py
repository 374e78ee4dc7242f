"""报告问题: a signed-in person reports a problem with a lesson to its publishing unit.

The report notifies exactly the admins of the lesson's publishing unit (not the units above,
whose admins still see it in their list). ``close_report`` is the one function that moves a
report (``REPORT_TRANSITIONS``): row lock, audit log, and the reply sent to the reporter.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.library.enums import REPORT_TRANSITIONS, ReportKind, ReportState
from youke.library.models import LibraryLesson, ProblemReport
from youke.notifications.enums import NotificationKind

MAX_TEXT = 1000


def report_problem(actor: Actor, lesson: LibraryLesson, kind: str, text: str) -> ProblemReport:
    from youke.notifications.domain.notify import notify
    from youke.notifications.domain.recipients import unit_admins

    text = (text or "").strip()
    if kind not in ReportKind.values:
        raise ValidationError(_("请选择问题类型：视频无法播放、内容错误、侵权或其他。"))
    if not text:
        raise ValidationError(_("请描述遇到的问题（如哪一段视频、哪一页课件），便于管理员处理。"))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("问题描述最长 %(n)s 字，请删减后再提交。") % {"n": MAX_TEXT})
    duplicate = ProblemReport.objects.filter(
        lesson=lesson, reporter=actor.person, kind=kind, state=ReportState.OPEN
    ).exists()
    if duplicate:
        raise ValidationError(
            _("您已报告过该课例的“%(k)s”问题，尚待处理；处理后会通知您，无需重复报告。")
            % {"k": ReportKind(kind).label}
        )
    with transaction.atomic():
        report = ProblemReport.objects.create(
            lesson=lesson, reporter=actor.person, kind=kind, text=text
        )
        record(
            actor,
            AuditAction.CREATE,
            report,
            unit=lesson.publishing_unit,
            after={"lesson": lesson.pk, "kind": kind},
        )
        title = _("资源库课例《%(t)s》收到问题报告：%(k)s") % {
            "t": lesson.title,
            "k": ReportKind(kind).label,
        }
        url = reverse("manage_library:report_list")
        for admin in unit_admins([lesson.publishing_unit_id]):
            notify(admin, NotificationKind.LIBRARY_REPORT, title=title, body=text[:500], url=url)
    return report


def close_report(actor: Actor, report: ProblemReport, new_state: str, reply: str) -> ProblemReport:
    from youke.notifications.domain.notify import notify

    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(_("请填写给报告人的答复（说明已如何处理或为何驳回）。"))
    if len(reply) > MAX_TEXT:
        raise ValidationError(_("答复最长 %(n)s 字，请删减后再提交。") % {"n": MAX_TEXT})
    with transaction.atomic():
        locked = (
            ProblemReport.objects.select_for_update()
            .select_related("lesson__publishing_unit", "reporter")
            .get(pk=report.pk)
        )
        old = locked.state
        if new_state not in REPORT_TRANSITIONS.get(old, frozenset()):
            raise ValidationError(
                _("该报告当前为“%(old)s”，不能再处理；请刷新页面查看最新状态。")
                % {"old": ReportState(old).label}
            )
        locked.state = new_state
        locked.reply = reply
        locked.handled_by = actor.person
        locked.handled_at = timezone.now()
        locked.save(update_fields=["state", "reply", "handled_by", "handled_at"])
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=locked.lesson.publishing_unit,
            before={"state": old},
            after={"state": new_state},
            reason=reply,
        )
        notify(
            locked.reporter,
            NotificationKind.LIBRARY_REPLY,
            title=_("您报告的问题（《%(t)s》）已处理：%(s)s")
            % {"t": locked.lesson.title, "s": ReportState(new_state).label},
            body=reply,
            url=reverse("library:lesson_detail", args=[locked.lesson_id]),
        )
    return locked

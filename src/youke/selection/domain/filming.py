"""Design first, filming later (精品课, seed 001 县级初选): the video is due after screening.

In a campaign whose ``video_due`` is "after screening", teachers submit the design and the
other materials without the video(s). The level with trial lectures screens the design; a
passed screening creates a ``FilmingRequest`` and notifies the teacher with its deadline; the
teacher uploads the video(s) into the same package and delivers them; only then can the entry
go to the level above (``waiting_problems`` in ``constraints.list_problems``).

``_write_state`` is the only writer of ``FilmingRequest.state`` (``FILMING_TRANSITIONS``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.campaigns.enums import CampaignState, MaterialKind, VideoDue
from youke.campaigns.models import Campaign, MaterialRequirement
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs.domain.units import PermissionDenied
from youke.selection.enums import FILMING_TRANSITIONS, FilmingState
from youke.selection.models import FilmingRequest, LevelEntry, ScreeningRecord
from youke.submissions.enums import CheckState
from youke.submissions.models import Material, Submission

WAITING_FOR_FILMING = gettext_lazy("待拍摄")
WAITING_FOR_DELIVERY = gettext_lazy("待提交视频")


def videos_after_screening(campaign: Campaign) -> bool:
    return campaign.video_due == VideoDue.AFTER_SCREENING


def is_deferred(campaign: Campaign, requirement: MaterialRequirement) -> bool:
    """A material the teacher does not hand in with the package: the video(s), filmed later."""
    return videos_after_screening(campaign) and requirement.kind == MaterialKind.VIDEO


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _write_state(request: FilmingRequest, new_state: str, actor: Actor, *, reason: str = ""):
    if new_state not in FILMING_TRANSITIONS[request.state]:
        raise ValidationError(
            _("拍摄通知当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": request.get_state_display(), "t": FilmingState(new_state).label}
        )
    before = {"state": request.state, "due_at": request.due_at.isoformat()}
    request.state = new_state
    request.save()
    record(
        actor,
        AuditAction.UPDATE,
        request,
        unit=request.entry.unit,
        before=before,
        after={"state": new_state, "due_at": request.due_at.isoformat()},
        reason=reason,
    )
    return request


def sync_after_screening(
    actor: Actor, entry: LevelEntry, screening: ScreeningRecord, *, now=None
) -> FilmingRequest | None:
    """Request the video when the screening passes, cancel it when it no longer does.

    Called by ``record_screening`` under the unit's list lock.
    """
    campaign = entry.level.campaign
    if not videos_after_screening(campaign) or not entry.level.has_trial_lecture:
        return None
    now = now or timezone.now()
    request = FilmingRequest.objects.select_for_update().filter(entry=entry).first()
    if screening.passed:
        due = now + datetime.timedelta(days=campaign.filming_days)
        if request is None:
            request = FilmingRequest.objects.create(
                entry=entry, due_at=due, requested_by=actor.person
            )
            record(
                actor,
                AuditAction.CREATE,
                request,
                unit=entry.unit,
                after={"state": request.state, "due_at": due.isoformat()},
            )
        elif request.state == FilmingState.CANCELLED:
            request.due_at = due
            request.requested_by = actor.person
            _write_state(request, FilmingState.REQUESTED, actor, reason=_("初选改为通过"))
        else:
            return request  # already asked (or delivered): nothing new to tell
        _notify_teacher(entry, request)
    elif request is not None and request.state == FilmingState.REQUESTED:
        _write_state(request, FilmingState.CANCELLED, actor, reason=_("初选改为未通过"))
    return request


def _notify_teacher(entry: LevelEntry, request: FilmingRequest) -> None:
    submission = entry.submission
    names = {
        "title": submission.title,
        "unit": entry.unit.name,
        "level": entry.level.name,
        "due": _fmt(request.due_at),
    }
    notify(
        submission.teacher,
        NotificationKind.RECOMMENDED,
        title=_("《%(title)s》初选通过，请拍摄并提交视频") % names,
        body=_(
            "%(unit)s“%(level)s”的设计初选和试讲已通过。请按制作标准拍摄视频，在 %(due)s 前"
            "上传到作品页面并点击“提交视频”；视频提交后作品才能报送上一级。"
        )
        % names,
        url=reverse("portal:submission_detail", args=[submission.pk]),
    )


def open_request(submission: Submission) -> FilmingRequest | None:
    """The request the teacher still has to deliver for this package, if any."""
    return (
        FilmingRequest.objects.filter(entry__submission=submission, state=FilmingState.REQUESTED)
        .select_related("entry__level", "entry__unit")
        .first()
    )


def latest_request(
    submission: Submission, entries: list[LevelEntry] | None = None
) -> FilmingRequest | None:
    """The package's standing (not cancelled) filming request; from ``entries`` loaded with
    ``select_related("filming", "level", "unit")`` without a query of its own."""
    if not videos_after_screening(submission.campaign):
        return None  # requests exist only where videos are filmed after screening
    if entries is None:
        return (
            FilmingRequest.objects.filter(entry__submission=submission)
            .exclude(state=FilmingState.CANCELLED)
            .select_related("entry__level", "entry__unit")
            .first()
        )
    for entry in entries:
        request = getattr(entry, "filming", None)  # reverse one-to-one: absent → no request
        if request is not None and request.state != FilmingState.CANCELLED:
            return request
    return None


def guard_video_upload(
    submission: Submission, requirement: MaterialRequirement, now=None
) -> FilmingRequest:
    """Refuse a video upload into a package the school already took, unless it is asked for."""
    campaign = submission.campaign
    if not is_deferred(campaign, requirement):
        raise ValidationError(_("学校已处理该作品，不能再修改。"))
    request = open_request(submission)
    if request is None:
        raise ValidationError(
            _("该作品还没有收到拍摄通知：初选（试讲）通过后才能上传视频，请等待县级通知。")
        )
    if campaign.state != CampaignState.PUBLISHED:
        raise ValidationError(_("活动“%(c)s”未在进行中，不能上传视频。") % {"c": campaign.name})
    if (now or timezone.now()) > request.due_at:
        raise ValidationError(
            _("视频提交已于 %(t)s 截止。如需延期，请联系%(unit)s。")
            % {"t": _fmt(request.due_at), "unit": request.entry.unit.name}
        )
    return request


def video_problems(submission: Submission) -> list[str]:
    """What is missing before the video(s) can be delivered, all at once."""
    from youke.submissions.domain.packages import checklist, slot_label

    problems = []
    for slot in checklist(submission):
        if not is_deferred(submission.campaign, slot.requirement):
            continue
        label = slot_label(slot)
        if slot.material is None:
            if slot.requirement.required:
                problems.append(_("还没有上传%(m)s。") % {"m": label})
        elif slot.state == CheckState.FAILED:
            problems.append(_("%(m)s未通过检查，请按提示修改后重新上传。") % {"m": label})
        elif slot.state in (CheckState.QUEUED, CheckState.PROCESSING):
            problems.append(_("%(m)s还在检查中，请稍候再提交。") % {"m": label})
    return problems


def deliver_video(actor: Actor, submission: Submission, *, now=None) -> FilmingRequest:
    """The teacher hands in the video(s) asked for: every video slot filled and checked."""
    if actor.person is None or submission.teacher_id != actor.person.pk:
        raise PermissionDenied("submission")
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            FilmingRequest.objects.select_for_update()
            .select_related("entry__level__campaign", "entry__unit")
            .filter(entry__submission=submission, state=FilmingState.REQUESTED)
            .first()
        )
        if request is None:
            raise ValidationError(_("该作品没有待提交的视频。"))
        guard_video_upload(submission, _any_video(submission), now)
        problems = video_problems(submission)
        if problems:
            raise ValidationError(problems)
        request.delivered_at = now
        _write_state(request, FilmingState.DELIVERED, actor)
        names = {"title": submission.title, "teacher": submission.teacher.full_name}
        for person in unit_admins([request.entry.unit_id]):
            notify(
                person,
                NotificationKind.RECOMMENDED,
                title=_("《%(title)s》的视频已提交") % names,
                body=_("%(teacher)s已提交《%(title)s》的视频，可以确认推荐名单了。") % names,
                url=reverse("manage_selection:inbox")
                + f"?campaign={submission.campaign_id}&unit={request.entry.unit_id}",
            )
    return request


def _any_video(submission: Submission) -> MaterialRequirement:
    video = submission.category.materials.filter(kind=MaterialKind.VIDEO).first()
    if video is None:
        raise ValidationError(_("该类别没有视频材料。"))
    return video


def waiting_problems(campaign: Campaign, entries: list[LevelEntry]) -> list[str]:
    """Entries that cannot go to the level above yet: their video is still being filmed."""
    if not videos_after_screening(campaign):
        return []
    waiting = [e for e in entries if e.level.has_trial_lecture]
    if not waiting:
        return []
    requests = {
        r.entry_id: r for r in FilmingRequest.objects.filter(entry__in=[e.pk for e in waiting])
    }
    problems = []
    for entry in waiting:
        request = requests.get(entry.pk)
        if request is not None and request.state == FilmingState.DELIVERED:
            continue
        names = {"title": entry.submission.title}
        if request is not None and request.state == FilmingState.REQUESTED:
            names["due"] = _fmt(request.due_at)
            problems.append(
                _(
                    "《%(title)s》还在等待教师拍摄并提交视频（截止 %(due)s），不能报送上一级："
                    "请等教师提交视频后再确认名单，或取消该推荐。"
                )
                % names
            )
        else:
            problems.append(
                _("《%(title)s》还没有通知教师拍摄视频：请先登记通过的初选结果。") % names
            )
    return problems


def waiting_labels(entries: list[LevelEntry]) -> dict[int, str]:
    """Inbox labels for entries waiting for their video: 待拍摄 or 待提交视频 (two queries)."""
    requests = list(
        FilmingRequest.objects.filter(
            entry__in=[e.pk for e in entries], state=FilmingState.REQUESTED
        ).values_list("entry_id", "entry__submission_id")
    )
    if not requests:
        return {}
    with_video = set(
        Material.objects.filter(
            submission_id__in=[s for _e, s in requests], requirement__kind=MaterialKind.VIDEO
        ).values_list("submission_id", flat=True)
    )
    return {
        entry_id: WAITING_FOR_DELIVERY if submission_id in with_video else WAITING_FOR_FILMING
        for entry_id, submission_id in requests
    }

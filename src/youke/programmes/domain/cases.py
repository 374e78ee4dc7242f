"""择优推荐: typical cases (典型案例) from year-end reports, recommended level by level.

The bureau that issued a year-end report recommends an approved return (or one task's
entry of it) to the unit directly above; the admins there accept or return it, and may
recommend an accepted case one level further. Each step is a ``CaseRecommendation`` row
written only here: a transition table (``CASE_TRANSITIONS``) under a row lock, one live
step per case and level, an audit event per move, and a notification to the other side.
The chain borrows the selection workflow's shape (recommend to the level above, decide
there, forward) without touching the selection app.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.collections.enums import ReturnState
from youke.collections.models import CollectionReturn
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person, Unit
from youke.programmes.enums import CASE_TRANSITIONS, CaseState
from youke.programmes.models import CaseRecommendation, YearEndEntry, YearEndReport

LIVE = (CaseState.PENDING, CaseState.ACCEPTED)


def cases_visible_to(person: Person) -> QuerySet[CaseRecommendation]:
    """Steps sent from or to a unit in the person's subtrees, or about a unit there."""
    paths = org_rules.admin_paths(person)
    base = CaseRecommendation.objects.all()
    if paths is None:
        return base
    if not paths:
        return base.none()
    return base.filter(
        org_rules.subtree_q(paths, "to_unit__path")
        | org_rules.subtree_q(paths, "from_unit__path")
        | org_rules.subtree_q(paths, "collection_return__unit__path")
    )


def inbox(person: Person) -> QuerySet[CaseRecommendation]:
    """Cases recommended to a unit the person administers (to decide or forward)."""
    return org_rules.scoped(CaseRecommendation.objects.all(), person, "to_unit__path")


def can_decide(person: Person, case: CaseRecommendation) -> bool:
    return org_rules.covers(person, case.to_unit)


def _url(case: CaseRecommendation) -> str:
    return reverse("manage_programmes:case_detail", args=[case.pk])


def _check_reason(title: str, reason: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = [_("请填写案例名称，例如“东湖区：跨学科主题学习的实践”。")]
    if not reason.strip():
        errors["reason"] = [_("请写明推荐理由，上级单位据此审核。")]
    if errors:
        raise ValidationError(errors)


def _create_step(
    actor: Actor,
    *,
    report: YearEndReport,
    collection_return: CollectionReturn,
    entry: YearEndEntry | None,
    from_unit: Unit,
    previous: CaseRecommendation | None,
    title: str,
    reason: str,
) -> CaseRecommendation:
    to_unit = from_unit.get_parent()
    if to_unit is None:
        raise ValidationError(
            _("%(unit)s 已是最高一级，没有可推荐的上级单位。") % {"unit": from_unit.name}
        )
    live = CaseRecommendation.objects.filter(
        collection_return=collection_return, entry=entry, to_unit=to_unit, state__in=LIVE
    )
    if live.exists():
        raise ValidationError(
            _("该案例已推荐至 %(unit)s，请等待其审核，不要重复推荐。") % {"unit": to_unit.name}
        )
    case = CaseRecommendation.objects.create(
        report=report,
        collection_return=collection_return,
        entry=entry,
        from_unit=from_unit,
        to_unit=to_unit,
        previous=previous,
        title=title.strip()[:120],
        reason=reason.strip()[:2000],
        created_by=actor.person,
    )
    record(
        actor,
        AuditAction.CREATE,
        case,
        unit=from_unit,
        after={"to_unit": to_unit.pk, "return": collection_return.pk, "entry": entry and entry.pk},
        reason=case.reason,
    )
    names = {"unit": from_unit.name, "title": case.title}
    for person in unit_admins([to_unit.pk]):
        notify(
            person,
            NotificationKind.RECOMMENDED,
            title=_("%(unit)s 推荐典型案例：%(title)s") % names,
            body=_("请审核是否采纳；采纳后可继续向上级推荐。"),
            url=_url(case),
        )
    if previous is None:
        for person in unit_admins([collection_return.unit_id]):
            notify(
                person,
                NotificationKind.RECOMMENDED,
                title=_("本单位的年度报告被推荐为典型案例：%(title)s") % names,
                body=_("%(unit)s 已将其推荐至上级单位。") % names,
                url=_url(case),
            )
    return case


@transaction.atomic
def recommend(
    actor: Actor,
    report: YearEndReport,
    collection_return: CollectionReturn,
    *,
    entry: YearEndEntry | None = None,
    title: str,
    reason: str,
) -> CaseRecommendation:
    """The issuing bureau marks an approved return (or one entry) as a typical case and
    recommends it to the level above."""
    issuing = report.collection.issuing_unit
    if actor.person is None or not org_rules.covers(actor.person, issuing):
        raise PermissionDenied("programme")
    locked = CollectionReturn.objects.select_for_update().get(pk=collection_return.pk)
    if locked.task_id != report.collection_id:
        raise PermissionDenied("collection return")
    if entry is not None and entry.collection_return_id != locked.pk:
        raise PermissionDenied("entry")
    if locked.state != ReturnState.APPROVED:
        raise ValidationError(_("只有审定通过的年度报告才能推荐为典型案例，请先审定。"))
    _check_reason(title, reason)
    return _create_step(
        actor,
        report=report,
        collection_return=locked,
        entry=entry,
        from_unit=issuing,
        previous=None,
        title=title,
        reason=reason,
    )


def _locked_case(case: CaseRecommendation) -> CaseRecommendation:
    return (
        CaseRecommendation.objects.select_for_update()
        .select_related("to_unit", "from_unit", "report__collection", "collection_return")
        .get(pk=case.pk)
    )


@transaction.atomic
def decide(
    actor: Actor, case: CaseRecommendation, accept: bool, comment: str = ""
) -> CaseRecommendation:
    """The receiving level accepts (采纳) or returns (退回, with a reason) a pending step."""
    locked = _locked_case(case)
    if actor.person is None or not can_decide(actor.person, locked):
        raise PermissionDenied("case")
    new_state = CaseState.ACCEPTED if accept else CaseState.RETURNED
    if new_state not in CASE_TRANSITIONS[locked.state]:
        raise ValidationError(
            _("该推荐当前为“%(state)s”，不能再改为“%(new)s”。")
            % {"state": locked.get_state_display(), "new": CaseState(new_state).label}
        )
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError({"comment": [_("退回时请写明理由，推荐单位会看到它。")]})
    before = locked.state
    locked.state, locked.comment = new_state, comment[:2000]
    locked.decided_by, locked.decided_at = actor.person, timezone.now()
    locked.save(update_fields=["state", "comment", "decided_by", "decided_at"])
    record(
        actor,
        AuditAction.UPDATE,
        locked,
        unit=locked.to_unit,
        before={"state": before},
        after={"state": new_state},
        reason=comment,
    )
    names = {"unit": locked.to_unit.name, "title": locked.title, "comment": comment}
    kind = NotificationKind.RECOMMENDED if accept else NotificationKind.RETURNED
    title = (
        _("%(unit)s 采纳了推荐的典型案例：%(title)s")
        if accept
        else _("%(unit)s 退回了推荐的典型案例：%(title)s")
    ) % names
    body = _("意见：%(comment)s") % names if comment else ""
    for person in unit_admins([locked.from_unit_id]):
        notify(person, kind, title=title, body=body, url=_url(locked))
    return locked


@transaction.atomic
def forward(actor: Actor, case: CaseRecommendation, *, reason: str) -> CaseRecommendation:
    """Recommend an accepted case one level further up (择优推荐 to the next level)."""
    locked = _locked_case(case)
    if actor.person is None or not can_decide(actor.person, locked):
        raise PermissionDenied("case")
    if locked.state != CaseState.ACCEPTED:
        raise ValidationError(_("只有已采纳的案例才能继续向上推荐。"))
    if CaseRecommendation.objects.filter(previous=locked).exists():
        raise ValidationError(_("该案例已继续向上推荐，不要重复推荐。"))
    _check_reason(locked.title, reason)
    return _create_step(
        actor,
        report=locked.report,
        collection_return=locked.collection_return,
        entry=locked.entry,
        from_unit=locked.to_unit,
        previous=locked,
        title=locked.title,
        reason=reason,
    )


def chain(case: CaseRecommendation) -> list[CaseRecommendation]:
    """The case's steps from the first recommendation up to the latest."""
    first = case
    while first.previous_id is not None:
        first = CaseRecommendation.objects.select_related("from_unit", "to_unit").get(
            pk=first.previous_id
        )
    steps = [first]
    while True:
        following = (
            CaseRecommendation.objects.select_related("from_unit", "to_unit")
            .filter(previous=steps[-1])
            .first()
        )
        if following is None:
            return steps
        steps.append(following)


def can_view(person: Person, case: CaseRecommendation) -> bool:
    return cases_visible_to(person).filter(pk=case.pk).exists()

"""Per-campaign node status (R4 awards, admin closures, R9 upload windows).

``node_statuses`` runs three queries whatever the number of nodes: closures on any ancestor,
awards under the nodes' lessons, and windows on any ancestor.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from youke.campaigns import rules
from youke.campaigns.enums import AWARD_RANK, AwardLevel, NodeReason
from youke.campaigns.models import Campaign, NodeClosure, PastAward, UploadWindow
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied

OR_LIMIT = 200


@dataclass(frozen=True)
class NodeStatus:
    open: bool
    reason_code: str
    reason_text: str
    promoted: bool = False


OPEN = NodeStatus(True, NodeReason.OPEN, "")


def _lesson_path(node: CourseNode) -> str | None:
    """R4 counts awards per lesson (课), including those recorded on its periods (课时)."""
    if node.level == NodeLevel.LESSON:
        return node.path
    if node.level == NodeLevel.PERIOD:
        return node.path[: -CourseNode.steplen]
    return None


def _award_counts(lesson_paths: set[str]) -> dict[str, Counter]:
    counts: dict[str, Counter] = defaultdict(Counter)
    if not lesson_paths:
        return counts
    awards = PastAward.objects.all()
    lengths = {len(p) for p in lesson_paths}
    if len(lesson_paths) <= OR_LIMIT:
        # Index range scans on the node path, one per lesson.
        awards = awards.filter(reduce(or_, (Q(node__path__under=p) for p in lesson_paths)))
    else:
        # Too many branches for one OR (SQLite caps expression depth): compare path prefixes.
        awards = awards.annotate(
            **{f"prefix_{n}": Substr("node__path", 1, n) for n in lengths}
        ).filter(
            reduce(
                or_,
                (
                    Q(**{f"prefix_{n}__in": [p for p in lesson_paths if len(p) == n]})
                    for n in lengths
                ),
            )
        )
    rows = awards.values_list("node__path", "level").annotate(n=Count("id")).order_by()
    for path, level, n in rows:
        for length in lengths:
            if path[:length] in lesson_paths:
                counts[path[:length]][level] += n
    return counts


def _at_or_above(counter: Counter, level: str) -> int:
    return sum(n for lv, n in counter.items() if AWARD_RANK[lv] >= AWARD_RANK[level])


def node_statuses(campaign: Campaign, nodes, *, today: datetime.date) -> dict[int, NodeStatus]:
    nodes = list(nodes)
    prefixes = {p for node in nodes for p in rules.ancestor_paths(node.path)}
    closures = {
        c.node.path: c
        for c in NodeClosure.objects.filter(
            campaign=campaign, node__path__in=prefixes
        ).select_related("node")
    }
    lesson_paths = {p for p in map(_lesson_path, nodes) if p}
    awards = _award_counts(lesson_paths)
    windows: dict[str, list[tuple[str, datetime.date, datetime.date]]] = defaultdict(list)
    for path, label, opens_on, closes_on in UploadWindow.nodes.through.objects.filter(
        uploadwindow__campaign=campaign, coursenode__path__in=prefixes
    ).values_list(
        "coursenode__path",
        "uploadwindow__label",
        "uploadwindow__opens_on",
        "uploadwindow__closes_on",
    ):
        windows[path].append((label, opens_on, closes_on))

    result: dict[int, NodeStatus] = {}
    for node in nodes:
        ancestors = rules.ancestor_paths(node.path)
        closure = next((closures[p] for p in reversed(ancestors) if p in closures), None)
        if closure is not None:
            result[node.pk] = NodeStatus(
                False,
                NodeReason.CLOSED_BY_ADMIN,
                _("管理员已关闭该节点：%(reason)s") % {"reason": closure.reason},
            )
            continue
        lesson = _lesson_path(node)
        counter = awards.get(lesson, Counter()) if lesson else Counter()
        level = campaign.node_close_award_level
        if lesson and level:
            count = _at_or_above(counter, level)
            if count >= campaign.node_close_award_threshold:
                result[node.pk] = NodeStatus(
                    False,
                    NodeReason.AWARD_RULE,
                    _(
                        "该节点已有 %(n)s 堂%(level)s及以上获奖课例，达到本活动的关闭条件"
                        "（%(t)s 堂），不再接受新的申报。请选择其他节点。"
                    )
                    % {
                        "n": count,
                        "level": AwardLevel(level).label,
                        "t": campaign.node_close_award_threshold,
                    },
                )
                continue
        covering = [w for p in ancestors for w in windows.get(p, [])]
        if covering and not any(start <= today <= end for _label, start, end in covering):
            label, start, end = covering[0]
            result[node.pk] = NodeStatus(
                False,
                NodeReason.OUTSIDE_WINDOW,
                _("“%(label)s”的上传时间为 %(start)s 至 %(end)s，当前不在上传时间内。")
                % {
                    "label": label,
                    "start": f"{start.month}月{start.day}日",
                    "end": f"{end.month}月{end.day}日",
                },
            )
            continue
        promoted = bool(
            lesson
            and campaign.promote_unawarded_nodes
            and _at_or_above(counter, AwardLevel.PROVINCE) == 0
        )
        result[node.pk] = NodeStatus(True, NodeReason.OPEN, "", promoted) if promoted else OPEN
    return result


def teacher_node_list(
    campaign: Campaign, nodes, *, today: datetime.date
) -> list[tuple[CourseNode, NodeStatus]]:
    """Open nodes first (promoted ones on top), then closed ones with their reasons."""
    nodes = sorted(nodes, key=lambda n: n.path)
    statuses = node_statuses(campaign, nodes, today=today)
    pairs = [(node, statuses[node.pk]) for node in nodes]
    return sorted(pairs, key=lambda pair: (not pair[1].open, not pair[1].promoted))


def close_node(actor: Actor, campaign: Campaign, node: CourseNode, *, reason: str) -> NodeClosure:
    if not rules.can_manage_campaign(actor.person, campaign):
        raise PermissionDenied("campaign")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写关闭原因，教师会看到它。")})
    try:
        with transaction.atomic():
            closure = NodeClosure.objects.create(
                campaign=campaign, node=node, reason=reason[:200], closed_by=actor.person
            )
            record(
                actor,
                AuditAction.CREATE,
                closure,
                unit=campaign.owner_unit,
                after={"campaign": campaign.pk, "node": node.code},
                reason=reason,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"reason": _("节点“%(node)s”已经关闭，无需重复操作。") % {"node": node.name}}
        ) from exc
    return closure


@transaction.atomic
def reopen_node(actor: Actor, campaign: Campaign, node: CourseNode, *, reason: str = "") -> None:
    if not rules.can_manage_campaign(actor.person, campaign):
        raise PermissionDenied("campaign")
    closure = NodeClosure.objects.filter(campaign=campaign, node=node).first()
    if closure is None:
        raise ValidationError(
            _("节点“%(node)s”没有被管理员关闭，无需重新开放。") % {"node": node.name}
        )
    record(
        actor,
        AuditAction.DELETE,
        closure,
        unit=campaign.owner_unit,
        before={"campaign": campaign.pk, "node": node.code, "reason": closure.reason},
        reason=reason,
    )
    closure.delete()

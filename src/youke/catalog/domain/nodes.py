"""Changing the course catalog (audited, guarded)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from youke.catalog import rules
from youke.catalog.enums import LEVEL_ORDER, NodeLevel, child_level
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain.audit import record, snapshot
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied

NODE_FIELDS = ("code", "name", "level", "is_active")


def _guard(actor: Actor) -> None:
    if actor.person is not None and not rules.can_edit_catalog(actor.person):
        raise PermissionDenied


def _clean(fields: dict, *, instance: CourseNode | None = None) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors = {}
    if "name" in fields and not fields["name"]:
        errors["name"] = _("节点名称不能为空，请填写。")
    if "code" in fields:
        code = fields["code"]
        if not code or len(code) > 32 or not all(ch.isalnum() or ch in "-_." for ch in code):
            errors["code"] = _("节点编号只能由字母、数字和 - _ . 组成，最长 32 位，请重新填写。")
        else:
            clash = CourseNode.objects.filter(code=code)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["code"] = _("节点编号 %(v)s 已存在，请核对。") % {"v": code}
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def create_node(actor: Actor, parent: CourseNode | None, *, code: str, name: str) -> CourseNode:
    _guard(actor)
    level = NodeLevel.STAGE if parent is None else child_level(parent.level)
    if level is None:
        raise ValidationError({"parent": _("“课时”是最末一级，不能再添加下级节点。")})
    fields = _clean({"code": code, "name": name})
    if parent is None:
        node = CourseNode.add_root(level=level, **fields)
    else:
        node = (
            CourseNode.objects.select_for_update()
            .get(pk=parent.pk)
            .add_child(level=level, **fields)
        )
    record(actor, AuditAction.CREATE, node, after=snapshot(node, NODE_FIELDS))
    return node


@transaction.atomic
def update_node(actor: Actor, node: CourseNode, **fields) -> CourseNode:
    _guard(actor)
    fields = {k: v for k, v in fields.items() if k in ("code", "name", "is_active")}
    node = CourseNode.objects.select_for_update().get(pk=node.pk)
    fields = _clean(fields, instance=node)
    before = snapshot(node, NODE_FIELDS)
    for name, value in fields.items():
        setattr(node, name, value)
    after = snapshot(node, NODE_FIELDS)
    if before != after:
        node.save(update_fields=[*fields, "updated_at"])
        record(actor, AuditAction.UPDATE, node, before=before, after=after)
    return node


def search_nodes(queryset: QuerySet[CourseNode], term: str) -> QuerySet[CourseNode]:
    term = term.strip()
    if not term:
        return queryset
    return queryset.filter(Q(name__icontains=term) | Q(code__istartswith=term))


def ancestors_by_path(nodes: list[CourseNode]) -> dict[str, CourseNode]:
    """All ancestors of the given nodes in one query, keyed by path (for breadcrumbs)."""
    if not nodes:
        return {}
    steplen = CourseNode.steplen
    paths = {n.path[:i] for n in nodes for i in range(steplen, len(n.path), steplen)}
    return {a.path: a for a in CourseNode.objects.filter(path__in=paths)}


def trail(node: CourseNode, ancestors: dict[str, CourseNode]) -> list[CourseNode]:
    steplen = CourseNode.steplen
    return [
        ancestors[node.path[:i]]
        for i in range(steplen, len(node.path), steplen)
        if node.path[:i] in ancestors
    ]


def level_index(level: str) -> int:
    return LEVEL_ORDER.index(level)


def stage_id_of(node: CourseNode) -> int | None:
    """The id of the stage (学段) root ``node`` sits under; the node itself if it is one."""
    root_path = node.path[: CourseNode.steplen]
    if node.path == root_path:
        return node.pk if node.level == NodeLevel.STAGE else None
    return (
        CourseNode.objects.filter(path=root_path, level=NodeLevel.STAGE)
        .values_list("pk", flat=True)
        .first()
    )


def stages() -> QuerySet[CourseNode]:
    """The stage (学段) roots of the catalog, in tree order."""
    return CourseNode.objects.filter(level=NodeLevel.STAGE).order_by("path")

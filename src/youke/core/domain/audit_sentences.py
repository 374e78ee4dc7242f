"""The audit log in words: one sentence per event, from one table.

``describe(events)`` turns a page of ``AuditEvent`` rows into sentences such as
"张三 将《圆的面积》推荐至市级遴选（理由：…）". Objects are named from the database with one
query per object type on the page (and one for levels, one for people named in the
before/after data), never one per row; an object deleted since keeps the name it had.

The log stores object types as labels ("selection.levelentry"), so this table names models by
label through the app registry instead of importing the data apps (core stays a leaf).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from youke.core.enums import AuditAction
from youke.core.models import AuditEvent


@dataclass(frozen=True)
class Kind:
    """How to name one object type: its noun and the names a sentence may use."""

    noun: str
    related: tuple[str, ...] = ()
    names: Callable[[object], dict] = lambda obj: {"name": str(obj)}


def _entry_names(entry) -> dict:
    return {
        "title": entry.submission.title,
        "level": entry.level.name,
        "unit": entry.unit.name,
        "_next": (entry.level.campaign_id, entry.level.order),
    }


KINDS: dict[str, Kind] = {
    "orgs.unit": Kind(gettext_lazy("单位")),
    "orgs.person": Kind(gettext_lazy("人员")),
    "orgs.rolegrant": Kind(
        gettext_lazy("角色"),
        ("person", "unit"),
        lambda g: {"name": g.person.full_name, "unit": g.unit.name, "role": g.get_role_display()},
    ),
    "orgs.contact": Kind(gettext_lazy("联系表")),
    "orgs.expertprofile": Kind(
        gettext_lazy("专家信息"), ("person",), lambda p: {"name": p.person.full_name}
    ),
    "orgs.apitoken": Kind(gettext_lazy("接口令牌")),
    "catalog.coursenode": Kind(gettext_lazy("课程节点")),
    "campaigns.campaign": Kind(gettext_lazy("遴选活动")),
    "submissions.submission": Kind(gettext_lazy("作品"), (), lambda s: {"title": s.title}),
    "originality.originalityresult": Kind(
        gettext_lazy("原创性检测结果"), ("submission",), lambda r: {"title": r.submission.title}
    ),
    "selection.levelentry": Kind(
        gettext_lazy("推荐记录"), ("submission", "level", "unit"), _entry_names
    ),
    "selection.levellist": Kind(
        gettext_lazy("推荐名单"),
        ("level", "unit"),
        lambda row: {"level": row.level.name, "unit": row.unit.name},
    ),
    "selection.quota": Kind(
        gettext_lazy("名额"),
        ("level", "unit"),
        lambda q: {"level": q.level.name, "unit": q.unit.name},
    ),
    "selection.award": Kind(
        gettext_lazy("奖项"),
        ("entry__submission", "grade"),
        lambda a: {"title": a.entry.submission.title, "grade": a.grade.name},
    ),
    "selection.publicity": Kind(gettext_lazy("公示"), (), lambda p: {"name": p.title}),
    "selection.objection": Kind(
        gettext_lazy("异议"),
        ("entry__submission", "publicity"),
        lambda o: {"title": o.entry.submission.title, "name": o.publicity.title},
    ),
    "selection.reviewround": Kind(gettext_lazy("评审轮次"), (), lambda r: {"name": r.name}),
    "selection.roundexpert": Kind(
        gettext_lazy("评审专家"),
        ("round", "expert"),
        lambda m: {"name": m.round.name, "expert": m.expert.full_name},
    ),
    "selection.assignment": Kind(
        gettext_lazy("评审任务"),
        ("round", "entry__submission", "expert"),
        lambda a: {"name": a.round.name, "title": a.entry.submission.title},
    ),
    "selection.screeningrecord": Kind(
        gettext_lazy("初选记录"),
        ("entry__submission",),
        lambda s: {"title": s.entry.submission.title},
    ),
    "selection.summarysheetconfirmation": Kind(
        gettext_lazy("推荐汇总表"),
        ("level_list__level", "level_list__unit"),
        lambda c: {"level": c.level_list.level.name, "unit": c.level_list.unit.name},
    ),
}

# The one sentence table: (object type, action, state after or None) → sentence. Placeholders:
# %(actor)s, the names above, %(to)s (state after, translated), %(next)s (the next level) and
# the before/after values the domain records (%(allowed)s, %(row_count)s, %(expert)s …).
A = AuditAction
SENTENCES: dict[tuple[str | None, str, str | None], str] = {
    ("selection.levelentry", A.CREATE, None): gettext_lazy(
        "《%(title)s》进入%(unit)s的“%(level)s”待审名单"
    ),
    ("selection.levelentry", A.UPDATE, "recommended"): gettext_lazy(
        "%(actor)s 将《%(title)s》推荐至%(next)s"
    ),
    ("selection.levelentry", A.UPDATE, "not_recommended"): gettext_lazy(
        "%(actor)s 在“%(level)s”决定不推荐《%(title)s》"
    ),
    ("selection.levelentry", A.UPDATE, "returned"): gettext_lazy(
        "%(actor)s 将《%(title)s》退回教师修改"
    ),
    ("selection.levelentry", A.UPDATE, "pending"): gettext_lazy(
        "《%(title)s》修改后重新进入“%(level)s”待审"
    ),
    ("selection.levelentry", A.DELETE, None): gettext_lazy(
        "%(actor)s 撤回了作品，它不再在“%(level)s”待审名单中"
    ),
    ("selection.levellist", A.UPDATE, "confirmed"): gettext_lazy(
        "%(actor)s 确认了%(unit)s“%(level)s”推荐名单，%(recommended)s 件作品上报上一级"
    ),
    ("selection.quota", A.CREATE, None): gettext_lazy(
        "%(actor)s 为%(unit)s分配“%(level)s”名额 %(allowed)s 个"
    ),
    ("selection.quota", A.UPDATE, None): gettext_lazy(
        "%(actor)s 将%(unit)s的“%(level)s”名额改为 %(allowed)s 个"
    ),
    ("selection.award", A.CREATE, None): gettext_lazy("%(actor)s 评定《%(title)s》为%(grade)s"),
    ("selection.award", A.UPDATE, None): gettext_lazy("%(actor)s 撤销了《%(title)s》的%(grade)s"),
    ("selection.publicity", A.CREATE, None): gettext_lazy("%(actor)s 发布公示“%(name)s”"),
    ("selection.publicity", A.UPDATE, "final"): gettext_lazy(
        "%(actor)s 确认公示“%(name)s”结果生效"
    ),
    ("selection.publicity", A.UPDATE, None): gettext_lazy("公示“%(name)s”状态变为“%(to)s”"),
    ("selection.objection", A.CREATE, None): gettext_lazy(
        "有人对公示“%(name)s”中的《%(title)s》提出异议"
    ),
    ("selection.objection", A.UPDATE, None): gettext_lazy(
        "%(actor)s 处理了对《%(title)s》的异议：%(to)s"
    ),
    ("selection.reviewround", A.CREATE, None): gettext_lazy("%(actor)s 创建评审轮次“%(name)s”"),
    ("selection.reviewround", A.UPDATE, None): gettext_lazy(
        "%(actor)s 将评审轮次“%(name)s”改为“%(to)s”"
    ),
    ("selection.roundexpert", A.CREATE, None): gettext_lazy(
        "%(actor)s 将 %(expert)s 加入评审轮次“%(name)s”"
    ),
    ("selection.roundexpert", A.UPDATE, None): gettext_lazy(
        "%(actor)s 调整了 %(expert)s 在评审轮次“%(name)s”的评审上限"
    ),
    ("selection.assignment", A.CREATE, None): gettext_lazy(
        "%(actor)s 将《%(title)s》分配给 %(expert)s 评审（%(name)s）"
    ),
    ("selection.assignment", A.DELETE, None): gettext_lazy(
        "%(actor)s 收回了 %(expert)s 的一项评审任务"
    ),
    ("selection.assignment", A.UPDATE, "submitted"): gettext_lazy(
        "%(actor)s 提交了《%(title)s》的评分"
    ),
    ("selection.assignment", A.UPDATE, None): gettext_lazy("%(actor)s 暂存了《%(title)s》的评分"),
    ("selection.screeningrecord", A.CREATE, None): gettext_lazy(
        "%(actor)s 登记了《%(title)s》的初选结果"
    ),
    ("selection.screeningrecord", A.UPDATE, None): gettext_lazy(
        "%(actor)s 修改了《%(title)s》的初选结果"
    ),
    ("selection.summarysheetconfirmation", A.UPDATE, None): gettext_lazy(
        "%(actor)s 确认了%(unit)s“%(level)s”推荐汇总表（%(row_count)s 行）"
    ),
    ("submissions.submission", A.CREATE, None): gettext_lazy("%(actor)s 创建了作品《%(title)s》"),
    ("submissions.submission", A.UPDATE, "submitted"): gettext_lazy(
        "%(actor)s 提交了作品《%(title)s》"
    ),
    ("submissions.submission", A.UPDATE, "withdrawn"): gettext_lazy(
        "%(actor)s 撤回了作品《%(title)s》"
    ),
    ("submissions.submission", A.UPDATE, "draft"): gettext_lazy(
        "《%(title)s》改回草稿，可以继续修改"
    ),
    ("submissions.submission", A.UPDATE, None): gettext_lazy("%(actor)s 修改了作品《%(title)s》"),
    ("originality.originalityresult", A.UPDATE, "likely_copy"): gettext_lazy(
        "原创性检测发现《%(title)s》疑似抄袭"
    ),
    ("originality.originalityresult", A.UPDATE, "similar"): gettext_lazy(
        "原创性检测发现《%(title)s》与其他作品部分相似"
    ),
    ("originality.originalityresult", A.UPDATE, "none"): gettext_lazy(
        "原创性检测未发现《%(title)s》与其他作品相似"
    ),
    ("originality.originalityresult", A.UPDATE, "cleared"): gettext_lazy(
        "%(actor)s 核查了《%(title)s》的原创性检测结果并允许推荐"
    ),
    ("originality.originalityresult", A.UPDATE, "explained"): gettext_lazy(
        "%(actor)s 对《%(title)s》的原创性检测结果作了说明"
    ),
    ("originality.originalityresult", A.UPDATE, "recheck"): gettext_lazy(
        "%(actor)s 要求重新检测《%(title)s》的原创性"
    ),
    ("orgs.person", A.PASSWORD_RESET, None): gettext_lazy("%(actor)s 重置了%(name)s的密码"),
    ("orgs.person", A.PASSWORD_CHANGE, None): gettext_lazy("%(actor)s 修改了自己的密码"),
    ("orgs.person", A.LOGIN, None): gettext_lazy("%(actor)s 登录"),
    ("orgs.person", A.LOGIN_FAILED, None): gettext_lazy("%(name)s 登录失败"),
    ("orgs.person", A.CREATE, None): gettext_lazy("%(actor)s 添加了人员 %(name)s"),
    ("orgs.person", A.UPDATE, None): gettext_lazy("%(actor)s 修改了%(name)s的资料"),
    ("orgs.person", A.MOVE, None): gettext_lazy("%(actor)s 将%(name)s调到另一个单位"),
    ("orgs.person", A.DEACTIVATE, None): gettext_lazy("%(actor)s 停用了%(name)s的账号"),
    ("orgs.person", A.REACTIVATE, None): gettext_lazy("%(actor)s 启用了%(name)s的账号"),
    ("orgs.rolegrant", A.GRANT, None): gettext_lazy(
        "%(actor)s 授予%(name)s在%(unit)s的“%(role)s”角色"
    ),
    ("orgs.rolegrant", A.REVOKE, None): gettext_lazy("%(actor)s 撤销了%(name)s的一个角色"),
    ("orgs.unit", A.CREATE, None): gettext_lazy("%(actor)s 新建单位 %(name)s"),
    ("orgs.unit", A.MOVE, None): gettext_lazy("%(actor)s 将单位 %(name)s 移到新的上级单位下"),
    ("orgs.unit", A.DEACTIVATE, None): gettext_lazy("%(actor)s 停用了单位 %(name)s"),
    ("orgs.unit", A.REACTIVATE, None): gettext_lazy("%(actor)s 启用了单位 %(name)s"),
    (None, A.IMPORT, None): gettext_lazy("%(actor)s 导入了%(noun)s %(name)s"),
    (None, A.TOKEN, None): gettext_lazy("%(actor)s 签发了接口令牌 %(name)s"),
    (None, A.CREATE, None): gettext_lazy("%(actor)s 新建了%(noun)s %(name)s"),
    (None, A.UPDATE, None): gettext_lazy("%(actor)s 修改了%(noun)s %(name)s"),
    (None, A.DELETE, None): gettext_lazy("%(actor)s 删除了%(noun)s %(name)s"),
}

# State values the domain records in before/after, in words (the enums' own labels, by value).
STATE_WORDS: dict[str, str] = {
    "pending": pgettext_lazy("entry state", "待审"),
    "recommended": pgettext_lazy("entry state", "推荐"),
    "not_recommended": pgettext_lazy("entry state", "不推荐"),
    "returned": pgettext_lazy("entry state", "退回修改"),
    "open": pgettext_lazy("state", "进行中"),
    "confirmed": pgettext_lazy("level list state", "已确认"),
    "draft": pgettext_lazy("state", "草稿"),
    "submitted": pgettext_lazy("submission state", "已提交"),
    "withdrawn": pgettext_lazy("submission state", "已撤回"),
    "scheduled": pgettext_lazy("publicity state", "未开始"),
    "closed": pgettext_lazy("state", "已结束"),
    "final": pgettext_lazy("publicity state", "结果已生效"),
    "upheld": pgettext_lazy("objection state", "异议成立"),
    "rejected": pgettext_lazy("objection state", "异议不成立"),
    "assigned": pgettext_lazy("assignment state", "待评"),
}
OVERRIDES = {
    "deadline": gettext_lazy("截止时间"),
    "R5/R6": gettext_lazy("每节点一件、每教师一件的限制"),
}


@dataclass
class Described:
    event: AuditEvent
    sentence: str
    reason: str
    overrode: str
    changes: list[tuple[str, str, str]]  # (field name in words, before, after)


def _field_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """Changed model fields with their verbose names and choice labels; ids are left out."""
    if event.action not in (AuditAction.UPDATE, AuditAction.CREATE):
        return []
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return []
    fields = {f.name: f for f in model._meta.get_fields()}
    rows = []
    for key, old, new in event.changed_fields():
        field = fields.get(key)  # keys the domain adds (counts, ids) are no fields
        if field is None or field.is_relation or key == "state":
            continue
        choices = dict(field.flatchoices) if field.choices else {}

        def word(value, choices=choices):
            if value in (None, ""):
                return "—"
            return str(choices.get(value, value))

        rows.append((str(field.verbose_name), word(old), word(new)))
    return rows


def _load(events: list[AuditEvent]) -> dict[tuple[str, str], dict]:
    ids: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type in KINDS:
            ids[event.object_type].add(event.object_id)
    names: dict[tuple[str, str], dict] = {}
    for label, wanted in ids.items():
        kind = KINDS[label]
        model = apps.get_model(label)
        numeric = [int(i) for i in wanted if i.isdigit()]
        for obj in model.objects.filter(pk__in=numeric).select_related(*kind.related):
            names[(label, str(obj.pk))] = kind.names(obj)
    return names


def _next_levels(names: Iterable[dict]) -> dict[tuple[int, int], str]:
    campaigns = {n["_next"][0] for n in names if "_next" in n}
    if not campaigns:
        return {}
    levels = defaultdict(list)
    for campaign_id, order, name in (
        apps.get_model("campaigns.Level")
        .objects.filter(campaign_id__in=campaigns)
        .order_by("order")
        .values_list("campaign_id", "order", "name")
    ):
        levels[campaign_id].append((order, name))
    result = {}
    for campaign_id, rows in levels.items():
        for index, (order, _name) in enumerate(rows):
            if index + 1 < len(rows):
                result[(campaign_id, order)] = rows[index + 1][1]
    return result


def _people(events: list[AuditEvent]) -> dict[int, str]:
    wanted = set()
    for event in events:
        for data in (event.before or {}, event.after or {}):
            if isinstance(data.get("expert"), int):
                wanted.add(data["expert"])
    if not wanted:
        return {}
    return dict(
        apps.get_model("orgs.Person").objects.filter(pk__in=wanted).values_list("pk", "full_name")
    )


def _sentence(key_type: str, action: str, state: str | None) -> str:
    for key in ((key_type, action, state), (key_type, action, None), (None, action, None)):
        if key in SENTENCES:
            return str(SENTENCES[key])
    return _("%(actor)s %(action)s%(noun)s %(name)s")


class _Lenient(dict):
    """Placeholders the object cannot fill (it was deleted) read as the stored name."""

    def __init__(self, data, fallback):
        super().__init__(data)
        self.fallback = fallback

    def __missing__(self, key):
        return self.fallback


def describe(events: Iterable[AuditEvent]) -> list[Described]:
    events = list(events)
    names = _load(events)
    next_level = _next_levels(names.values())
    people = _people(events)
    described = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        state = after.get("state") if isinstance(after.get("state"), str) else None
        kind = KINDS.get(event.object_type)
        found = names.get((event.object_type, event.object_id))
        data = {k: v for k, v in {**before, **after}.items() if isinstance(v, str | int)}
        gone = _("（已删除的对象）") if event.object_type.startswith("selection.") else None
        fallback = gone or event.object_repr
        data.update(
            {
                # The log stores "system" for work nobody started by hand (``Actor.system``).
                "actor": _("系统")
                if event.actor_id is None and event.actor_name in ("", "system")
                else event.actor_name,
                "action": event.get_action_display(),
                "noun": kind.noun if kind else _("对象"),
                "name": event.object_repr if not gone else fallback,
                "to": STATE_WORDS.get(state, state or ""),
            }
        )
        if isinstance(after.get("recommended"), list):
            data["recommended"] = len(after["recommended"])
        expert = after.get("expert", before.get("expert"))
        if isinstance(expert, int):
            data["expert"] = people.get(expert, _("（已删除的人员）"))
        if found:
            data.update(found)
            if "_next" in found:
                data["next"] = next_level.get(found["_next"], _("上一级"))
        sentence = _sentence(event.object_type, event.action, state) % _Lenient(data, fallback)
        overrode = after.get("overrode") or []
        described.append(
            Described(
                event,
                sentence,
                event.reason,
                "、".join(str(OVERRIDES.get(o, o)) for o in overrode if isinstance(o, str)),
                _field_changes(event),
            )
        )
    return described

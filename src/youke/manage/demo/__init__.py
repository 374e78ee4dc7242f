"""Demo data for ``youke demo``: a fictional province, its people, the demo catalog, two
running campaigns and hundreds of lesson packages with real (small) files.

Deterministic for a seed and idempotent: the catalog is skipped when any catalog exists, the
org part when the demo 教育部 (code 100000) exists, and each campaign (with its packages)
when its owner already runs one of that template, so a second run changes nothing.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections import Counter
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.core.trees import bulk_build
from youke.manage.demo.campaigns import build_campaigns
from youke.manage.demo.catalog import build_catalog, expert_subjects
from youke.manage.demo.names import NameBook
from youke.manage.demo.people import (
    ADMIN,
    CITY_ADMIN,
    COUNTY_ADMIN,
    ELEARNING,
    EXPERT,
    FIXED_USERNAMES,
    PROVINCE_ADMIN,
    RESEARCH,
    SCHOOL_ADMIN,
    TEACHER,
    PeoplePlanner,
    insert_people,
)
from youke.manage.demo.province import MINISTRY_CODE, PROVINCE_CODE, build_contacts, plan_units
from youke.manage.demo.selection import build_selection
from youke.manage.demo.submissions import build_submissions
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Contact, Person, Unit

DEFAULT_PASSWORD = "youke2026"
DEFAULT_SEED = 2026

LOGIN_ROLES = (
    (ADMIN, gettext_lazy("平台管理员")),
    (PROVINCE_ADMIN, gettext_lazy("省级管理员")),
    (CITY_ADMIN, gettext_lazy("市级管理员")),
    (COUNTY_ADMIN, gettext_lazy("县级管理员")),
    (SCHOOL_ADMIN, gettext_lazy("学校管理员")),
    (TEACHER, gettext_lazy("教师（兼评审专家）")),
    (EXPERT, gettext_lazy("评审专家")),
    (RESEARCH, gettext_lazy("教研人员")),
    (ELEARNING, gettext_lazy("电教人员")),
)


def build(
    stdout: TextIO, *, password: str = DEFAULT_PASSWORD, seed: int = DEFAULT_SEED
) -> dict[str, int]:
    """Load the demo data, print what happened and the demo logins; returns the counts."""
    started = time.monotonic()
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    logins = {username: username for username in FIXED_USERNAMES}
    with transaction.atomic():
        catalog = build_catalog()
        if catalog is None:
            _say(stdout, _("课程目录已存在，跳过。"))
        else:
            counts.update({f"catalog_{level}": n for level, n in catalog.items()})
            _say(
                stdout,
                _("已创建课程目录：%(nodes)d 个节点，其中 %(lessons)d 课。")
                % {"nodes": sum(catalog.values()), "lessons": catalog["lesson"]},
            )
        if Unit.objects.filter(code=MINISTRY_CODE).exists():
            _say(
                stdout,
                _("演示单位（教育部，代码 %(code)s）已存在，跳过单位和人员。")
                % {"code": MINISTRY_CODE},
            )
        else:
            org, logins = _build_org(rng, password)
            counts.update(org)
            _say(
                stdout,
                _(
                    "已创建示范省：%(cities)d 个市、%(counties)d 个县（区）、"
                    "%(schools)d 所学校、%(points)d 个教学点；%(people)d 人，"
                    "其中教师 %(teachers)d 人、评审专家 %(experts)d 人。"
                )
                % org,
            )
        counts.update(_build_activity(stdout, seed, logins.get(TEACHER, TEACHER)))
        counts.update(_build_selection(stdout, seed, logins))
        counts.update(_build_certificates(stdout))
        counts.update(_build_monitoring(stdout))
        counts.update(_build_training(stdout, logins.get(TEACHER, TEACHER)))
        # Originality swaps some packages' files, so it runs before the library copies them.
        counts.update(_build_originality(stdout))
        counts.update(_build_library(stdout, seed))
        counts.update(_build_classrooms(stdout, seed))
        counts.update(_build_programmes(stdout, logins.get(SCHOOL_ADMIN, SCHOOL_ADMIN)))
        counts.update(_build_collections(stdout))
        province = Unit.objects.filter(code=PROVINCE_CODE).first()
        if counts and province is not None:
            record(
                Actor.system(),
                AuditAction.CREATE,
                province,
                unit=province,
                after=counts,
                reason=_("载入演示数据（youke demo）"),
            )
    _print_logins(stdout, logins, password)
    _say(stdout, _("用时 %(seconds).1f 秒。") % {"seconds": time.monotonic() - started})
    return counts


def _build_org(rng: random.Random, password: str) -> tuple[dict[str, int], dict[str, str]]:
    plan = plan_units(rng)
    bulk_build(Unit, [plan.spec()])
    root = Unit.objects.get(code=MINISTRY_CODE)
    units = {unit.code: unit for unit in Unit.objects.filter(path__under=root.path)}

    # Keep clear of identities already in the database (the demo may join real data).
    taken = list(Person.objects.order_by().values_list("username", "mobile", "id_card"))
    usernames = {row[0] for row in taken}
    book = NameBook(
        rng,
        taken_mobiles=usernames | {row[1] for row in taken if row[1]},
        taken_id_cards=[row[2] for row in taken if row[2]],
    )
    planner = PeoplePlanner(book, usernames)
    plan_people = planner.plan(plan)
    # One hash for every demo account: hashing ~2,000 passwords would take minutes.
    counts = insert_people(
        plan_people, units, make_password(password), expert_subjects(), book, root
    )

    admins = {
        p.unit_code: (p.full_name, p.mobile)
        for p in plan_people
        if (Role.UNIT_ADMIN, p.unit_code) in p.grants
    }
    contacts = build_contacts(book, plan, units, admins)
    Contact.objects.bulk_create(contacts, batch_size=500)

    kinds = Counter(unit.kind for unit in units.values())
    counts.update(
        {
            "cities": kinds[UnitKind.CITY],
            "counties": kinds[UnitKind.COUNTY],
            "schools": kinds[UnitKind.SCHOOL],
            "points": kinds[UnitKind.TEACHING_POINT],
            "contacts": len(contacts),
        }
    )
    return counts, planner.logins


def _build_activity(stdout: TextIO, seed: int, teacher_username: str) -> dict[str, int]:
    """Campaigns and packages; their own random stream keeps them the same for a seed
    whether or not this run also created the org."""
    rng = random.Random(f"{seed}:campaigns")
    built = build_campaigns(rng, teacher_username)
    for name in built.skipped:
        _say(stdout, _("遴选活动“%(name)s”已存在，跳过该活动及其申报。") % {"name": name})
    if not built.created:
        return {}
    for campaign in built.created:
        _say(
            stdout,
            _("已创建进行中的遴选活动“%(name)s”（%(owner)s 主办）。")
            % {"name": campaign.name, "owner": campaign.owner_unit.name},
        )
    _say(
        stdout,
        _("已关闭 %(closures)d 个课程节点，导入 %(awards)d 条往年获奖课例。")
        % {"closures": built.closures, "awards": built.past_awards},
    )
    counts = {
        "campaigns": len(built.created),
        "node_closures": built.closures,
        "past_awards": built.past_awards,
    }
    made = build_submissions(rng, built.created, teacher_username)
    if made:
        counts.update(made)
        _say(
            stdout,
            _(
                "已创建 %(submissions)d 份申报（草稿 %(submissions_draft)d、"
                "已提交 %(submissions_submitted)d、已撤回 %(submissions_withdrawn)d），"
                "材料 %(materials)d 份，其中视频 %(video_materials)d 份"
                "（共用 %(sample_videos)d 个生成的示例视频），资源链接 %(material_links)d 个。"
            )
            % made,
        )
    return counts


def _build_selection(stdout: TextIO, seed: int, logins: dict[str, str]) -> dict[str, int]:
    """The 精品课 campaign's recommendations, review rounds, awards and publicity."""
    made = build_selection(
        seed,
        expert_username=logins.get(EXPERT, EXPERT),
        school_admin_username=logins.get(SCHOOL_ADMIN, SCHOOL_ADMIN),
    )
    if made is None:
        _say(stdout, _("精品课活动已有推荐记录，跳过遴选演示数据。"))
        return {}
    if not made:
        return {}
    _say(
        stdout,
        _(
            "已创建精品课遴选进度：%(selection_entries)d 条推荐记录，覆盖 %(selection_levels)d "
            "个级别（待审 %(selection_pending)d 条），已确认名单 %(selection_lists_confirmed)d 份。"
        )
        % made,
    )
    _say(
        stdout,
        _(
            "专家评审：已结束 %(review_rounds_closed)d 轮（%(reviews_closed)d 份评分全部提交，"
            "授奖 %(awards)d 项）；进行中 %(review_rounds_open)d 轮（已提交 %(reviews_submitted)d、"
            "暂存 %(reviews_draft)d、未评 %(reviews_untouched)d 份）。"
        )
        % made,
    )
    _say(
        stdout,
        _("公示：%(publicities)d 个公示期进行中，收到异议 %(objections)d 条（待处理）。") % made,
    )
    return made


def _build_certificates(stdout: TextIO) -> dict[str, int]:
    from youke.certificates.demo import build_certificates

    made = build_certificates()
    if made:
        _say(
            stdout,
            _(
                "已为已结束的市级评审签发 %(certificates)d 张证书，其中撤销 %(certificates_revoked)d 张。"
            )
            % made,
        )
    return made


def _build_monitoring(stdout: TextIO) -> dict[str, int]:
    from youke.monitoring.demo import build_monitoring

    made = build_monitoring()
    if made.get("bulletins"):
        _say(stdout, _("已统计各单位晒课指标，并发布通报 %(bulletins)d 份。") % made)
    return made


def _build_training(stdout: TextIO, teacher_username: str) -> dict[str, int]:
    from youke.training.demo import build_training

    made = build_training(teacher_username)
    if made:
        _say(
            stdout,
            _(
                "已认定培训学时 %(training_credits)d 条，为演示教师补登往年学时 %(training_manual)d 条。"
            )
            % made,
        )
    return made


def _build_library(stdout: TextIO, seed: int) -> dict[str, int]:
    from youke.library.demo import build_library

    made = build_library(seed)
    if made:
        _say(
            stdout,
            _(
                "资源库：已发布获奖课例 %(library_published)d 个，另生成 %(library_generated)d 个往年课例。"
            )
            % made,
        )
    return made


def _build_programmes(stdout: TextIO, school_admin_username: str) -> dict[str, int]:
    from youke.programmes.demo import build_programmes

    made = build_programmes(school_admin_username)
    if made:
        _say(
            stdout,
            _("已创建行动计划台账：任务 %(programme_tasks)d 项，进展 %(programme_notes)d 条。")
            % made,
        )
    return made


def _build_classrooms(stdout: TextIO, seed: int) -> dict[str, int]:
    from youke.classrooms.demo import build_classrooms

    made = build_classrooms(seed)
    if made:
        _say(
            stdout,
            _(
                "三个课堂：%(classroom_groups)d 个专递课堂分组（%(classroom_sessions)d 节课，"
                "出勤记录 %(classroom_attendance)d 条，一节正在直播），名师 %(master_teachers)d 位，"
                "网络课程 %(network_courses)d 门。"
            )
            % made,
        )
    return made


def _build_originality(stdout: TextIO) -> dict[str, int]:
    from youke.originality.demo import build_originality

    made = build_originality()
    if made:
        _say(
            stdout,
            _(
                "原创性检测：已检测 %(originality_checked)d 件作品，发现相似 %(originality_flagged)d 件。"
            )
            % made,
        )
    return made


def _print_logins(stdout: TextIO, logins: dict[str, str], password: str) -> None:
    found = {
        person.username: person
        for person in Person.objects.select_related("unit").filter(username__in=logins.values())
    }
    header = (_("用户名"), _("密码"), _("姓名"), _("角色"), _("单位"))
    rows = []
    matches: dict[str, bool] = {}  # demo accounts share one hash: verify it once, not 9 times
    for fixed, role in LOGIN_ROLES:
        person = found.get(logins.get(fixed, fixed))
        if person is None:
            continue
        if person.password not in matches:
            matches[person.password] = check_password(password, person.password)
        # An earlier run may have used another --password, or the user changed it since.
        shown = password if matches[person.password] else _("（已修改）")
        rows.append((person.username, shown, person.full_name, str(role), person.unit.name))
    _say(stdout, "")
    _say(stdout, _("演示账号："))
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        _say(
            stdout,
            "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip(),
        )
    _say(stdout, "")
    # YOUKE_SITE_URL, else http://127.0.0.1:YOUKE_PORT/ (`make demo PORT=N` sets the port).
    _say(stdout, _("启动 youke serve 后访问 %(url)s 登录。") % {"url": settings.SITE_URL})


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _say(stdout: TextIO, text: str) -> None:
    stdout.write(text + "\n")


def _build_collections(stdout: TextIO) -> dict[str, int]:
    from youke.collections.demo import build_collections

    made = build_collections()
    if made:
        _say(
            stdout,
            _(
                "征集与报送：联系表已报送 %(contact_sheets)d 个单位、未报送 %(contact_sheets_missing)d 个；"
                "实施方案审定通过 %(plans_approved)d 份、退回修改 %(plans_returned)d 份。"
            )
            % made,
        )
    return made

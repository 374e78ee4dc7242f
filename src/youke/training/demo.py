"""Demo training hours: the ledger is filled from the demo's events (晒课 of the 一师一优课
campaign; awards where a rule credits them), and the demo teacher gets hand-entered lines
from earlier years so their 我的学时 and 荣誉档案 span several years.

Called from ``youke demo`` after the certificates; events that happened while the demo was
loading are credited by ``sync_credits`` (the signals fire only after a commit).
"""

from __future__ import annotations

from youke.core.actor import Actor
from youke.orgs import rules as org_rules
from youke.orgs.enums import Role
from youke.orgs.models import Person, RoleGrant
from youke.training.domain import ledger
from youke.training.enums import CreditKind
from youke.training.models import TrainingCredit

# (years back, hours, source, reason, kind)
DEMO_TEACHER_LINES = (
    (2, "50", "“一师一优课”省级优课（纸质证书补登）", "往年纸质证书经学校核对后补登", "manual"),
    (1, "24", "市级信息技术应用能力提升工程2.0校本研修", "市教师发展中心培训合格名单", "manual"),
    (
        1,
        "-4",
        "市级信息技术应用能力提升工程2.0校本研修",
        "缺席一次集中研修，按规定扣减",
        "correction",
    ),
    (0, "6", "市级优课展示观摩活动", "观摩签到表核对", "manual"),
)


def _school_admin(teacher: Person) -> Person | None:
    grants = RoleGrant.objects.filter(role=Role.UNIT_ADMIN, unit=teacher.unit).select_related(
        "person"
    )
    for grant in grants:
        if org_rules.covers(grant.person, teacher.unit):
            return grant.person
    return Person.objects.filter(is_platform_admin=True).first()


def build_training(teacher_username: str) -> dict[str, int]:
    """Credit what the demo earned and the demo teacher's past lines; {} when nothing new."""
    counts = {"training_credits": ledger.sync_credits(Actor.system()), "training_manual": 0}
    teacher = Person.objects.filter(username=teacher_username).select_related("unit").first()
    already = TrainingCredit.objects.filter(
        teacher=teacher, kind__in=(CreditKind.MANUAL, CreditKind.CORRECTION)
    ).exists()
    admin = _school_admin(teacher) if teacher is not None else None
    if teacher is not None and admin is not None and not already:
        this_year = ledger.current_year()
        for back, hours, source, reason, kind in DEMO_TEACHER_LINES:
            ledger.add_manual_credit(
                Actor(admin),
                teacher,
                hours=hours,
                year=this_year - back,
                source=source,
                reason=reason,
                kind=kind,
            )
            counts["training_manual"] += 1
    return counts if any(counts.values()) else {}

"""Demo collections of the demo city (the owner of the 一师一优课 campaign, else the first
city with counties): a contact-sheet collection to its counties where all but the last two
counties have confirmed their sheet, and an implementation-plan collection (实施方案) where
the plans are approved except one, returned with comments; one county's plan was approved
at its second version, so the page shows kept versions.

Everything goes through the domain functions as the admins would do it; does nothing once
a collection exists.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from youke.campaigns.enums import TemplateKey
from youke.campaigns.models import Campaign
from youke.collections.domain import returns, tasks
from youke.collections.enums import CollectionKind
from youke.collections.models import CollectionReturn, CollectionTask
from youke.core.actor import Actor
from youke.orgs.enums import ContactRole, Role, UnitKind
from youke.orgs.models import Contact, Person, Unit

MISSING = 2


def _pdf(text: str) -> ContentFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return ContentFile(body, name=f"{text}.pdf")


def _admin(unit: Unit) -> Person | None:
    return (
        Person.objects.filter(grants__unit=unit, grants__role=Role.UNIT_ADMIN, is_active=True)
        .order_by("id")
        .first()
    )


def _city() -> tuple[Unit, Campaign | None] | None:
    campaign = (
        Campaign.objects.filter(template_key=TemplateKey.ONE_TEACHER_ONE_LESSON)
        .select_related("owner_unit")
        .order_by("pk")
        .first()
    )
    if campaign is not None and campaign.owner_unit.kind == UnitKind.CITY:
        return campaign.owner_unit, campaign
    city = Unit.objects.filter(kind=UnitKind.CITY, is_active=True).order_by("path").first()
    return (city, None) if city is not None else None


def _sheet(unit: Unit, index: int) -> dict[str, dict[str, str]]:
    on_file = {c.role: c for c in Contact.objects.filter(unit=unit)}
    rows = {}
    for number, role in enumerate(returns.ROLE_ORDER):
        contact = on_file.get(role)
        rows[role] = {
            "name": contact.name if contact else f"{unit.name[:2]}{ContactRole(role).label}",
            "gender": "female" if (index + number) % 2 else "male",
            "position": (contact.position if contact else "") or "科长",
            "department": (contact.department if contact else "") or "电教馆",
            "office_phone": (contact.office_phone if contact else "")
            or f"0379-6{unit.code[-4:]}{number:03d}",
            "mobile": (contact.mobile if contact else "")
            or f"139{unit.code[-4:]}{index:02d}{number:02d}",
            "email": f"{role}.{unit.code}@edu.example.cn",
        }
    return rows


def build_collections() -> dict[str, int]:
    if CollectionTask.objects.exists():
        return {}
    found = _city()
    if found is None:
        return {}
    city, campaign = found
    city_admin = _admin(city)
    if city_admin is None:
        return {}
    actor = Actor(city_admin)
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    sheet = tasks.create_task(
        actor,
        issuing_unit=city,
        campaign=campaign,
        title="关于报送一师一优课活动联系表的通知",
        kind=CollectionKind.CONTACT_SHEET,
        instructions="请各县（区）填写负责人、联系人、管理员信息，加盖公章后扫描上传，并确认报送。",
        deadline=deadline,
    )
    tasks.open_task(actor, sheet)
    sheet_returns = list(
        CollectionReturn.objects.filter(task=sheet).select_related("unit").order_by("unit__path")
    )
    confirmed = 0
    for index, row in enumerate(sheet_returns[: max(len(sheet_returns) - MISSING, 0)]):
        unit_actor = Actor(_admin(row.unit) or city_admin)
        returns.save_contacts(unit_actor, row, _sheet(row.unit, index))
        returns.attach_scan(unit_actor, row, _pdf(f"contacts-{row.unit.code}"))
        returns.confirm_contacts(unit_actor, row)
        confirmed += 1

    plan = tasks.create_task(
        actor,
        issuing_unit=city,
        campaign=campaign,
        title="关于报送一师一优课活动实施方案的通知",
        kind=CollectionKind.PLAN,
        instructions="请各县（区）结合本地实际制定实施方案，报市电教馆审定。",
        deadline=deadline,
    )
    tasks.open_task(actor, plan)
    plan_returns = list(
        CollectionReturn.objects.filter(task=plan).select_related("unit").order_by("unit__path")
    )
    approved = returned = 0
    for index, row in enumerate(plan_returns):
        unit_actor = Actor(_admin(row.unit) or city_admin)
        returns.add_version(unit_actor, row, _pdf(f"plan-{row.unit.code}-v1"), "初稿")
        if index == 0:  # approved at the second version: both versions kept
            returns.send_back(actor, row, "请补充各学段的晒课进度安排和责任人。")
            returns.add_version(unit_actor, row, _pdf(f"plan-{row.unit.code}-v2"), "按意见修改")
        if index == len(plan_returns) - 1 and index > 0:
            returns.send_back(actor, row, "实施方案缺少培训安排和保障措施，请补充后重新报送。")
            returned += 1
        else:
            returns.approve(actor, row, "同意。")
            approved += 1
    return {
        "collections": 2,
        "contact_sheets": confirmed,
        "contact_sheets_missing": len(sheet_returns) - confirmed,
        "plans_approved": approved,
        "plans_returned": returned,
    }

"""Collections fixtures: tasks of the city of the shared province (counties 东湖区, 西岭县)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from youke.collections.domain import tasks
from youke.collections.enums import CollectionKind
from youke.collections.models import CollectionReturn
from youke.core.actor import Actor

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "doc.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


def sheet(mobile: str = "13912345678", email: str = "a@edu.example.cn") -> dict:
    return {
        role: {
            "name": f"{role}姓名",
            "gender": "female",
            "position": "科长",
            "department": "电教馆",
            "office_phone": "0379-63210000",
            "mobile": mobile,
            "email": email,
        }
        for role in ("leader", "contact", "admin")
    }


def make_task(unit, admin, kind=CollectionKind.CONTACT_SHEET, *, open_it=True, **fields):
    fields.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=7))
    task = tasks.create_task(
        Actor(admin),
        issuing_unit=unit,
        title=fields.pop("title", "报送联系表"),
        kind=kind,
        **fields,
    )
    if open_it:
        tasks.open_task(Actor(admin), task)
    return task


def return_of(task, unit) -> CollectionReturn:
    return CollectionReturn.objects.select_related("task__issuing_unit", "unit").get(
        task=task, unit=unit
    )


@pytest.fixture
def contact_task(province):
    return make_task(province.city, province.city_admin)


@pytest.fixture
def plan_task(province):
    return make_task(province.city, province.city_admin, CollectionKind.PLAN, title="实施方案")

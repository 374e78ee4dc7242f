"""The collections demo on the test province with a third county (issue 11 Demo)."""

from __future__ import annotations

import pytest

from tests.factories import make_admin, make_unit
from youke.collections.demo import build_collections
from youke.collections.models import CollectionReturn, CollectionTask
from youke.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db


def test_demo_collections(province):
    third = make_unit(province.city, UnitKind.COUNTY, "北坪县")
    make_admin(third)
    made = build_collections()
    assert made == {
        "collections": 2,
        "contact_sheets": 1,
        "contact_sheets_missing": 2,
        "plans_approved": 2,
        "plans_returned": 1,
    }
    sheet = CollectionTask.objects.get(kind="contact_sheet")
    states = dict(CollectionReturn.objects.filter(task=sheet).values_list("unit__name", "state"))
    assert sorted(states.values()) == ["pending", "pending", "submitted"]
    plan = CollectionTask.objects.get(kind="plan")
    rows = CollectionReturn.objects.filter(task=plan).order_by("unit__path")
    assert [(r.state, r.versions.count()) for r in rows] == [
        ("approved", 2),
        ("approved", 1),
        ("returned", 1),
    ]
    assert build_collections() == {}  # once only

import pytest
from django.core.exceptions import ValidationError

from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain import units
from youke.orgs.enums import UnitKind
from youke.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_create_child_unit_is_audited(province):
    actor = Actor(province.county_a_admin, "10.0.0.1")
    school = units.create_unit(
        actor,
        province.county_a,
        name="东湖区第二小学",
        code="9901010003",
        kind=UnitKind.SCHOOL,
        area_type="urban",
    )
    assert school.get_parent() == province.county_a
    event = AuditEvent.objects.get(object_type="orgs.unit", object_id=str(school.pk))
    assert (event.action, event.actor, event.ip, event.unit) == (
        "create",
        province.county_a_admin,
        "10.0.0.1",
        school,
    )
    assert event.after["code"] == "9901010003"


@pytest.mark.parametrize(
    ("kind", "code", "field"),
    [
        (UnitKind.SCHOOL, "99010", "code"),  # schools need 10 digits
        (UnitKind.CITY, "990199", "kind"),  # a city cannot sit under a county
        (UnitKind.SCHOOL, "9901010001", "code"),  # code already used
    ],
)
def test_create_rejects_bad_input(province, kind, code, field):
    with pytest.raises(ValidationError) as info:
        units.create_unit(
            Actor(province.county_a_admin),
            province.county_a,
            name="新单位",
            code=code,
            kind=kind,
            area_type="urban",
        )
    assert field in info.value.message_dict


def test_create_outside_scope_is_denied(province):
    with pytest.raises(units.PermissionDenied):
        units.create_unit(
            Actor(province.county_a_admin),
            province.county_b,
            name="越权学校",
            code="9901020099",
            kind=UnitKind.SCHOOL,
            area_type="county",
        )
    assert not Unit.objects.filter(code="9901020099").exists()


def test_move_refuses_cycles(province):
    with pytest.raises(ValidationError) as info:
        units.move_unit(Actor(province.province_admin), province.city, province.county_a)
    assert "循环" in info.value.message_dict["parent"][0]


def test_move_school_between_counties_keeps_people(province):
    moved = units.move_unit(
        Actor(province.city_admin), province.school_a, province.county_b, reason="行政区划调整"
    )
    assert moved.get_parent() == province.county_b
    assert province.teacher_a.unit_id == moved.pk
    assert Unit.objects.get(pk=province.point_a.pk).path.startswith(moved.path)
    event = AuditEvent.objects.get(action="move", object_id=str(moved.pk))
    assert event.reason == "行政区划调整"
    assert event.before["parent"] == province.county_a.pk


def test_deactivate_covers_subtree_and_never_deletes(province):
    units.deactivate_unit(Actor(province.city_admin), province.county_a, reason="撤并")
    assert set(Unit.objects.filter(is_active=False).values_list("code", flat=True)) == {
        "990101",
        "9901010001",
        "9901010002",
    }
    with pytest.raises(ValidationError):
        units.delete_unit(Actor(province.city_admin), province.county_a)
    assert Unit.objects.filter(pk=province.county_a.pk).exists()


def test_delete_only_empty_unit(province):
    actor = Actor(province.county_a_admin)
    empty = units.create_unit(
        actor,
        province.county_a,
        name="误建学校",
        code="9901010055",
        kind=UnitKind.SCHOOL,
        area_type="urban",
    )
    units.delete_unit(actor, empty)
    assert not Unit.objects.filter(code="9901010055").exists()


def test_contact_sheet_validates_mobile(province):
    actor = Actor(province.county_a_admin)
    with pytest.raises(ValidationError):
        units.save_contact(actor, province.school_a, "contact", name="张三", mobile="12345")
    contact = units.save_contact(
        actor, province.school_a, "contact", name="张三", mobile="13912345678", department="教务处"
    )
    assert (contact.name, contact.mobile) == ("张三", "13912345678")

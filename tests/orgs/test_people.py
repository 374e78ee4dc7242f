import pytest
from django.core.exceptions import ValidationError

from tests.factories import valid_id_card
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain import people
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import RoleGrant
from youke.orgs.validators import mask_id_card, validate_id_card

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("11010519491231002X", True),  # the standard's own example
        ("110105194912310021", False),  # wrong check digit
        ("11010519491231002", False),  # too short
        ("1101051949123100AX", False),  # letters inside
    ],
)
def test_gb11643(number, ok):
    if ok:
        validate_id_card(number)
    else:
        with pytest.raises(ValidationError):
            validate_id_card(number)


def test_id_card_is_masked_everywhere(province):
    number = valid_id_card(42)
    person, _pw = people.create_person(
        Actor(province.school_a_admin),
        province.school_a,
        full_name="孙老师",
        mobile="13700000001",
        id_card=number,
    )
    assert person.masked_id_card == mask_id_card(number) == "*" * 14 + number[-4:]
    event = AuditEvent.objects.get(action="create", object_id=str(person.pk))
    assert event.after["id_card"] == person.masked_id_card


def test_create_person_returns_one_time_password(province):
    person, password = people.create_person(
        Actor(province.school_a_admin),
        province.school_a,
        full_name="周老师",
        mobile="13700000002",
        roles=("teacher",),
    )
    assert person.check_password(password)
    assert person.must_change_password
    assert person.username == "13700000002"
    assert list(person.grants.values_list("role", "unit")) == [("teacher", province.school_a.pk)]


def test_duplicate_mobile_is_refused(province):
    with pytest.raises(ValidationError) as info:
        people.create_person(
            Actor(province.school_a_admin),
            province.school_a,
            full_name="重复",
            mobile=province.teacher_a.mobile,
        )
    assert "mobile" in info.value.message_dict


def test_granting_outside_subtree_is_denied(province):
    with pytest.raises(PermissionDenied):
        people.grant_role(
            Actor(province.county_a_admin), province.teacher_a, province.county_b, "expert"
        )
    with pytest.raises(PermissionDenied):
        people.grant_role(
            Actor(province.county_a_admin), province.teacher_b, province.county_a, "expert"
        )
    assert not RoleGrant.objects.filter(role="expert", person=province.teacher_a).exists()


def test_reset_password_forces_change(province):
    password = people.reset_password(Actor(province.school_a_admin), province.teacher_a)
    province.teacher_a.refresh_from_db()
    assert province.teacher_a.check_password(password)
    assert province.teacher_a.must_change_password
    assert (
        AuditEvent.objects.filter(
            action="password_reset", object_id=str(province.teacher_a.pk)
        ).count()
        == 1
    )


def test_admin_cannot_reset_someone_outside_scope(province):
    with pytest.raises(PermissionDenied):
        people.reset_password(Actor(province.county_a_admin), province.teacher_b)


def test_passwords_are_argon2(province):
    person, password = people.create_person(
        Actor(province.school_a_admin), province.school_a, full_name="吴老师", mobile="13700000003"
    )
    assert person.password.startswith("argon2")


def test_self_service_cannot_change_real_name_identity(province):
    with pytest.raises(ValidationError) as info:
        people.update_person(Actor(province.teacher_a), province.teacher_a, full_name="改名")
    assert list(info.value.message_dict) == ["full_name"]
    people.update_person(
        Actor(province.teacher_a), province.teacher_a, full_name="王老师", email="wang@example.com"
    )
    province.teacher_a.refresh_from_db()
    assert (province.teacher_a.full_name, province.teacher_a.email) == (
        "王老师",
        "wang@example.com",
    )


def test_bad_email_is_refused(province):
    with pytest.raises(ValidationError) as info:
        people.update_person(Actor(province.school_a_admin), province.teacher_a, email="nope")
    assert "email" in info.value.message_dict

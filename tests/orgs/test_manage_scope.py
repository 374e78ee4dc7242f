"""Managing a person needs EVERY role they hold in scope (no takeover across role scope)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_person
from youke.core.actor import Actor
from youke.orgs import rules
from youke.orgs.domain import people
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role
from youke.orgs.models import ApiToken, PersonSession, RoleGrant

pytestmark = pytest.mark.django_db

# A person homed at school_a (teacher there) plus one more role, or the platform flag.
EXTRA_ROLE = {
    "plain": None,
    "city_expert": ("city", Role.EXPERT),
    "county_expert": ("county_a", Role.EXPERT),
    "point_admin": ("point_a", Role.UNIT_ADMIN),
    "other_county_research": ("county_b", Role.RESEARCH),
    "platform_admin": "flag",
}
ADMINS = [
    "platform_admin",
    "province_admin",
    "city_admin",
    "county_a_admin",
    "school_a_admin",
    "county_b_admin",
]
# person kind → admins allowed to manage them
MANAGES = {
    "plain": {"platform_admin", "province_admin", "city_admin", "county_a_admin", "school_a_admin"},
    "city_expert": {"platform_admin", "province_admin", "city_admin"},
    "county_expert": {"platform_admin", "province_admin", "city_admin", "county_a_admin"},
    "point_admin": {
        "platform_admin",
        "province_admin",
        "city_admin",
        "county_a_admin",
        "school_a_admin",
    },
    "other_county_research": {"platform_admin", "province_admin", "city_admin"},
    "platform_admin": {"platform_admin"},
}


def make_target(province, kind):
    extra = EXTRA_ROLE[kind]
    target = make_person(
        province.school_a,
        Role.TEACHER,
        username=f"t-{kind}",
        is_platform_admin=extra == "flag",
    )
    if isinstance(extra, tuple):
        RoleGrant.objects.create(person=target, unit=getattr(province, extra[0]), role=extra[1])
    return target


@pytest.mark.parametrize("kind", EXTRA_ROLE)
@pytest.mark.parametrize("admin", ADMINS)
def test_admin_scope_times_person_roles(province, admin, kind):
    viewer = getattr(province, admin)
    target = make_target(province, kind)
    allowed = admin in MANAGES[kind]
    assert rules.can_change_person(viewer, target) is allowed
    manageable = rules.people_manageable_by(viewer).filter(pk=target.pk).exists()
    assert manageable is allowed
    # The domain re-checks with the same answer.
    if allowed:
        assert people.reset_password(Actor(viewer), target)
    else:
        with pytest.raises(PermissionDenied):
            people.reset_password(Actor(viewer), target)


@pytest.mark.parametrize("viewer", ["city_admin", "county_a_admin", "school_a_admin", "teacher_a"])
def test_manageable_queryset_matches_predicate_for_everyone(province, viewer):
    from youke.orgs.models import Person

    make_target(province, "city_expert")
    make_target(province, "point_admin")
    person = getattr(province, viewer)
    manageable = set(rules.people_manageable_by(person).values_list("pk", flat=True))
    for other in Person.objects.select_related("unit"):
        assert rules.can_change_person(person, other) is (other.pk in manageable), other.username


@pytest.fixture
def city_expert_teacher(province):
    """The takeover scenario: a teacher of school_a who is also an expert for the city."""
    RoleGrant.objects.create(person=province.teacher_a, unit=province.city, role=Role.EXPERT)
    return province.teacher_a


def test_domain_refuses_every_management_action(province, city_expert_teacher):
    actor = Actor(province.school_a_admin)
    teacher = city_expert_teacher
    grant = RoleGrant.objects.get(person=teacher, role=Role.TEACHER)
    refused = [
        lambda: people.reset_password(actor, teacher),
        lambda: people.set_person_active(actor, teacher, False, reason="离职"),
        lambda: people.move_person(actor, teacher, province.point_a),
        lambda: people.update_person(actor, teacher, full_name="冒名"),
        lambda: people.grant_role(actor, teacher, province.school_a, Role.RESEARCH),
        lambda: people.revoke_role(actor, grant),
        lambda: people.set_expert_areas(actor, teacher, []),
    ]
    for action in refused:
        with pytest.raises(PermissionDenied):
            action()
    teacher.refresh_from_db()
    assert (teacher.check_password(PASSWORD), teacher.is_active, teacher.unit_id) == (
        True,
        True,
        province.school_a.pk,
    )
    assert teacher.full_name == "王老师"
    assert RoleGrant.objects.filter(person=teacher).count() == 2
    # The city admin covers both roles and may reset.
    assert people.reset_password(Actor(province.city_admin), teacher)


def test_self_service_edit_still_works_for_the_person(province, city_expert_teacher):
    people.update_person(Actor(city_expert_teacher), city_expert_teacher, email="w@example.com")
    city_expert_teacher.refresh_from_db()
    assert city_expert_teacher.email == "w@example.com"
    with pytest.raises(ValidationError):
        people.update_person(Actor(city_expert_teacher), city_expert_teacher, full_name="改名")


def log_in(person) -> Client:
    client = Client()
    response = client.post(
        reverse("portal:login"), {"login": person.username, "password": PASSWORD}
    )
    assert response.url == reverse("portal:dashboard")
    return client


def give_token(person) -> None:
    ApiToken.objects.create(person=person, digest=ApiToken.digest_of(f"raw-{person.pk}"))


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("manage:person_reset_password", {}),
        ("manage:person_set_active", {"active": "0", "reason": "离职"}),
    ],
)
def test_reset_or_deactivation_ends_sessions_and_tokens(province, url_name, data):
    teacher = province.teacher_a
    teacher.must_change_password = False
    teacher.save(update_fields=["must_change_password"])
    laptop, phone = log_in(teacher), log_in(teacher)
    give_token(teacher)
    give_token(province.teacher_b)
    admin = log_in(province.school_a_admin)
    assert PersonSession.objects.filter(person=teacher).count() == 2

    response = admin.post(reverse(url_name, args=[teacher.pk]), data)

    assert response.url == reverse("manage:person_detail", args=[teacher.pk])
    assert PersonSession.objects.filter(person=teacher).count() == 0
    assert list(ApiToken.objects.values_list("person__username", flat=True)) == ["teacherb"]
    for client in (laptop, phone):
        assert client.get(reverse("portal:dashboard")).url.startswith(reverse("portal:login"))
    assert PersonSession.objects.filter(person=province.school_a_admin).count() == 1
    event = teacher_event(teacher)
    assert (event.after["sessions_ended"], event.after["tokens_revoked"]) == (2, 1)


def teacher_event(teacher):
    from youke.core.models import AuditEvent

    return AuditEvent.objects.filter(
        object_type="orgs.person",
        object_id=str(teacher.pk),
        action__in=["password_reset", "deactivate"],
    ).get()

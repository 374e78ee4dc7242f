"""The audit log is append-only in the database itself (triggers on SQLite and PostgreSQL)."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain import people, units
from youke.orgs.enums import UnitKind
from youke.orgs.models import Person, Unit


@pytest.fixture
def event(province):
    people.reset_password(Actor(province.school_a_admin), province.teacher_a)
    return AuditEvent.objects.get(action="password_reset")


@pytest.mark.django_db
def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="改写历史")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    event.refresh_from_db()
    assert (event.reason, event.actor_name, AuditEvent.objects.count()) == (
        "",
        "东湖小学管理员",
        1,
    )


@pytest.mark.django_db
def test_a_person_with_history_cannot_be_deleted(province, event):
    admin = province.school_a_admin
    with pytest.raises(ProtectedError), transaction.atomic():
        Person.objects.filter(pk=admin.pk).delete()
    assert Person.objects.filter(pk=admin.pk).exists()
    event.refresh_from_db()
    assert (event.actor_id, event.actor_name) == (admin.pk, "东湖小学管理员")


@pytest.mark.django_db
def test_deleting_a_mistaken_unit_keeps_its_history(province):
    actor = Actor(province.county_a_admin)
    unit = units.create_unit(
        actor,
        province.county_a,
        name="误建学校",
        code="9901010055",
        kind=UnitKind.SCHOOL,
        area_type="urban",
    )
    unit_pk = unit.pk
    units.delete_unit(actor, unit)
    assert not Unit.objects.filter(pk=unit_pk).exists()
    rows = AuditEvent.objects.filter(object_type="orgs.unit", object_id=str(unit_pk))
    assert sorted(rows.values_list("action", "unit_id", "object_repr")) == [
        ("create", unit_pk, "误建学校"),
        ("delete", province.county_a.pk, "误建学校"),
    ]


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_it_append_only(province):
    people.reset_password(Actor(province.school_a_admin), province.teacher_a)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    admin = Person.objects.create(
        username="a",
        full_name="甲",
        unit=Unit.add_root(name="教育部", code="100000", kind=UnitKind.MINISTRY),
    )
    AuditEvent.objects.create(
        actor=admin,
        actor_name="甲",
        action="login",
        object_type="x",
        object_id="1",
        object_repr="x",
    )
    with pytest.raises(IntegrityError):
        AuditEvent.objects.update(reason="改写")

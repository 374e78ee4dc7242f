"""ID-card numbers are encrypted at rest; look-ups and uniqueness go through a keyed hash."""

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_person, valid_id_card
from youke.core.actor import Actor
from youke.core.fields import decrypt, keyed_hash
from youke.orgs.domain import people
from youke.orgs.models import Person


def raw_row(person_pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_card, id_card_hash FROM orgs_person WHERE id = %s", [person_pk])
        return cursor.fetchone()


def windows(number: str, size: int = 6) -> list[str]:
    return [number[i : i + size] for i in range(len(number) - size + 1)]


@pytest.mark.django_db
def test_raw_column_holds_no_run_of_the_number(province):
    number = valid_id_card(4321)
    person, _password = people.create_person(
        Actor(province.school_a_admin),
        province.school_a,
        full_name="周老师",
        username="zhou",
        id_card=number,
    )
    token, digest = raw_row(person.pk)
    # Neither the number nor any 6-digit stretch of it (region, birth date, tail) is stored.
    assert [w for w in windows(number) if w in token or w in digest] == []
    assert number[-4:] not in digest
    assert decrypt(token) == number
    assert digest == keyed_hash(number) and len(digest) == 64
    # Equal numbers encrypt differently (random IV); the ORM reads back the plaintext.
    assert token != Person(id_card=number)._meta.get_field("id_card").get_prep_value(number)
    reloaded = Person.objects.get(pk=person.pk)
    assert (reloaded.id_card, reloaded.masked_id_card) == (number, "*" * 14 + number[-4:])


@pytest.mark.django_db
def test_uniqueness_and_lookup_go_through_the_hash(province):
    number = valid_id_card(77)
    first, _pw = people.create_person(
        Actor(province.school_a_admin),
        province.school_a,
        full_name="甲",
        username="jia",
        id_card=number,
    )
    with pytest.raises(ValidationError) as refused:
        people.create_person(
            Actor(province.school_a_admin),
            province.school_a,
            full_name="乙",
            username="yi",
            id_card=number,
        )
    assert refused.value.message_dict == {
        "id_card": ["该身份证号已登记在其他账号上；同一人请勿重复建号。"]
    }
    # The database refuses a duplicate even past the domain check.
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(province.school_b, username="dup", id_card=number)
    assert Person.objects.get(id_card_hash=keyed_hash(number)) == first
    assert Person.objects.filter(id_card=None).count() == Person.objects.count() - 1
    with pytest.raises(FieldError):
        Person.objects.filter(id_card=number).exists()


@pytest.mark.django_db
def test_updates_keep_the_hash_in_step(province):
    teacher = province.teacher_a
    teacher.id_card = valid_id_card(5)
    teacher.save(update_fields=["id_card"])
    assert raw_row(teacher.pk)[1] == keyed_hash(valid_id_card(5))
    people.update_person(Actor(province.school_a_admin), teacher, id_card=valid_id_card(6))
    assert raw_row(teacher.pk)[1] == keyed_hash(valid_id_card(6))
    people.update_person(Actor(province.school_a_admin), teacher, id_card="")
    assert raw_row(teacher.pk) == (None, None)


@pytest.mark.django_db(transaction=True)
def test_data_migration_encrypts_and_decrypts_existing_rows(province):
    number = valid_id_card(9)
    executor = MigrationExecutor(connection)
    executor.migrate([("orgs", "0003_person_sessions")])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orgs_person SET id_card = %s WHERE id = %s", [number, province.teacher_a.pk]
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    token, digest = raw_row(province.teacher_a.pk)
    assert (decrypt(token), digest) == (number, keyed_hash(number))
    assert Person.objects.get(pk=province.teacher_a.pk).id_card == number

    executor = MigrationExecutor(connection)
    executor.migrate([("orgs", "0003_person_sessions")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_card FROM orgs_person WHERE id = %s", [province.teacher_a.pk])
        assert cursor.fetchone() == (number,)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

"""Property: random recommend attempts never break a quota, R5 or R6."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_person
from tests.selection.conftest import level, submitted
from youke.core.actor import Actor
from youke.orgs.enums import Role
from youke.selection.domain.entries import decide
from youke.selection.domain.quotas import allocate_quota
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry

attempts = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans()), min_size=1, max_size=8
)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(quota=st.one_of(st.none(), st.integers(0, 4)), moves=attempts)
def test_recommendations_respect_quota_r5_r6(province, otol_campaign, lessons, quota, moves):
    admin = Actor(province.school_a_admin)
    school = level(otol_campaign, "school")
    with transaction.atomic():  # rolled back below: each example starts from the fixture
        teachers = [province.teacher_a] + [
            make_person(province.school_a, Role.TEACHER, full_name=f"教师{i}") for i in range(2)
        ]
        if quota is not None:
            allocate_quota(
                Actor(province.county_a_admin), otol_campaign, school, province.school_a, quota
            )
        taken_nodes, taken_teachers, count = set(), set(), 0
        for i, (node, teacher, override) in enumerate(moves):
            entry = submitted(otol_campaign, teachers[teacher], lessons[node], f"课{i}")
            conflict = node in taken_nodes or teacher in taken_teachers
            fits = quota is None or count < quota
            expected = fits and (override or not conflict)
            try:
                decide(
                    admin, entry, EntryState.RECOMMENDED, override_reason="特批" if override else ""
                )
            except ValidationError:
                assert not expected
            else:
                assert expected
                count += 1
                taken_nodes.add(node)
                taken_teachers.add(teacher)
        chosen = list(
            LevelEntry.objects.filter(level=school, state=EntryState.RECOMMENDED).select_related(
                "submission"
            )
        )
        assert len(chosen) == count
        assert quota is None or count <= quota
        plain = [e for e in chosen if not e.override_reason]
        assert len({e.submission.node_id for e in plain}) == len(plain)
        assert len({e.submission.teacher_id for e in plain}) == len(plain)
        transaction.set_rollback(True)

"""Ids-first paging, the submission scope as a UNION of id sets, and role grants read once per
request (issue 14 item 2)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from youke.core.actor import Actor
from youke.manage.views import common
from youke.orgs import rules as org_rules
from youke.portal.roles import role_choices
from youke.submissions import rules
from youke.submissions.domain import packages
from youke.submissions.models import CoAuthor, Submission

pytestmark = pytest.mark.django_db

URL = reverse("manage_submissions:submission_list")


def start(teacher, campaign, node, title):
    return packages.start_submission(
        Actor(teacher), campaign, campaign.categories.get(code="subject"), node, title=title
    )


def test_scope_is_own_co_authored_and_school_packages(province, campaign, catalog):
    own = start(province.teacher_a, campaign, catalog.lesson4, "自己的")
    other = start(province.teacher_b, campaign, catalog.lesson4b, "别校的")
    CoAuthor.objects.create(submission=other, person=province.teacher_a)
    elsewhere = start(province.teacher_b, campaign, catalog.lesson4b, "别校另一件")
    colleague = make_person(province.school_a, "teacher", full_name="同校教师")
    same_school = start(colleague, campaign, catalog.lesson4, "同校的")

    def titles(person):
        return set(rules.submissions_visible_to(person).values_list("title", flat=True))

    assert titles(province.teacher_a) == {own.title, other.title}
    assert titles(province.school_a_admin) == {own.title, same_school.title}
    assert titles(province.teacher_b) == {other.title, elsewhere.title}
    assert titles(province.county_a_admin) == set()  # above school: counts only
    client_visible = rules.submissions_visible_to(province.school_a_admin)
    assert not client_visible.filter(pk=elsewhere.pk).exists()


def test_other_schools_package_answers_404(client, province, campaign, catalog):
    elsewhere = start(province.teacher_b, campaign, catalog.lesson4b, "别校的")
    client.force_login(province.school_a_admin)
    url = reverse("portal:submission_detail", args=[elsewhere.pk])
    assert client.get(url).status_code == 404


def test_pages_keep_the_sort_order_and_the_last_page_answers_past_the_end(
    client, province, campaign, catalog, monkeypatch
):
    monkeypatch.setattr(common, "PAGE_SIZE", 2)
    made = [start(province.teacher_a, campaign, catalog.lesson4, f"作品{i}") for i in range(5)]
    newest_first = sorted(made, key=lambda s: (s.updated_at, s.pk), reverse=True)
    client.force_login(province.school_a_admin)
    shown = []
    for number in (1, 2, 3):
        page = client.get(URL, {"page": number}).context["page"]
        shown += [s.title for s in page]
        assert page.paginator.count == 5
    assert shown == [s.title for s in newest_first]
    past = client.get(URL, {"page": 9}).context["page"]
    assert past.number == 3 and [s.title for s in past] == [newest_first[-1].title]
    assert past.object_list[0].teacher.full_name == "王老师"  # rows come with their joins


def test_counts_per_state_and_total_agree_with_a_check_filter(client, province, campaign, catalog):
    a = start(province.teacher_a, campaign, catalog.lesson4, "甲")
    start(province.teacher_a, campaign, catalog.lesson4, "乙")
    Submission.objects.filter(pk=a.pk).update(state="submitted")
    client.force_login(province.school_a_admin)
    context = client.get(URL).context
    assert dict(context["counts"])["草稿"] == 1
    assert dict(context["counts"])["已提交"] == 1
    assert context["page"].paginator.count == 2
    context = client.get(URL, {"state": "submitted"}).context
    assert [s.title for s in context["page"]] == ["甲"]
    assert context["page"].paginator.count == 1


def test_role_grants_are_read_once_for_every_rule_of_a_request(province):
    person = type(province.school_a_admin).objects.get(pk=province.school_a_admin.pk)
    with CaptureQueriesContext(connection) as ctx:
        org_rules.admin_paths(person)
        org_rules.is_unit_admin(person)
        rules.visible_submission_ids(person)
        choices = role_choices(person)
    grants = [q for q in ctx.captured_queries if "orgs_rolegrant" in q["sql"]]
    assert len(grants) == 1
    assert [c.unit_name for c in choices] == [province.school_a.name]
    assert org_rules.admin_paths(person) == [province.school_a.path]

"""Co-authors (issue 9 item 2): with 合作者同获证书 on the template, batch issue gives each
co-author of an awarded lesson a certificate, once; without it, only the teacher."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youke.certificates.domain import issuing
from youke.certificates.domain.payload import check
from youke.certificates.models import Certificate
from youke.core.actor import Actor
from youke.submissions.models import CoAuthor

pytestmark = pytest.mark.django_db


@pytest.fixture
def coauthored(province, awarded):
    """teacher_b is a co-author of teacher_a's awarded lesson."""
    submission = awarded.awards[0].entry.submission
    CoAuthor.objects.create(submission=submission, person=province.teacher_b)
    return awarded


def _names(template):
    return sorted(
        (c.award.entry.submission.title, c.fields["n"])
        for c in Certificate.objects.filter(template=template)
    )


def test_without_the_flag_co_authors_get_nothing(province, coauthored):
    actor = Actor(province.city_admin)
    assert issuing.missing_count(coauthored.template) == 2
    assert issuing.issue_missing(actor, coauthored.template) == 2
    assert _names(coauthored.template) == [("作品0", "王老师"), ("作品1", "李老师")]


def test_with_the_flag_each_co_author_gets_one_once(province, coauthored, client):
    template = coauthored.template
    template.include_coauthors = True
    template.save()
    actor = Actor(province.city_admin)
    assert issuing.missing_count(template) == 3
    assert issuing.issue_missing(actor, template) == 3
    assert issuing.issue_missing(actor, template) == 0
    assert issuing.missing_count(template) == 0
    assert _names(template) == [("作品0", "李老师"), ("作品0", "王老师"), ("作品1", "李老师")]
    shared = Certificate.objects.get(award=coauthored.awards[0], recipient=province.teacher_b)
    assert check(shared.payload).signature_ok
    assert shared.fields["n"] == "李老师"
    issuing.render_missing(template)
    assert issuing.context_of(shared)["学校"] == "西岭县第一中学"  # the co-author's own school
    # The co-author sees it in 我的证书 next to their own lesson's certificate.
    client.force_login(province.teacher_b)
    page = client.get(reverse("portal:my_certificates")).content.decode()
    assert shared.serial in page
    assert Certificate.objects.filter(recipient=province.teacher_b).count() == 2


def test_revoking_the_award_revokes_the_co_author_certificate_too(province, coauthored):
    from youke.certificates.domain.revocation import revoke_for_award

    template = coauthored.template
    template.include_coauthors = True
    template.save()
    issuing.issue_missing(Actor(province.city_admin), template)
    assert revoke_for_award(Actor(province.city_admin), coauthored.awards[0].pk, "异议成立") == 2

"""The demo issues certificates for the closed city round's awards and revokes one."""

from __future__ import annotations

import pytest

from tests.certificates.conftest import make_awards
from tests.selection.conftest import level
from youke.campaigns.models import AwardGrade
from youke.certificates.demo import REVOKED_REASON, build_certificates
from youke.certificates.domain.verify import verdict
from youke.certificates.models import Certificate
from youke.selection.models import Award
from youke.submissions.models import CoAuthor

pytestmark = pytest.mark.django_db


def test_demo_certificates(province, campaign, lessons):
    grade = AwardGrade.objects.create(
        campaign=campaign, level=level(campaign, "city"), name="市级精品课"
    )
    make_awards(
        campaign, [(province.teacher_a, lessons[0]), (province.teacher_b, lessons[1])], grade
    )
    # teacher_b co-authored teacher_a's lesson: the demo template gives co-authors theirs.
    CoAuthor.objects.create(
        submission=Award.objects.order_by("id").first().entry.submission, person=province.teacher_b
    )
    assert build_certificates() == {
        "certificates": 3,
        "certificates_revoked": 1,
        "certificates_coauthors": 1,
        "unit_certificates": 1,
    }
    unit_certificate = Certificate.objects.get(commendation__isnull=False)
    assert (unit_certificate.fields["n"], unit_certificate.fields["a"]) == (
        "东湖区",
        "优秀组织单位",
    )
    assert unit_certificate.pdf and verdict(unit_certificate.payload).status == "valid"
    certificates = list(Certificate.objects.filter(commendation__isnull=True).order_by("id"))
    assert [c.state for c in certificates] == ["revoked", "valid", "valid"]
    assert certificates[2].recipient == province.teacher_b
    assert certificates[0].revoked_reason == REVOKED_REASON
    assert all(c.pdf for c in certificates)
    assert [a.name for a in certificates[0].template.authorities.all()] == [
        "青山市电化教育馆",
        "青山市教育科学研究院",
    ]
    assert verdict(certificates[1].payload).status == "valid"
    # Run again: nothing more.
    assert build_certificates() == {}
    assert Certificate.objects.count() == 4

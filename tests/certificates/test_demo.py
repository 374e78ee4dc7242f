"""The demo issues certificates for the closed city round's awards and revokes one."""

from __future__ import annotations

import pytest

from tests.certificates.conftest import make_awards
from tests.selection.conftest import level
from youke.campaigns.models import AwardGrade
from youke.certificates.demo import REVOKED_REASON, build_certificates
from youke.certificates.domain.verify import verdict
from youke.certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_demo_certificates(province, campaign, lessons):
    grade = AwardGrade.objects.create(
        campaign=campaign, level=level(campaign, "city"), name="市级精品课"
    )
    make_awards(
        campaign, [(province.teacher_a, lessons[0]), (province.teacher_b, lessons[1])], grade
    )
    assert build_certificates() == {"certificates": 2, "certificates_revoked": 1}
    certificates = list(Certificate.objects.order_by("id"))
    assert [c.state for c in certificates] == ["revoked", "valid"]
    assert certificates[0].revoked_reason == REVOKED_REASON
    assert all(c.pdf for c in certificates)
    assert [a.name for a in certificates[0].template.authorities.all()] == [
        "青山市电化教育馆",
        "青山市教育科学研究院",
    ]
    assert verdict(certificates[1].payload).status == "valid"
    # Run again: nothing more.
    assert build_certificates() == {}
    assert Certificate.objects.count() == 2

"""Awards at the city level of the province fixture, a template with a sealed authority,
and a key generation in the test's own DATA_DIR."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.selection.conftest import catalog, lessons, level  # noqa: F401  (fixtures)
from tests.selection.test_proposal import city_entry
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.campaigns.models import AwardGrade
from youke.certificates.domain import keys as keyring
from youke.certificates.domain.templates import add_authority, save_template, set_seal
from youke.certificates.models import CertificateTemplate
from youke.core.actor import Actor
from youke.selection.models import Award


def seal_png(color=(200, 20, 20, 255)) -> SimpleUploadedFile:
    image = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    for x in range(20, 100):
        for y in range(20, 100):
            if (x - 60) ** 2 + (y - 60) ** 2 < 1600:
                image.putpixel((x, y), color)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("seal.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def keys(settings):
    return keyring.generate()


def make_template(admin, campaign, unit) -> CertificateTemplate:  # noqa: F811
    actor = Actor(admin)
    template = save_template(
        actor,
        campaign=campaign,
        level=level(campaign, "city"),
        unit=unit,
        title="荣誉证书",
        body="{教师}老师（{学校}）的作品《{课题}》在{活动}中荣获{级别}{奖项}。",
        orientation="landscape",
    )
    authority = add_authority(actor, template, unit=unit, name=f"{unit.name}电化教育馆")
    set_seal(actor, authority, seal_png())
    return template


@dataclass
class Awarded:
    template: CertificateTemplate
    awards: list[Award]
    grade: AwardGrade


def make_awards(campaign, teachers_and_nodes, grade) -> list[Award]:  # noqa: F811
    awards = []
    for i, (teacher, node) in enumerate(teachers_and_nodes):
        entry = city_entry(campaign, teacher, node, f"作品{i}")
        awards.append(Award.objects.create(entry=entry, grade=grade, level=entry.level))
    return awards


@pytest.fixture
def awarded(province, campaign, lessons, keys) -> Awarded:  # noqa: F811
    city = level(campaign, "city")
    grade = AwardGrade.objects.create(campaign=campaign, level=city, name="一等奖", order=0)
    template = make_template(province.city_admin, campaign, province.city)
    awards = make_awards(
        campaign,
        [(province.teacher_a, lessons[0]), (province.teacher_b, lessons[1])],
        grade,
    )
    return Awarded(template=template, awards=awards, grade=grade)

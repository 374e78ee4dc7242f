"""Submitted packages in the province fixture and a 一师一优课 campaign for R6."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.campaigns.conftest import add, catalog  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.models import Campaign, Level, UploadWindow
from youke.catalog.enums import NodeLevel
from youke.core.actor import Actor
from youke.selection.domain.entries import ensure_entry
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission


@pytest.fixture
def lessons(catalog):  # noqa: F811
    """25 lesson nodes under one unit of the catalog, so R5 stays out of the way."""
    parent = catalog.lesson4.get_parent()
    return [
        add(parent, f"C0102010401{50 + i:02d}", f"练习课{i}", NodeLevel.LESSON) for i in range(25)
    ]


@pytest.fixture
def otol_campaign(province, catalog) -> Campaign:  # noqa: F811
    created = create_campaign_from_template(
        Actor(province.province_admin),
        province.province,
        "one_teacher_one_lesson",
        name="一师一优课测试",
        year=2026,
    )
    now = timezone.now()
    Campaign.objects.filter(pk=created.pk).update(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=300)
    )
    for index, level in enumerate(Level.objects.filter(campaign=created).order_by("order")):
        Level.objects.filter(pk=level.pk).update(
            deadline=now + datetime.timedelta(days=10 + 10 * index)
        )
    # The template's R9 upload windows are dated; they do not matter for selection.
    UploadWindow.objects.filter(campaign=created).delete()
    created.refresh_from_db()
    set_campaign_state(created, "published", actor=Actor(province.province_admin))
    created.refresh_from_db()
    return created


def submitted(camp, teacher, node, title, category=None):
    """A submitted package and its school-level entry (what ``packages.submit`` will do)."""
    sub = Submission.objects.create(
        campaign=camp,
        category=category or camp.categories.order_by("order", "id").first(),
        node=node,
        teacher=teacher,
        unit=teacher.unit,
        title=title,
        state=SubmissionState.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return ensure_entry(sub)


def level(camp, key):
    return Level.objects.get(campaign=camp, key=key)


@pytest.fixture(scope="session")
def filmed(tmp_path_factory):
    """A real (short) 16:9 H.264 mp4 at 720p and 2 Mbit/s, as a teacher films it."""
    from youke.media.processing.samples import make_video

    return make_video(
        tmp_path_factory.mktemp("filming") / "filmed.mp4",
        width=1280,
        height=720,
        seconds=1,
        bitrate=2_000_000,
    )


def film(submission, video, *, deliver=True):
    """The teacher uploads the video(s) asked for after screening and delivers them."""
    from tests.submissions.conftest import stored_upload
    from youke.selection.domain.filming import deliver_video
    from youke.submissions.domain import checks, packages

    for requirement in submission.category.materials.filter(kind="video"):
        for period in range(1, (submission.periods if requirement.per_period else 1) + 1):
            upload = stored_upload(submission.teacher, "filmed.mp4", video)
            material = packages.attach_material(
                Actor(submission.teacher), submission, requirement, period, upload
            )
            checks.run_check(material.pk)
    if deliver:
        return deliver_video(Actor(submission.teacher), submission)
    return None

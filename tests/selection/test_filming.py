"""Design first, filming later (精品课): submission → screening → video requested → uploaded →
delivered → county confirms → city inbox; and every refusal while the entry waits."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.selection.conftest import film, level
from tests.selection.test_pages import inbox
from tests.submissions.conftest import PDF, requirement, stored_upload
from youke.campaigns.models import Campaign
from youke.core.actor import Actor
from youke.media.domain.purposes import UploadRefused
from youke.notifications.models import Notification
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.domain.filming import deliver_video
from youke.selection.domain.screening import record_screening
from youke.selection.enums import EntryState
from youke.selection.models import FilmingRequest, LevelEntry
from youke.submissions.domain import checks, packages, uploads

pytestmark = pytest.mark.django_db

DOCUMENTS = ("teaching_design", "task_sheet", "courseware", "exercises")


def attach(submission, code, filename, content):
    upload = stored_upload(submission.teacher, filename, content)
    material = packages.attach_material(
        Actor(submission.teacher),
        submission,
        requirement(submission.campaign, "subject", code),
        1,
        upload,
    )
    checks.run_check(material.pk)
    return material


@pytest.fixture
def design(province, campaign, catalog):
    """A 精品课 package submitted with its design and materials but no video."""
    teacher = Actor(province.teacher_a)
    draft = packages.start_submission(
        teacher,
        campaign,
        campaign.categories.get(code="subject"),
        catalog.lesson4,
        title="设计先行",
    )
    for code in DOCUMENTS:
        attach(draft, code, f"{code}.pdf", PDF)
    packages.confirm_originality(teacher, draft)
    return packages.submit(teacher, draft)


@pytest.fixture
def at_county(province, campaign, design):
    school = Actor(province.school_a_admin)
    decide(school, LevelEntry.objects.get(submission=design, level__key="school"), "recommended")
    confirm_list(school, campaign, level(campaign, "school"), province.school_a)
    return LevelEntry.objects.get(submission=design, level__key="county")


def passed(actor, entry):
    return record_screening(
        actor,
        entry,
        technical_check="pass",
        trial_date=timezone.localdate(),
        panel="县教研员、骨干教师（含一线教师）",
        trial_result="pass",
    )


def video_metadata(submission):
    video = requirement(submission.campaign, "subject", "micro_video")
    return {
        "purpose": "material",
        "submission": str(submission.pk),
        "requirement": str(video.pk),
        "period": "1",
        "filename": "微课.mp4",
    }


def test_design_first_from_submission_to_the_city_inbox(
    client, province, campaign, design, at_county, filmed
):
    assert design.state == "submitted"  # no video needed to submit
    county = Actor(province.county_a_admin)
    teacher = province.teacher_a

    # Before screening the teacher cannot put a video into the package the school took.
    with pytest.raises(UploadRefused) as refused:
        uploads.authorize(teacher, video_metadata(design), 1000)
    assert refused.value.args[0] == (
        "该作品还没有收到拍摄通知：初选（试讲）通过后才能上传视频，请等待县级通知。"
    )

    # The county screens the design with its panel and trial lecture; the pass asks for video.
    before = timezone.now()
    passed(county, at_county)
    request = FilmingRequest.objects.get(entry=at_county)
    assert request.state == "requested" and request.requested_by == province.county_a_admin
    days = (request.due_at - before).total_seconds() / 86400
    assert 14 <= days < 14.01
    notice = Notification.objects.get(person=teacher, title__contains="请拍摄并提交视频")
    assert notice.title == "《设计先行》初选通过，请拍摄并提交视频"
    assert notice.url == reverse("portal:submission_detail", args=[design.pk])

    # The county inbox says what the entry waits for.
    client.force_login(province.county_a_admin)
    page = inbox(client, campaign, province.county_a).content.decode()
    assert '<span class="badge text-bg-warning" data-filming>待拍摄</span>' in page

    # Recommending is allowed; confirming the list is refused with the reason.
    decide(county, at_county, EntryState.RECOMMENDED)
    due = timezone.localtime(request.due_at).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(ValidationError) as info:
        confirm_list(county, campaign, level(campaign, "county"), province.county_a)
    assert info.value.messages == [
        f"《设计先行》还在等待教师拍摄并提交视频（截止 {due}），不能报送上一级："
        "请等教师提交视频后再确认名单，或取消该推荐。"
    ]

    # The package page shows what is due and by when; delivering without a video is refused.
    client.force_login(teacher)
    page = client.get(reverse("portal:submission_detail", args=[design.pk])).content.decode()
    assert "请拍摄并提交视频" in page and f"在 {due} 前" in page
    assert 'id="deliver-video"' in page and "data-upload-endpoint" in page
    with pytest.raises(ValidationError) as info:
        deliver_video(Actor(teacher), design)
    assert info.value.messages == ["还没有上传微课视频（第 1 课时）。"]

    # The teacher uploads into the same package: still submitted, the inbox says 待提交视频.
    assert uploads.authorize(teacher, video_metadata(design), 1000) == 1024**3
    film(design, filmed, deliver=False)
    design.refresh_from_db()
    assert design.state == "submitted"
    client.force_login(province.county_a_admin)
    page = inbox(client, campaign, province.county_a).content.decode()
    assert "data-filming>待提交视频</span>" in page

    client.force_login(teacher)
    response = client.post(reverse("portal:submission_deliver_video", args=[design.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "delivered" and request.delivered_at is not None
    assert Notification.objects.filter(
        person=province.county_a_admin, title="《设计先行》的视频已提交"
    ).exists()

    # Now the county list goes up and the city inbox receives the entry.
    confirm_list(county, campaign, level(campaign, "county"), province.county_a)
    city_entry = LevelEntry.objects.get(submission=design, level__key="city")
    assert (city_entry.unit, city_entry.state) == (province.city, "pending")
    client.force_login(province.city_admin)
    page = inbox(client, campaign, province.city).content.decode()
    assert "设计先行" in page and "data-filming" not in page


def test_failed_screening_cancels_and_passing_again_asks_again(province, design, at_county):
    county = Actor(province.county_a_admin)
    passed(county, at_county)
    record_screening(county, at_county, trial_result="fail")
    request = FilmingRequest.objects.get(entry=at_county)
    assert request.state == "cancelled"
    with pytest.raises(UploadRefused, match="还没有收到拍摄通知"):
        uploads.authorize(province.teacher_a, video_metadata(design), 1000)
    record_screening(county, at_county, trial_result="pass")
    request.refresh_from_db()
    assert request.state == "requested"
    assert Notification.objects.filter(title__contains="请拍摄并提交视频").count() == 2


def test_video_after_its_deadline_refused(province, at_county, design, filmed):
    passed(Actor(province.county_a_admin), at_county)
    FilmingRequest.objects.filter(entry=at_county).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as info:
        film(design, filmed)
    assert info.value.messages[0].startswith("视频提交已于 ")
    assert info.value.messages[0].endswith("截止。如需延期，请联系东湖区。")


def test_only_the_teacher_delivers(province, at_county, design):
    passed(Actor(province.county_a_admin), at_county)
    from youke.orgs.domain.units import PermissionDenied

    with pytest.raises(PermissionDenied):
        deliver_video(Actor(province.county_a_admin), design)


def test_video_with_the_package_asks_for_nothing_after_screening(province, campaign, at_county):
    Campaign.objects.filter(pk=campaign.pk).update(video_due="at_submission")
    campaign.refresh_from_db()
    at_county = LevelEntry.objects.select_related("level__campaign").get(pk=at_county.pk)
    county = Actor(province.county_a_admin)
    passed(county, at_county)
    assert not FilmingRequest.objects.exists()
    decide(county, at_county, EntryState.RECOMMENDED)
    confirm_list(county, campaign, level(campaign, "county"), province.county_a)
    assert LevelEntry.objects.filter(level__key="city").count() == 1


def test_deliver_over_the_api(client, province, at_county, design, filmed):
    passed(Actor(province.county_a_admin), at_county)
    client.force_login(province.teacher_a)
    url = f"/api/v1/submissions/{design.pk}/deliver-video"
    response = client.post(url)
    assert (response.status_code, response.json()) == (
        422,
        {"detail": {"__all__": ["还没有上传微课视频（第 1 课时）。"]}},
    )
    film(design, filmed, deliver=False)
    response = client.post(url)
    assert response.status_code == 200
    assert response.json()["materials"][0]["state"] in ("passed", "warned")
    assert FilmingRequest.objects.get(entry=at_county).state == "delivered"
    client.force_login(province.teacher_b)
    assert client.post(url).status_code == 404

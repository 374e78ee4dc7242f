import json

import pytest
from django.urls import reverse

from tests.submissions.conftest import PDF, requirement, stored_upload
from youke.core.actor import Actor
from youke.media.domain.purposes import UploadRefused, get_purpose
from youke.submissions.domain import packages

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(province, campaign, catalog):
    return packages.start_submission(
        Actor(province.teacher_a),
        campaign,
        campaign.categories.get(code="subject"),
        catalog.lesson4,
        title="亿以内数的认识",
    )


def test_teacher_starts_a_package_from_the_page(client, province, campaign, catalog):
    client.force_login(province.teacher_a)
    listing = client.get(reverse("portal:my_submissions")).content.decode()
    assert "精品课测试" in listing
    search = client.get(reverse("portal:submission_start", args=[campaign.pk]), {"q": "亿以内"})
    assert [n.name for n, _status, _trail in search.context["nodes"]] == [
        "亿以内数的认识",
        "亿以内数的读法",
    ]
    response = client.post(
        reverse("portal:submission_start", args=[campaign.pk]),
        {
            "category": campaign.categories.get(code="subject").pk,
            "node": catalog.lesson4.pk,
            "title": "亿以内数的认识",
            "description": "",
            "periods": 2,
        },
    )
    submission = province.teacher_a.submissions.get()
    assert response.url == reverse("portal:submission_detail", args=[submission.pk])
    detail = client.get(response.url)
    slots = [(s.requirement.code, s.period) for s, _a, _spec in detail.context["slots"]]
    assert slots[:2] == [("micro_video", 1), ("micro_video", 2)]
    spec = json.loads(detail.context["slots"][0][2])
    assert (spec["extensions"], spec["aspect_ratio"]) == (["mp4"], "16:9")


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("teacher_a", 200),
        ("school_a_admin", 200),
        ("teacher_b", 404),
        ("county_a_admin", 404),
        ("county_b_admin", 404),
    ],
)
def test_package_visibility(client, province, draft, viewer, status):
    client.force_login(getattr(province, viewer))
    url = reverse("portal:submission_detail", args=[draft.pk])
    assert client.get(url).status_code == status


def test_school_admin_reads_but_cannot_edit(client, province, draft):
    client.force_login(province.school_a_admin)
    response = client.get(reverse("portal:submission_detail", args=[draft.pk]))
    assert response.context["can_edit"] is False
    client.post(reverse("portal:submission_detail", args=[draft.pk]), {"title": "改", "periods": 1})
    draft.refresh_from_db()
    assert draft.title == "亿以内数的认识"


def test_download_is_owner_or_viewer_only(client, province, draft):
    upload = stored_upload(province.teacher_a, "设计.pdf", PDF)
    client.force_login(province.teacher_b)
    assert client.get(reverse("portal:upload_download", args=[upload.pk])).status_code == 404
    client.force_login(province.teacher_a)
    response = client.get(reverse("portal:upload_download", args=[upload.pk]))
    assert b"".join(response.streaming_content) == PDF


def test_upload_purpose_refuses_before_any_byte(province, draft):
    purpose = get_purpose("material")
    video = requirement(draft.campaign, "subject", "micro_video")
    meta = {
        "submission": str(draft.pk),
        "requirement": str(video.pk),
        "period": "1",
        "filename": "课.mp4",
    }
    assert purpose.authorize(province.teacher_a, meta, 100) == video.max_bytes
    with pytest.raises(UploadRefused) as too_big:
        purpose.authorize(province.teacher_a, meta, video.max_bytes + 1)
    assert too_big.value.status == 413
    with pytest.raises(UploadRefused) as wrong_type:
        purpose.authorize(province.teacher_a, {**meta, "filename": "课.avi"}, 100)
    assert wrong_type.value.status == 415
    with pytest.raises(UploadRefused) as not_yours:
        purpose.authorize(province.teacher_b, meta, 100)
    assert not_yours.value.status == 404


def test_pdf_previews_inline_only_for_pdfs(client, province, draft):
    pdf = stored_upload(province.teacher_a, "设计.pdf", PDF)
    client.force_login(province.teacher_a)
    url = reverse("portal:upload_download", args=[pdf.pk])
    inline = client.get(url, {"inline": "1"})
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    text = stored_upload(province.teacher_a, "a.pdf", b"plain text pretending")
    forced = client.get(reverse("portal:upload_download", args=[text.pk]), {"inline": "1"})
    assert forced["Content-Disposition"].startswith("attachment")


def test_detail_page_shows_poster_and_probe(client, province, draft, run_on_commit, tmp_path):
    from youke.media.processing.samples import make_video

    video = tmp_path / "v.mp4"
    make_video(video, width=1280, height=720, bitrate=2_000_000, seconds=1)
    upload = stored_upload(province.teacher_a, "v.mp4", video)
    run_on_commit(
        packages.attach_material,
        Actor(province.teacher_a),
        draft,
        requirement(draft.campaign, "subject", "micro_video"),
        1,
        upload,
    )
    client.force_login(province.teacher_a)
    html = client.get(reverse("portal:submission_detail", args=[draft.pk])).content.decode()
    assert "1280×720" in html
    assert 'data-check-state="warned"' in html
    poster = client.get(reverse("portal:asset_poster", args=[upload.pk]))
    assert b"".join(poster.streaming_content)[:2] == b"\xff\xd8"  # JPEG
    client.force_login(province.teacher_b)
    assert client.get(reverse("portal:asset_poster", args=[upload.pk])).status_code == 404

"""Replays: uploaded through the resumable upload, claimed by the session (or demonstration
lesson), processed into a rendition, and played in the shared player by view permission."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.classrooms.conftest import add_period
from tests.media.conftest import TusClient
from youke.classrooms.domain import masters, replays, sessions
from youke.classrooms.enums import LessonKind, LessonMode, ViewPermission
from youke.classrooms.models import ClassSession, Period
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.media.enums import AssetState
from youke.media.models import MediaAsset
from youke.media.processing.samples import make_video
from youke.orgs.enums import TeacherTitle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = tmp_path_factory.mktemp("replay") / "回放.mp4"
    make_video(path, width=320, height=180, seconds=1.0, audio=False)
    return path.read_bytes()


@pytest.fixture
def session(province, setup):
    add_period(province, setup.group)
    sessions.generate_sessions([setup.group], now=timezone.make_aware(dt.datetime(2026, 8, 1)))
    return ClassSession.objects.order_by("starts_at").first()


def _tus(person) -> TusClient:
    client = Client()
    client.force_login(person)
    return TusClient(client)


def _upload(person, data: bytes, capture, **metadata) -> str:
    tus = _tus(person)
    meta = {"purpose": replays.PURPOSE, "filename": "回放.mp4", **metadata}
    url = tus.create_url(len(data), **meta)
    with capture(execute=True):
        response = tus.patch(url, data, 0)
    assert response.status_code == 204, response.content.decode()
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_host_upload_is_claimed_processed_and_audited(
    province, setup, session, video, django_capture_on_commit_callbacks
):
    upload_id = _upload(
        province.teacher_a, video, django_capture_on_commit_callbacks, session=str(session.pk)
    )
    session.refresh_from_db()
    assert str(session.replay_id) == upload_id
    asset = MediaAsset.objects.get(upload_id=upload_id)
    assert asset.state == AssetState.PASSED
    assert (asset.width, asset.height) == (320, 180)
    assert asset.rendition and asset.poster
    assert asset.hls_master  # the media app's ladder job ran after commit
    log = AuditEvent.objects.filter(object_id=str(session.pk), after__replay=upload_id)
    assert log.count() == 1


def test_only_who_runs_the_session_may_upload_and_only_video(province, setup, session, video):
    """The receiving school's assistant may watch but not upload; a PDF is refused at once."""
    tus = _tus(setup.assistant)
    response = tus.create(len(video), purpose=replays.PURPOSE, session=str(session.pk))
    assert response.status_code == 404
    assert "不能为它上传回放" in response.content.decode()
    host = _tus(province.teacher_a)
    response = host.create(
        10, purpose=replays.PURPOSE, session=str(session.pk), filename="教案.pdf"
    )
    assert response.status_code == 415
    assert "回放须是视频文件" in response.content.decode()


def test_a_non_video_with_a_video_name_is_not_claimed(
    province, setup, session, django_capture_on_commit_callbacks
):
    _upload(
        province.teacher_a,
        b"not a video at all" * 10,
        django_capture_on_commit_callbacks,
        session=str(session.pk),
    )
    session.refresh_from_db()
    assert session.replay_id is None


def _set_permission(session, permission, password=""):
    Period.objects.filter(pk=session.period_id).update(
        view_permission=permission, view_password=make_password(password) if password else ""
    )


@pytest.fixture
def replayed(province, setup, session, video, django_capture_on_commit_callbacks):
    _upload(province.teacher_a, video, django_capture_on_commit_callbacks, session=str(session.pk))
    session.refresh_from_db()
    return session


def _client(person=None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.parametrize(
    ("permission", "who", "page", "play"),
    [
        (ViewPermission.PUBLIC, "anonymous", 200, 200),
        (ViewPermission.LOGIN, "anonymous", 200, 404),
        (ViewPermission.LOGIN, "outsider", 200, 200),
        (ViewPermission.PASSWORD, "anonymous", 200, 404),
        (ViewPermission.PASSWORD, "outsider", 200, 404),
        (ViewPermission.PASSWORD, "assistant", 200, 200),
        (ViewPermission.PRIVATE, "anonymous", 404, 404),
        (ViewPermission.PRIVATE, "outsider", 404, 404),
        (ViewPermission.PRIVATE, "assistant", 200, 200),
    ],
)
def test_replay_follows_the_view_permission(province, setup, replayed, permission, who, page, play):
    _set_permission(replayed, permission, "bj2026" if permission == "password" else "")
    person = {"anonymous": None, "outsider": province.teacher_b, "assistant": setup.assistant}[who]
    client = _client(person)
    response = client.get(reverse("public_classrooms:live", args=[replayed.pk]))
    assert response.status_code == page
    if page == 200:
        has_player = "data-player-video" in response.content.decode()
        assert has_player is (play == 200)
    played = client.get(reverse("public_classrooms:replay_play", args=[replayed.pk]))
    assert played.status_code == play
    if play == 200:
        assert played["Content-Type"] == "video/mp4"
        hls = client.get(reverse("public_classrooms:replay_hls", args=[replayed.pk, "master.m3u8"]))
        assert hls.status_code == 200


def test_the_password_unlocks_the_replay_for_this_browser(province, replayed):
    _set_permission(replayed, ViewPermission.PASSWORD, "bj2026")
    client = _client()
    live = reverse("public_classrooms:live", args=[replayed.pk])
    wrong = client.post(live, {"password": "nope"})
    assert "密码不对" in wrong.content.decode()
    play = reverse("public_classrooms:replay_play", args=[replayed.pk])
    assert client.get(play).status_code == 404
    right = client.post(live, {"password": "bj2026"})
    body = right.content.decode()
    assert "data-player-video" in body and play in body
    assert client.get(play).status_code == 200
    # Another browser without the password still gets nothing.
    assert _client().get(play).status_code == 404


def test_session_page_shows_player_to_participants_and_upload_to_the_host(
    province, setup, replayed
):
    url = reverse("portal_classrooms:session", args=[replayed.pk])
    host = _client(province.teacher_a).get(url).content.decode()
    assert 'id="player-chapters"' in host and 'id="replay-upload"' in host
    assert f'"purpose": "classroom_replay", "session": "{replayed.pk}"' in html.unescape(host)
    assistant = _client(setup.assistant).get(url).content.decode()
    assert 'id="player-chapters"' in assistant and 'id="replay-upload"' not in assistant
    assert _client(province.teacher_b).get(url).status_code == 404


def test_host_removes_the_replay(province, setup, replayed):
    url = reverse("portal_classrooms:session_replay_remove", args=[replayed.pk])
    assert _client(setup.assistant).post(url).status_code == 404
    replayed.refresh_from_db()
    assert replayed.replay_id is not None  # refused: the assistant does not run the session
    _client(province.teacher_a).post(url)
    replayed.refresh_from_db()
    assert replayed.replay_id is None


def test_demonstration_lesson_replay(province, setup, video, django_capture_on_commit_callbacks):
    master = masters.register_master(
        Actor(province.research),
        province.county_a,
        province.teacher_a,
        title=TeacherTitle.CITY_LEADER,
        subject="英语",
    )
    start = timezone.now() - dt.timedelta(days=1)
    lesson = masters.schedule_lesson(
        Actor(province.teacher_a),
        master,
        title="阅读示范课",
        kind=LessonKind.DEMONSTRATION,
        mode=LessonMode.RECORDED,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    # a teacher in scope may not upload the master's replay
    refused = _tus(setup.assistant).create(
        len(video), purpose=replays.PURPOSE, lesson=str(lesson.pk)
    )
    assert refused.status_code == 404
    _upload(province.teacher_a, video, django_capture_on_commit_callbacks, lesson=str(lesson.pk))
    lesson.refresh_from_db()
    assert lesson.replay_id is not None
    page = _client(setup.assistant).get(reverse("portal_classrooms:lesson", args=[lesson.pk]))
    assert 'id="player-chapters"' in page.content.decode()
    play = reverse("portal_classrooms:lesson_replay_play", args=[lesson.pk])
    assert _client(setup.assistant).get(play).status_code == 200
    assert _client(province.teacher_b).get(play).status_code == 404  # other county
    assert _client().get(play).status_code == 302  # login first


def test_replay_through_the_api(api_as, province, setup, replayed):
    url = f"/classrooms/sessions/{replayed.pk}/replay"
    got = api_as(setup.assistant).get(url)
    assert got.status_code == 200
    body = got.json()
    assert body["state"] == "ready"
    assert body["filename"] == "回放.mp4"
    assert body["play_url"] == reverse("public_classrooms:replay_play", args=[replayed.pk])
    assert body["hls_url"].endswith("/replay/hls/master.m3u8")
    assert api_as(province.teacher_b).get(url).status_code == 404  # another county
    assert api_as(setup.assistant).delete(url).status_code == 404  # not the host
    removed = api_as(province.teacher_a).delete(url)
    assert removed.status_code == 200 and removed.json()["state"] == ""
    assert api_as(province.teacher_a).get(url).json()["state"] == ""


def test_an_interrupted_job_ends_failed_with_the_fix(province, setup, session, video):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from youke.media.models import Upload

    name = default_storage.save("uploads/test/r.mp4", ContentFile(video))
    upload = Upload.objects.create(
        owner=province.teacher_a,
        purpose=replays.PURPOSE,
        filename="r.mp4",
        length=len(video),
        offset=len(video),
        content_type="video/mp4",
        storage_name=name,
        state="complete",
    )
    MediaAsset.objects.create(upload=upload, state=AssetState.PROCESSING, attempts=3)
    replays.process_replay(str(upload.pk))
    asset = MediaAsset.objects.get(upload=upload)
    assert asset.state == AssetState.FAILED and "重新上传" in asset.error

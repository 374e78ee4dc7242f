"""名校网络课堂 → library: a network course enters the library as a course of ordered lessons
only when both departments have passed it (R17); withdrawing or taking it down takes its
lessons with it; recordings come through the replay upload."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import NOT_FOUND, api_as  # noqa: F401  (fixture)
from tests.factories import make_person
from youke.classrooms.domain import network, replays
from youke.classrooms.enums import CourseState, PilotKind, Verdict
from youke.core.actor import Actor
from youke.library.domain import courses, publishing, search
from youke.library.domain.queries import Filters
from youke.library.enums import FileKind, LessonState
from youke.library.models import LibraryCourse
from youke.media.enums import AssetState, UploadState
from youke.media.models import MediaAsset, Upload
from youke.orgs.enums import Role

pytestmark = pytest.mark.django_db

TITLES = ("水的三态变化", "溶解与过滤", "物质的变化")


def processed_upload(owner, name: str) -> Upload:
    """A finished video upload whose processing passed (no bytes needed to list it)."""
    upload = Upload.objects.create(
        owner=owner,
        purpose=replays.PURPOSE,
        filename=name,
        length=10,
        offset=10,
        content_type="video/mp4",
        storage_name=f"test/{uuid.uuid4()}.mp4",
        state=UploadState.COMPLETE,
        metadata={"purpose": replays.PURPOSE},
        completed_at=timezone.now(),
    )
    MediaAsset.objects.create(upload=upload, state=AssetState.PASSED, duration_seconds=2)
    return upload


@pytest.fixture
def elearning(province):
    return make_person(province.county_a, Role.ELEARNING, username="dianjiao", full_name="冯电教")


@pytest.fixture
def course(province):
    admin = Actor(province.school_a_admin)
    pilot = network.register_pilot(
        Actor(province.county_a_admin), province.county_a, province.school_a, kind=PilotKind.PILOT
    )
    course = network.create_course(
        admin, pilot, title="小学科学：身边的物质", subject="科学", grade="五年级"
    )
    for order, title in enumerate(TITLES, start=1):
        network.add_planned_lesson(
            admin,
            course,
            title=title,
            teacher=province.teacher_a,
            planned_on=dt.date(2026, 10, order),
            # The last lesson was recorded elsewhere: listed, with its address, no player.
            recording_url="https://video.example.cn/3.mp4" if order == 3 else "",
        )
    for lesson in course.lessons.all()[:2]:
        replays.attach_replay(
            Actor(province.teacher_a),
            lesson,
            processed_upload(province.teacher_a, "课.mp4"),
            queue=False,
        )
    return course


def share(province, course, elearning, run_on_commit):
    network.submit_course(Actor(province.school_a_admin), course)
    run_on_commit(network.review_course, Actor(province.research), course, verdict=Verdict.PASS)
    assert not LibraryCourse.objects.exists()  # one pass is not enough (R17)
    run_on_commit(network.review_course, Actor(elearning), course, verdict=Verdict.PASS)
    return LibraryCourse.objects.get(network_course=course)


def test_the_teacher_uploads_a_recording_and_the_plan_needs_one_per_lesson(province):
    admin = Actor(province.school_a_admin)
    pilot = network.register_pilot(
        Actor(province.county_a_admin), province.county_a, province.school_a, kind=PilotKind.PILOT
    )
    course = network.create_course(admin, pilot, title="课程", subject="数学", grade="四年级")
    lesson = network.add_planned_lesson(
        admin, course, title="平行与垂直", teacher=province.teacher_a, planned_on=dt.date.today()
    )
    # The upload is authorised for the lesson's teacher and the school's admin only.
    meta = {"purpose": replays.PURPOSE, "filename": "a.mp4", "planned_lesson": str(lesson.pk)}
    assert replays.authorize(province.teacher_a, meta, 10) > 0
    assert replays.authorize(province.school_a_admin, meta, 10) > 0
    with pytest.raises(replays.UploadRefused) as refused:
        replays.authorize(province.teacher_b, meta, 10)
    assert refused.value.status == 404
    with pytest.raises(ValidationError):  # no recording yet
        network.submit_course(admin, course)
    upload = processed_upload(province.teacher_a, "平行与垂直.mp4")
    default_storage.save(upload.storage_name, ContentFile(b"\0" * 10))
    upload.metadata = meta
    upload.save(update_fields=["metadata"])
    replays.claim(upload)  # what the finished resumable upload does
    lesson.refresh_from_db()
    assert lesson.recording_id == upload.pk
    teacher = Client()
    teacher.force_login(province.teacher_a)
    page = teacher.get(reverse("portal_classrooms:recordings")).content.decode()
    assert "平行与垂直" in page and "已上传，可在下方播放" in page and "data-upload" in page
    # The teacher watches their own recording here; another teacher gets 404 for its files.
    assert "recordings-player" in page
    play = reverse("portal_classrooms:recording_play", args=[lesson.pk])
    assert play in page
    assert teacher.get(play).status_code == 200
    other = Client()
    other.force_login(province.teacher_b)
    assert other.get(play).status_code == 404
    assert (
        "recordings-player"
        not in other.get(reverse("portal_classrooms:recordings")).content.decode()
    )
    network.submit_course(admin, course)
    page = teacher.get(reverse("portal_classrooms:recordings")).content.decode()
    assert "data-upload-input" not in page  # under review: no upload
    # Under review the recording is locked.
    with pytest.raises(replays.UploadRefused):
        replays.authorize(province.teacher_a, meta, 10)


def test_shared_course_enters_the_library_in_order_and_searchable(
    province, course, elearning, run_on_commit
):
    library_course = share(province, course, elearning, run_on_commit)
    lessons = list(library_course.lessons.order_by("course_order"))
    assert [(lesson.course_order, lesson.title) for lesson in lessons] == list(
        enumerate(TITLES, start=1)
    )
    assert all(lesson.state == LessonState.PUBLISHED for lesson in lessons)
    assert [lesson.files.filter(kind=FileKind.VIDEO).count() for lesson in lessons] == [1, 1, 0]
    assert lessons[2].external_url == "https://video.example.cn/3.mp4"
    found = search.search("溶解", Filters(), sort="relevance", offset=0, limit=10)
    assert lessons[1].pk in found.ids
    found = search.search("身边的物质", Filters(), sort="relevance", offset=0, limit=10)
    assert set(found.ids) == {lesson.pk for lesson in lessons}


def test_anonymous_visitor_sees_the_course_and_the_lesson_links_to_it(
    province, course, elearning, run_on_commit
):
    library_course = share(province, course, elearning, run_on_commit)
    first, second, third = library_course.lessons.order_by("course_order")
    client = Client()
    page = client.get(reverse("library:course_detail", args=[library_course.pk])).content.decode()
    assert page.index("水的三态变化") < page.index("溶解与过滤") < page.index("物质的变化")
    assert "player-chapters" in page  # the first lesson plays
    assert f"?lesson={second.pk}" in page  # next lesson
    page = client.get(
        reverse("library:course_detail", args=[library_course.pk]), {"lesson": third.pk}
    ).content.decode()
    assert "https://video.example.cn/3.mp4" in page and "player-chapters" not in page
    page = client.get(reverse("library:lesson_detail", args=[second.pk])).content.decode()
    assert "本课属于课程" in page and "小学科学：身边的物质" in page
    assert reverse("library:lesson_detail", args=[first.pk]) in page  # previous lesson
    listing = client.get(reverse("library:course_list")).content.decode()
    assert "小学科学：身边的物质" in listing
    api = client.get("/api/v1/library/courses").json()
    assert [item["title"] for item in api["items"]] == ["小学科学：身边的物质"]
    sitemap = client.get(reverse("library:sitemap")).content.decode()
    assert reverse("library:course_detail", args=[library_course.pk]) in sitemap
    assert reverse("library:lesson_detail", args=[third.pk]) in sitemap
    detail = client.get(f"/api/v1/library/courses/{library_course.pk}").json()
    assert [(x["course_order"], x["playable"]) for x in detail["lessons"]] == [
        (1, True),
        (2, True),
        (3, False),
    ]


def test_withdrawing_unpublishes_and_sharing_again_republishes(
    province, course, elearning, run_on_commit
):
    library_course = share(province, course, elearning, run_on_commit)
    with pytest.raises(ValidationError):  # a reason is required
        network.withdraw_course(Actor(province.school_a_admin), course, reason=" ")
    run_on_commit(
        network.withdraw_course, Actor(province.school_a_admin), course, reason="第二课需重录"
    )
    library_course.refresh_from_db()
    assert library_course.state == LessonState.UNPUBLISHED
    assert not library_course.lessons.filter(state=LessonState.PUBLISHED).exists()
    # The course's teachers hear why; the admin who withdrew it is not told of their own act.
    teachers = {lesson.teacher for lesson in course.lessons.all()}
    for teacher in teachers - {province.school_a_admin}:
        notice = teacher.notifications.get(title__startswith="网络课程已撤回共享")
        assert "第二课需重录" in notice.body
    assert not province.school_a_admin.notifications.filter(
        title__startswith="网络课程已撤回共享"
    ).exists()
    client = Client()
    assert client.get(reverse("library:course_detail", args=[library_course.pk])).status_code == 404
    lesson_id = library_course.lessons.first().pk
    assert client.get(reverse("library:lesson_detail", args=[lesson_id])).status_code == 404
    # Edited and shared again: the same records come back, in order.
    course.refresh_from_db()
    assert course.state == CourseState.WITHDRAWN
    network.submit_course(Actor(province.school_a_admin), course)
    run_on_commit(network.review_course, Actor(province.research), course, verdict=Verdict.PASS)
    run_on_commit(network.review_course, Actor(elearning), course, verdict=Verdict.PASS)
    library_course.refresh_from_db()
    assert library_course.state == LessonState.PUBLISHED
    assert LibraryCourse.objects.count() == 1
    assert library_course.lessons.filter(state=LessonState.PUBLISHED).count() == 3


def test_admin_takes_the_course_down_and_other_counties_get_404(
    province, course, elearning, run_on_commit
):
    library_course = share(province, course, elearning, run_on_commit)
    school = Client()
    school.force_login(province.school_a_admin)
    page = school.get(reverse("manage_classrooms:course", args=[course.pk])).content.decode()
    assert "player-chapters" in page and "第1课 水的三态变化" in page  # recordings play
    assert reverse("library:course_detail", args=[library_course.pk]) in page
    outsider = Client()
    outsider.force_login(province.county_b_admin)
    first = course.lessons.get(order=1)
    poster = reverse("manage_classrooms:recording_poster", args=[first.pk])
    assert outsider.get(poster).status_code == 404
    for name in ("course_unpublish", "course_republish"):
        url = reverse(f"manage_library:{name}", args=[library_course.pk])
        assert outsider.post(url, {"reason": "x"}).status_code == 404
    assert "小学科学" not in outsider.get(reverse("manage_library:course_list")).content.decode()
    with pytest.raises(ValidationError):  # no reason
        courses.unpublish_course(Actor(province.county_a_admin), library_course, "")
    admin = Client()
    admin.force_login(province.county_a_admin)
    response = admin.post(
        reverse("manage_library:course_unpublish", args=[library_course.pk]),
        {"reason": "版权待确认"},
    )
    assert response.status_code == 302
    library_course.refresh_from_db()
    assert (library_course.state, library_course.unpublish_reason) == (
        LessonState.UNPUBLISHED,
        "版权待确认",
    )
    assert set(library_course.lessons.values_list("state", flat=True)) == {LessonState.UNPUBLISHED}
    admin.post(reverse("manage_library:course_republish", args=[library_course.pk]))
    assert set(library_course.lessons.values_list("state", flat=True)) == {LessonState.PUBLISHED}
    # One lesson taken down alone comes back alone (it has no award to publish again).
    lesson = library_course.lessons.get(course_order=2)
    publishing.unpublish(Actor(province.county_a_admin), lesson, "画面需裁剪")
    admin.post(reverse("manage_library:lesson_republish", args=[lesson.pk]))
    lesson.refresh_from_db()
    assert lesson.state == LessonState.PUBLISHED


def test_recording_attach_and_withdraw_through_the_api(
    api_as,  # noqa: F811
    province,
    course,
    elearning,
    run_on_commit,
    django_capture_on_commit_callbacks,
):
    lesson = course.lessons.get(order=3)
    upload = processed_upload(province.teacher_b, "别人的.mp4")
    admin = api_as(province.school_a_admin)
    path = f"/classrooms/courses/{course.pk}/lessons/{lesson.pk}/recording-upload"
    refused = admin.post(path, {"upload_id": str(upload.pk)})  # not the admin's upload
    assert refused.status_code == 422
    own = processed_upload(province.school_a_admin, "第三课.mp4")
    assert admin.post(path, {"upload_id": str(own.pk)}).status_code == 200
    lesson.refresh_from_db()
    assert lesson.recording_id == own.pk
    outsider = api_as(province.county_b_admin)
    assert outsider.post(path, {"upload_id": str(own.pk)}).json() == NOT_FOUND
    library_course = share(province, course, elearning, run_on_commit)
    assert library_course.lessons.get(course_order=3).files.count() == 1
    assert (
        outsider.post(f"/classrooms/courses/{course.pk}/withdraw", {"reason": "x"}).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/classrooms/courses/{course.pk}/withdraw", {"reason": "重录"})
    assert response.status_code == 200 and response.json()["state"] == CourseState.WITHDRAWN
    library_course.refresh_from_db()
    assert library_course.state == LessonState.UNPUBLISHED


def test_taking_courses_and_lessons_down_through_the_api(
    api_as,  # noqa: F811
    province,
    course,
    elearning,
    run_on_commit,
):
    library_course = share(province, course, elearning, run_on_commit)
    admin = api_as(province.county_a_admin)
    outsider = api_as(province.county_b_admin)
    path = f"/library/courses/{library_course.pk}"
    assert outsider.post(f"{path}/unpublish", {"reason": "x"}).json() == NOT_FOUND
    assert admin.post(f"{path}/unpublish", {"reason": ""}).status_code == 422
    done = admin.post(f"{path}/unpublish", {"reason": "版权待确认"}).json()
    assert done == {"id": library_course.pk, "state": LessonState.UNPUBLISHED}
    assert admin.post(f"{path}/republish").json()["state"] == LessonState.PUBLISHED
    lesson = library_course.lessons.get(course_order=2)
    lesson_path = f"/library/lessons/{lesson.pk}"
    assert outsider.post(f"{lesson_path}/republish").json() == NOT_FOUND
    taken = admin.post(f"{lesson_path}/unpublish", {"reason": "画面需裁剪"}).json()
    assert taken["state"] == LessonState.UNPUBLISHED
    assert admin.post(f"{lesson_path}/republish").json()["state"] == LessonState.PUBLISHED

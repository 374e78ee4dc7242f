"""Submissions over the API: visibility, exact payloads, the whole tus flow, refusals, counts."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import API, NOT_FOUND, ids
from tests.factories import make_unit
from tests.media.conftest import TusClient, upload_id
from tests.submissions import conftest as package_fixtures
from tests.submissions.conftest import PDF, requirement, stored_upload
from youke.campaigns.domain.nodes import close_node
from youke.campaigns.models import Level
from youke.core.actor import Actor
from youke.media.models import MediaAsset, Upload
from youke.media.processing.samples import make_video
from youke.orgs.enums import UnitKind
from youke.submissions.domain import packages
from youke.submissions.models import Submission

pytestmark = pytest.mark.django_db

# Fixtures shared with tests/submissions and tests/campaigns.
campaign = package_fixtures.campaign
catalog = package_fixtures.catalog

DOCUMENTS = ("teaching_design", "task_sheet", "courseware", "exercises")
CHECK_KEYS = ("rule", "label", "severity", "outcome", "actual", "expected", "message", "fix")


def iso(moment: datetime.datetime) -> str:
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.astimezone(datetime.UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def put(client, path: str, body: dict):
    return client.client.put(API + path, body, content_type="application/json")


def start(person, campaign, node, title="亿以内数的认识", category="subject", **fields):
    return packages.start_submission(
        Actor(person), campaign, campaign.categories.get(code=category), node, title=title, **fields
    )


@pytest.fixture
def both(province, campaign, catalog):
    """Teacher A's package (school A) and teacher B's (school B, county B)."""
    return {
        "a": start(province.teacher_a, campaign, catalog.lesson4),
        "b": start(province.teacher_b, campaign, catalog.lesson4b, title="亿以内数的读法"),
    }


@pytest.fixture
def video(tmp_path):
    path = tmp_path / "微课.mp4"
    make_video(path, width=1280, height=720, bitrate=2_000_000, seconds=1)
    return path


# --- visibility ------------------------------------------------------------------------------

VISIBLE = {
    "teacher_a": {"a"},
    "teacher_b": {"b"},
    "school_a_admin": {"a"},  # the whole school, read-only
    "county_a_admin": set(),  # higher levels: counts only
    "county_b_admin": set(),
    "city_admin": set(),
    "expert": set(),
    "platform_admin": {"a", "b"},
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_who_sees_which_submission(province, both, api_as, who):
    client = api_as(getattr(province, who))
    names = {s.pk: key for key, s in both.items()}
    assert {names[i] for i in ids(client.get("/submissions"))} == VISIBLE[who]
    for key, submission in both.items():
        response = client.get(f"/submissions/{submission.pk}")
        if key in VISIBLE[who]:
            assert (response.status_code, response.json()["id"]) == (200, submission.pk)
        else:
            assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_coauthors_see_the_package_but_cannot_edit(province, both, api_as):
    a = both["a"]
    author = api_as(province.teacher_a)
    saved = put(author, f"/submissions/{a.pk}/coauthors", {"mobiles": [province.teacher_b.mobile]})
    assert saved.status_code == 200
    masked = province.teacher_b.mobile[:3] + "****" + province.teacher_b.mobile[-4:]
    assert saved.json()["coauthors"] == [
        {
            "id": province.teacher_b.pk,
            "full_name": "李老师",
            "mobile": masked,
            "unit": {"id": province.school_b.pk, "name": "西岭县第一中学", "code": "9901020001"},
        }
    ]
    coauthor = api_as(province.teacher_b)
    assert sorted(ids(coauthor.get("/submissions"))) == sorted([a.pk, both["b"].pk])
    listed = {i["id"]: i["can_edit"] for i in coauthor.get("/submissions").json()["items"]}
    assert listed == {a.pk: False, both["b"].pk: True}
    refused = coauthor.patch(f"/submissions/{a.pk}", {"title": "改个标题"})
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)


def test_list_filters(province, campaign, catalog, both, api_as, run_on_commit):
    a = both["a"]
    upload = stored_upload(province.teacher_a, "设计.pdf", PDF)
    design = requirement(campaign, "subject", "teaching_design")
    run_on_commit(packages.attach_material, Actor(province.teacher_a), a, design, 1, upload)
    experiment = start(province.teacher_a, campaign, catalog.lesson1, "数一数", "experiment")
    client = api_as(province.teacher_a)
    subject_id = campaign.categories.get(code="subject").pk
    assert ids(client.get("/submissions", category=subject_id)) == [a.pk]
    assert ids(client.get("/submissions", check_state="passed")) == [a.pk]
    assert ids(client.get("/submissions", state="submitted")) == []
    assert sorted(ids(client.get("/submissions", campaign=campaign.pk))) == sorted(
        [a.pk, experiment.pk]
    )
    assert ids(client.get("/submissions", campaign=campaign.pk + 100)) == []
    bad = client.get("/submissions", check_state="ok")
    assert bad.status_code == 422
    assert list(bad.json()["detail"]) == ["check_state"]


# --- exact payloads --------------------------------------------------------------------------


def test_draft_detail_payload(province, campaign, catalog, both, api_as):
    a = Submission.objects.get(pk=both["a"].pk)
    body = api_as(province.teacher_a).get(f"/submissions/{a.pk}").json()
    materials = body.pop("materials")
    events = body.pop("events")
    category = campaign.categories.get(code="subject")
    deadline = Level.objects.get(campaign=campaign, key="school").deadline
    assert body == {
        "id": a.pk,
        "title": "亿以内数的认识",
        "description": "",
        "campaign": {"id": campaign.pk, "name": "精品课测试", "year": 2026},
        "category": {"id": category.pk, "code": "subject", "name": "学科课程"},
        "node": {
            "id": catalog.lesson4.pk,
            "code": "C010201040101",
            "name": "亿以内数的认识",
            "level": "lesson",
            "ancestors": [
                {"id": n.pk, "code": n.code, "name": n.name, "level": n.level}
                for n in catalog.lesson4.get_ancestors()
            ],
        },
        "teacher": {"id": province.teacher_a.pk, "full_name": "王老师"},
        "unit": {"id": province.school_a.pk, "name": "东湖区实验小学", "code": "9901010001"},
        "periods": 1,
        "state": "draft",
        "state_label": "草稿",
        "originality_confirmed_at": None,
        "submitted_at": None,
        "school_acted_at": None,
        "created_at": iso(a.created_at),
        "updated_at": iso(a.updated_at),
        "can_edit": True,
        "deadline": iso(deadline),
        "coauthors": [],
        "citations": [],
    }
    assert [n["name"] for n in body["node"]["ancestors"]] == [
        "小学",
        "数学",
        "人教版",
        "四年级上册",
        "第一单元 大数的认识",
    ]
    assert [
        (e["from_state"], e["to_state"], e["to_label"], e["actor"]["full_name"]) for e in events
    ] == [("", "draft", "草稿", "王老师")]
    video = requirement(campaign, "subject", "micro_video")
    assert materials[0] == {
        "requirement": {
            "id": video.pk,
            "code": "micro_video",
            "name": "微课视频",
            "kind": "video",
            "required": True,
            "required_from_level": "",
            "per_period": True,
            "accepts_link": False,
        },
        "period": 1,
        "state": "missing",
        "state_label": "未上传",
        "blocks_submission": False,  # design first: the video is filmed after screening
        "due_after_screening": True,
        "upload": None,
        "media": None,
        "links": [],
    }
    assert [(m["requirement"]["code"], m["period"], m["state"]) for m in materials] == [
        ("micro_video", 1, "missing"),
        *((code, 1, "missing") for code in DOCUMENTS),
    ]


def test_material_slot_shows_probe_values_and_checks(
    province,
    campaign,
    both,
    api_as,
    run_on_commit,
    video,
):
    a = both["a"]
    upload = stored_upload(province.teacher_a, "微课.mp4", video)
    slot = requirement(campaign, "subject", "micro_video")
    run_on_commit(packages.attach_material, Actor(province.teacher_a), a, slot, 1, upload)
    asset = MediaAsset.objects.get(upload=upload)
    materials = api_as(province.teacher_a).get(f"/submissions/{a.pk}").json()["materials"]
    media = materials[0].pop("media")
    checks = media.pop("checks")
    assert materials[0] == {
        "requirement": {
            "id": slot.pk,
            "code": "micro_video",
            "name": "微课视频",
            "kind": "video",
            "required": True,
            "required_from_level": "",
            "per_period": True,
            "accepts_link": False,
        },
        "period": 1,
        "state": "warned",
        "state_label": "有警告",
        "blocks_submission": False,
        "due_after_screening": True,
        "upload": {
            "id": str(upload.pk),
            "filename": "微课.mp4",
            "size": video.stat().st_size,
            "sha256": hashlib.sha256(video.read_bytes()).hexdigest(),
            "content_type": "video/mp4",
            "download_url": f"/my/uploads/{upload.pk}/download/",
        },
        "links": [],
    }
    assert media == {
        "state": "warned",
        "state_label": "有警告",
        "container": asset.container,
        "video_codec": "h264",
        "audio_codec": "aac",
        "width": 1280,
        "height": 720,
        "aspect_ratio": "16:9",
        "video_bitrate": asset.video_bitrate,
        "audio_bitrate": asset.audio_bitrate,
        "frame_rate": 25.0,
        "duration_seconds": float(asset.duration_seconds),
        "has_audio": True,
        "error": "",
    }
    assert "mp4" in asset.container
    assert 0.9 <= media["duration_seconds"] <= 1.2
    assert asset.video_bitrate > 0 and asset.audio_bitrate > 0
    assert checks == [{key: c[key] for key in CHECK_KEYS} for c in asset.checks]
    outcomes = {c["rule"]: c["outcome"] for c in checks}
    assert (outcomes["container"], outcomes["aspect_ratio"], outcomes["exact_width"]) == (
        "pass",
        "pass",
        "warn",
    )
    width = next(c for c in checks if c["rule"] == "exact_width")
    assert "1920" in width["message"]


def test_a_failed_document_shows_why(province, campaign, both, api_as, run_on_commit):
    a = both["a"]
    fake = stored_upload(province.teacher_a, "任务单.pdf", b"just text, not a pdf")
    client = api_as(province.teacher_a)
    response = run_on_commit(
        client.post,
        f"/submissions/{a.pk}/materials",
        {
            "requirement_id": requirement(campaign, "subject", "task_sheet").pk,
            "upload_id": str(fake.pk),
        },
    )
    assert response.status_code == 200
    slot = api_as(province.teacher_a).get(f"/submissions/{a.pk}").json()["materials"][2]
    assert (slot["requirement"]["code"], slot["state"], slot["blocks_submission"]) == (
        "task_sheet",
        "failed",
        True,
    )
    assert slot["media"]["state"] == "failed"
    assert "与扩展名 .pdf 不符" in slot["media"]["error"]
    assert slot["media"]["checks"] == []


# --- the whole flow --------------------------------------------------------------------------


def test_whole_flow_over_the_api(province, campaign, catalog, api_as, run_on_commit, video):
    client = api_as(province.teacher_a)
    subject = campaign.categories.get(code="subject")
    created = client.post(
        "/submissions",
        {
            "campaign_id": campaign.pk,
            "category_id": subject.pk,
            "node_id": catalog.lesson4.pk,
            "title": " 亿以内数的认识 ",
            "description": "大数的读写",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    sid = body["id"]
    assert (body["title"], body["state"], body["periods"]) == ("亿以内数的认识", "draft", 1)

    # The video goes up over tus in two pieces; completing it attaches it to its slot.
    data = video.read_bytes()
    slot = requirement(campaign, "subject", "micro_video")
    tus = TusClient(client.client)
    url = tus.create_url(
        len(data),
        purpose="material",
        filename="微课.mp4",
        filetype="video/mp4",
        submission=str(sid),
        requirement=str(slot.pk),
        period="1",
    )
    half = len(data) // 2
    first = tus.patch(url, data[:half], 0)
    assert (first.status_code, first["Upload-Offset"]) == (204, str(half))
    assert tus.head(url)["Upload-Offset"] == str(half)
    last = run_on_commit(tus.patch, url, data[half:], half)
    assert (last.status_code, last["Upload-Offset"]) == (204, str(len(data)))
    upload = Upload.objects.get(pk=upload_id(url))
    assert (upload.state, upload.sha256) == ("complete", hashlib.sha256(data).hexdigest())

    detail = client.get(f"/submissions/{sid}").json()
    video_slot = detail["materials"][0]
    assert (video_slot["state"], video_slot["upload"]["id"]) == ("warned", str(upload.pk))
    assert (video_slot["media"]["width"], video_slot["media"]["height"]) == (1280, 720)

    # Documents uploaded earlier are attached by id.
    for code in DOCUMENTS:
        done = stored_upload(province.teacher_a, f"{code}.pdf", PDF)
        response = run_on_commit(
            client.post,
            f"/submissions/{sid}/materials",
            {
                "requirement_id": requirement(campaign, "subject", code).pk,
                "upload_id": str(done.pk),
            },
        )
        assert response.status_code == 200, response.json()
    states = [m["state"] for m in client.get(f"/submissions/{sid}").json()["materials"]]
    assert states == ["warned", "passed", "passed", "passed", "passed"]

    unconfirmed = client.post(f"/submissions/{sid}/submit")
    assert (unconfirmed.status_code, unconfirmed.json()) == (
        422,
        {"detail": {"__all__": ["请先阅读并确认原创声明。"]}},
    )
    cited = put(
        client,
        f"/submissions/{sid}/citations",
        {"citations": [{"source": "人教版教师用书", "author": "人民教育出版社"}]},
    )
    assert [(c["source"], c["author"], c["note"]) for c in cited.json()["citations"]] == [
        ("人教版教师用书", "人民教育出版社", "")
    ]
    confirmed = client.post(f"/submissions/{sid}/originality")
    assert confirmed.json()["originality_confirmed_at"] is not None

    submitted = client.post(f"/submissions/{sid}/submit")
    assert submitted.status_code == 200, submitted.json()
    assert (submitted.json()["state"], submitted.json()["state_label"]) == ("submitted", "已提交")
    assert submitted.json()["submitted_at"] is not None

    no_reason = client.post(f"/submissions/{sid}/withdraw", {"reason": " "})
    assert no_reason.json() == {"detail": {"reason": ["请填写撤回原因。"]}}
    withdrawn = client.post(f"/submissions/{sid}/withdraw", {"reason": "换一节课"})
    assert withdrawn.json()["state"] == "withdrawn"
    reopened = client.post(f"/submissions/{sid}/reopen")
    assert [(e["from_state"], e["to_state"], e["note"]) for e in reopened.json()["events"]] == [
        ("", "draft", ""),
        ("draft", "submitted", ""),
        ("submitted", "withdrawn", "换一节课"),
        ("withdrawn", "draft", ""),
    ]


def test_update_citations_and_coauthor_errors(province, both, api_as):
    a = both["a"]
    client = api_as(province.teacher_a)
    updated = client.patch(f"/submissions/{a.pk}", {"description": "新简介", "periods": 2})
    assert (updated.json()["description"], updated.json()["periods"]) == ("新简介", 2)
    assert [m["period"] for m in updated.json()["materials"]][:2] == [1, 2]
    assert client.patch(f"/submissions/{a.pk}", {"title": None}).json() == {
        "detail": {"title": ["此项不能为空，请填写。"]}
    }
    assert client.patch(f"/submissions/{a.pk}", {"periods": 4}).json() == {
        "detail": {"periods": ["课时数应为 1 到 3。"]}
    }
    half = put(
        client, f"/submissions/{a.pk}/citations", {"citations": [{"source": "某书", "author": ""}]}
    )
    assert half.status_code == 422
    assert half.json()["detail"]["citations"][0].startswith("第 1 条引用须同时填写出处和作者")
    unknown = put(client, f"/submissions/{a.pk}/coauthors", {"mobiles": ["13900000000"]})
    assert unknown.json() == {
        "detail": {"mobiles": ["找不到手机号为 13900000000 的教师账号，请核对后重新填写。"]}
    }
    myself = put(client, f"/submissions/{a.pk}/coauthors", {"mobiles": [province.teacher_a.mobile]})
    assert myself.json() == {"detail": {"coauthors": ["作者本人不需要再列为合作者。"]}}


# --- refusals --------------------------------------------------------------------------------


def test_closed_node_is_refused(province, campaign, catalog, api_as):
    close_node(Actor(province.province_admin), campaign, catalog.lesson4b, reason="本年度不征集")
    response = api_as(province.teacher_a).post(
        "/submissions",
        {
            "campaign_id": campaign.pk,
            "category_id": campaign.categories.get(code="subject").pk,
            "node_id": catalog.lesson4b.pk,
            "title": "读法",
        },
    )
    assert (response.status_code, response.json()) == (
        422,
        {"detail": {"node": ["管理员已关闭该节点：本年度不征集"]}},
    )
    assert not Submission.objects.exists()


def test_only_lesson_nodes_and_only_teachers(province, campaign, catalog, api_as):
    body = {
        "campaign_id": campaign.pk,
        "category_id": campaign.categories.get(code="subject").pk,
        "node_id": catalog.grade4.pk,
        "title": "册次",
    }
    wrong_level = api_as(province.teacher_a).post("/submissions", body)
    assert wrong_level.json() == {"detail": {"node": ["请选择到“课”一级的课程节点。"]}}
    admin = api_as(province.school_a_admin).post(
        "/submissions", body | {"node_id": catalog.lesson4.pk}
    )
    assert (admin.status_code, admin.json()) == (404, NOT_FOUND)
    other_category = campaign.categories.get(code="experiment").pk + 1000
    missing = api_as(province.teacher_a).post(
        "/submissions", body | {"category_id": other_category}
    )
    assert missing.status_code == 404


def test_after_the_deadline_is_refused(province, campaign, both, api_as):
    past = timezone.now() - datetime.timedelta(hours=1)
    Level.objects.filter(campaign=campaign, key="school").update(deadline=past)
    client = api_as(province.teacher_a)
    response = client.patch(f"/submissions/{both['a'].pk}", {"title": "迟到的修改"})
    assert response.status_code == 422
    (message,) = response.json()["detail"]["__all__"]
    assert message.startswith("教师申报已于 ") and "截止，不能再提交或修改" in message
    submit = client.post(f"/submissions/{both['a'].pk}/submit")
    assert submit.json()["detail"]["__all__"] == [message]
    assert Submission.objects.get(pk=both["a"].pk).title == "亿以内数的认识"


@pytest.mark.parametrize(
    "method, suffix, body",
    [
        ("get", "", None),
        ("patch", "", {"title": "别人的"}),
        ("post", "/submit", {}),
        ("post", "/originality", {}),
        ("post", "/withdraw", {"reason": "x"}),
        ("post", "/reopen", {}),
        ("put", "/citations", {"citations": []}),
        ("put", "/coauthors", {"mobiles": []}),
        ("post", "/materials", {"requirement_id": 1, "upload_id": "0" * 32}),
    ],
)
def test_other_teachers_package_is_404(province, both, api_as, method, suffix, body):
    client = api_as(province.teacher_b)
    path = f"/submissions/{both['a'].pk}{suffix}"
    if method == "get":
        response = client.get(path)
    elif method == "put":
        response = put(client, path, body)
    else:
        response = getattr(client, method)(path, body)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Submission.objects.get(pk=both["a"].pk).title == "亿以内数的认识"


def test_school_admin_reads_but_cannot_write(province, both, api_as):
    client = api_as(province.school_a_admin)
    assert client.get(f"/submissions/{both['a'].pk}").json()["can_edit"] is False
    response = client.post(f"/submissions/{both['a'].pk}/originality")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_attach_refuses_foreign_uploads_and_wrong_slots(province, campaign, both, api_as):
    a = both["a"]
    client = api_as(province.teacher_a)
    theirs = stored_upload(province.teacher_b, "设计.pdf", PDF)
    design = requirement(campaign, "subject", "teaching_design")
    foreign = client.post(
        f"/submissions/{a.pk}/materials", {"requirement_id": design.pk, "upload_id": str(theirs.pk)}
    )
    assert (foreign.status_code, foreign.json()) == (404, NOT_FOUND)
    mine = stored_upload(province.teacher_a, "设计.pdf", PDF)
    other_category = requirement(campaign, "experiment", "experiment_design")
    wrong = client.post(
        f"/submissions/{a.pk}/materials",
        {"requirement_id": other_category.pk, "upload_id": str(mine.pk)},
    )
    assert wrong.json() == {
        "detail": {"requirement_id": ["该材料不属于此作品的类别，请刷新后重新选择。"]}
    }
    wrong_type = stored_upload(province.teacher_a, "设计.txt", b"hello")
    refused = client.post(
        f"/submissions/{a.pk}/materials",
        {"requirement_id": design.pk, "upload_id": str(wrong_type.pk)},
    )
    assert refused.status_code == 422
    assert "只接受 doc、docx、pdf" in refused.json()["detail"]["__all__"][0]


def test_oversize_and_wrong_type_uploads_refused_before_a_byte(province, campaign, both, api_as):
    a = both["a"]
    tus = TusClient(api_as(province.teacher_a).client)
    meta = {
        "purpose": "material",
        "submission": str(a.pk),
        "requirement": str(requirement(campaign, "subject", "micro_video").pk),
        "period": "1",
    }
    too_big = tus.create(campaign.max_upload_bytes + 1, filename="微课.mp4", **meta)
    assert too_big.status_code == 413
    # one byte over 1 GB: the size must not read as the limit
    assert too_big.json()["detail"] == (
        "文件大小 1,073,741,825 字节，超过“微课视频”的上限 1,073,741,824 字节。"
        "请压缩或降低码率后再上传。"
    )
    wrong_type = tus.create(1000, filename="微课.avi", **meta)
    assert wrong_type.status_code == 415
    other = TusClient(api_as(province.teacher_b).client).create(1000, filename="微课.mp4", **meta)
    assert other.status_code == 404
    assert not Upload.objects.exists()


# --- counts ----------------------------------------------------------------------------------


ZERO = {"draft": 0, "submitted": 0, "withdrawn": 0}


def test_counts_per_child_unit(province, campaign, both, api_as):
    def rows(person, **params):
        response = api_as(person).get("/submissions/counts", campaign=campaign.pk, **params)
        assert response.status_code == 200, response.json()
        body = response.json()
        return body["unit"]["name"], [
            (r["unit"]["name"], r["total"], r["by_state"]) for r in body["rows"]
        ]

    assert rows(province.city_admin) == (
        "青山市",
        [("东湖区", 1, ZERO | {"draft": 1}), ("西岭县", 1, ZERO | {"draft": 1})],
    )
    assert rows(province.county_a_admin) == ("东湖区", [("东湖区实验小学", 1, ZERO | {"draft": 1})])
    assert rows(province.school_a_admin) == (
        "东湖区实验小学",
        [("东湖区实验小学柳村教学点", 0, ZERO)],
    )
    assert rows(province.city_admin, unit=province.county_b.pk) == (
        "西岭县",
        [("西岭县第一中学", 1, ZERO | {"draft": 1})],
    )
    outside = api_as(province.county_a_admin).get(
        "/submissions/counts", campaign=campaign.pk, unit=province.county_b.pk
    )
    assert (outside.status_code, outside.json()) == (404, NOT_FOUND)
    teacher = api_as(province.teacher_a).get("/submissions/counts", campaign=campaign.pk)
    assert (teacher.status_code, teacher.json()) == (404, NOT_FOUND)


# --- query counts ----------------------------------------------------------------------------


def _grow_submissions(province, campaign, catalog, n):
    for i in range(n):
        lesson = catalog.lesson4.get_parent().add_child(
            code=f"L{Submission.objects.count()}{i}", name=f"课{i}", level="lesson"
        )
        submission = start(province.teacher_a, campaign, lesson, title=f"课{i}")
        packages.set_coauthors(Actor(province.teacher_a), submission, [province.teacher_b])


@pytest.mark.parametrize("who", ["teacher_a", "teacher_b", "school_a_admin", "platform_admin"])
def test_submission_list_costs_the_same_at_1_and_3(province, campaign, catalog, api_as, who):
    client = api_as(getattr(province, who))
    _grow_submissions(province, campaign, catalog, 1)
    with CaptureQueriesContext(connection) as one:
        first = client.get("/submissions", campaign=campaign.pk).json()
    _grow_submissions(province, campaign, catalog, 2)
    with CaptureQueriesContext(connection) as three:
        second = client.get("/submissions", campaign=campaign.pk).json()
    assert (first["count"], second["count"]) == (1, 3)
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]
    assert len(one) <= 6


def test_detail_costs_the_same_with_1_and_3_materials(
    province,
    campaign,
    both,
    api_as,
    run_on_commit,
):
    a = both["a"]
    client = api_as(province.teacher_a)

    def attach(code):
        upload = stored_upload(province.teacher_a, f"{code}.pdf", PDF)
        req = requirement(campaign, "subject", code)
        run_on_commit(packages.attach_material, Actor(province.teacher_a), a, req, 1, upload)

    attach("teaching_design")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/submissions/{a.pk}")
    attach("task_sheet")
    attach("courseware")
    packages.set_citations(Actor(province.teacher_a), a, [("书", "作者", "")] * 3)
    packages.set_coauthors(Actor(province.teacher_a), a, [province.teacher_b])
    with CaptureQueriesContext(connection) as three:
        body = client.get(f"/submissions/{a.pk}").json()
    assert [m["state"] for m in body["materials"]] == [
        "missing",
        "passed",
        "passed",
        "passed",
        "missing",
    ]
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


def test_counts_cost_the_same_at_1_and_3_units(province, campaign, both, api_as):
    client = api_as(province.city_admin)
    with CaptureQueriesContext(connection) as one:
        first = client.get("/submissions/counts", campaign=campaign.pk, unit=province.county_b.pk)
    for i in range(2):
        make_unit(province.county_b, UnitKind.SCHOOL, f"西岭县第{i + 2}中学", area_type="county")
    with CaptureQueriesContext(connection) as three:
        second = client.get("/submissions/counts", campaign=campaign.pk, unit=province.county_b.pk)
    assert (len(first.json()["rows"]), len(second.json()["rows"])) == (1, 3)
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


# --- schema ----------------------------------------------------------------------------------

NEW_OPERATIONS = {
    "list_campaigns",
    "get_campaign",
    "list_campaign_nodes",
    "publish_campaign",
    "close_campaign",
    "list_submissions",
    "count_submissions",
    "get_submission",
    "create_submission",
    "update_submission",
    "set_citations",
    "set_coauthors",
    "confirm_originality",
    "attach_material",
    "submit_submission",
    "withdraw_submission",
    "reopen_submission",
    "create_upload",
    "get_upload_offset",
    "append_upload",
    "terminate_upload",
    "get_upload_status",
}


def test_openapi_lists_campaign_submission_and_upload_operations(db, client):
    schema = client.get(API + "/openapi.json").json()
    found = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert found >= NEW_OPERATIONS
    uploads = {
        (path, method): op
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/uploads/")
        for method, op in item.items()
    }
    assert {(p, m): op["operationId"] for (p, m), op in uploads.items()} == {
        ("/api/v1/uploads/", "post"): "create_upload",
        ("/api/v1/uploads/{upload_id}", "head"): "get_upload_offset",
        ("/api/v1/uploads/{upload_id}", "patch"): "append_upload",
        ("/api/v1/uploads/{upload_id}", "delete"): "terminate_upload",
        ("/api/v1/uploads/{upload_id}/status", "get"): "get_upload_status",
    }
    create = uploads[("/api/v1/uploads/", "post")]
    headers = {p["name"] for p in create["parameters"]}
    assert headers == {"Tus-Resumable", "Upload-Length", "Upload-Metadata"}
    metadata = next(p for p in create["parameters"] if p["name"] == "Upload-Metadata")
    for key in ("purpose", "filename", "filetype", "submission", "requirement", "period"):
        assert f"`{key}`" in metadata["description"]
    append = uploads[("/api/v1/uploads/{upload_id}", "patch")]
    assert {"Upload-Offset", "Upload-Checksum"} <= {p["name"] for p in append["parameters"]}
    assert {"401", "403", "404", "409", "413", "415", "423", "460"} <= set(append["responses"])
    assert set(create["responses"]) >= {"201", "401", "403", "404", "413", "415"}
    assert append["responses"]["204"]["headers"]["Upload-Offset"]["schema"] == {"type": "integer"}
    submission = schema["paths"]["/api/v1/submissions/{submission_id}"]
    assert {"200", "404", "422"} <= set(submission["patch"]["responses"])  # + shared errors

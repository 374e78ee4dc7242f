"""`youke demo`: the demo province, its people, catalog, campaigns and packages, loaded once
and only once."""

from __future__ import annotations

import io
import random
from collections import Counter
from decimal import Decimal

import av
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from youke.campaigns.domain.deadlines import teacher_deadline
from youke.campaigns.domain.nodes import node_statuses
from youke.campaigns.enums import CampaignState, NodeReason, TemplateKey
from youke.campaigns.models import Campaign, NodeClosure, PastAward, UploadWindow
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.models import AuditEvent
from youke.manage.demo.files import minimal_pdf
from youke.manage.demo.names import NameBook
from youke.manage.demo.people import FIXED_USERNAMES, PeoplePlanner
from youke.manage.demo.province import plan_units
from youke.manage.demo.submissions import school_stages
from youke.media.domain.sniff import sniff_head
from youke.media.models import MediaAsset, Upload
from youke.media.processing.hls import ladder_heights
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Contact, ExpertProfile, Person, RoleGrant, Unit
from youke.orgs.validators import validate_id_card
from youke.selection.domain import review
from youke.selection.domain.review import assignments_visible_to, round_results
from youke.selection.enums import (
    AssignmentState,
    EntryState,
    ListState,
    ObjectionState,
    PublicityState,
    RoundState,
)
from youke.selection.models import (
    Assignment,
    Award,
    LevelEntry,
    LevelList,
    Objection,
    Publicity,
    Quota,
    ReviewRound,
    Score,
    ScreeningRecord,
)
from youke.submissions import rules as submission_rules
from youke.submissions.domain.packages import checklist
from youke.submissions.enums import CheckState, SubmissionState
from youke.submissions.models import (
    Citation,
    CoAuthor,
    Material,
    MaterialLink,
    Submission,
    SubmissionEvent,
)

ROLE_LABELS = (
    "平台管理员",
    "省级管理员",
    "市级管理员",
    "县级管理员",
    "学校管理员",
    "教师",
    "评审专家",
    "教研人员",
    "电教人员",
)


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, object]:
    return {
        "units": Counter(Unit.objects.values_list("kind", flat=True)),
        "people": Person.objects.count(),
        "grants": Counter(RoleGrant.objects.values_list("role", flat=True)),
        "contacts": Contact.objects.count(),
        "experts": ExpertProfile.objects.count(),
        "areas": ExpertProfile.areas.through.objects.count(),
        "catalog": Counter(CourseNode.objects.values_list("level", flat=True)),
        "audit": AuditEvent.objects.count(),
        "campaigns": Campaign.objects.count(),
        "closures": NodeClosure.objects.count(),
        "past_awards": PastAward.objects.count(),
        "submissions": Submission.objects.count(),
        "materials": Material.objects.count(),
        "uploads": Upload.objects.count(),
        "assets": MediaAsset.objects.count(),
        "events": SubmissionEvent.objects.count(),
        "citations": Citation.objects.count(),
        "coauthors": CoAuthor.objects.count(),
        "entries": Counter(LevelEntry.objects.values_list("level__key", "state")),
        "lists": Counter(LevelList.objects.values_list("state", flat=True)),
        "quotas": Quota.objects.count(),
        "screenings": ScreeningRecord.objects.count(),
        "rounds": Counter(ReviewRound.objects.values_list("state", flat=True)),
        "assignments": Counter(Assignment.objects.values_list("state", flat=True)),
        "scores": Score.objects.count(),
        "awards": Award.objects.count(),
        "publicities": Publicity.objects.count(),
        "objections": Objection.objects.count(),
    }


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo once for the module (it takes seconds), rolled back at the end.

    Module fixtures run before the per-test file isolation, so the demo's files get their
    own media root here rather than landing in the real one."""
    media = tmp_path_factory.mktemp("demo_media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_demo(), media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_output(_demo_once, db) -> str:
    # `db` nests each test in a savepoint inside the module's transaction.
    return _demo_once[0]


@pytest.fixture
def demo_media(_demo_once, settings):
    """Point default storage at the files the module's demo wrote."""
    settings.MEDIA_ROOT = _demo_once[1]
    return _demo_once[1]


def test_demo_builds_the_province_and_catalog(demo_output) -> None:
    found = counts()
    units, grants, catalog = found["units"], found["grants"], found["catalog"]
    assert units[UnitKind.MINISTRY] == 1 and units[UnitKind.PROVINCE] == 1
    assert units[UnitKind.CITY] == 3 and units[UnitKind.COUNTY] == 9
    assert 70 <= units[UnitKind.SCHOOL] <= 90
    assert units[UnitKind.TEACHING_POINT] > 0
    assert 1800 <= grants[Role.TEACHER] <= 2200
    assert grants[Role.UNIT_ADMIN] == 1 + 3 + 9 + units[UnitKind.SCHOOL]
    assert grants[Role.RESEARCH] >= 9 + 3 and grants[Role.ELEARNING] >= 9 + 3
    assert 25 <= grants[Role.EXPERT] <= 40 and found["experts"] == grants[Role.EXPERT]
    assert catalog[NodeLevel.LESSON] >= 2500 and catalog[NodeLevel.STAGE] >= 3
    assert not ExpertProfile.objects.filter(areas=None).exists()

    for county in Unit.objects.filter(kind=UnitKind.COUNTY):
        schools = county.get_children()
        assert schools and all(s.kind == UnitKind.SCHOOL for s in schools)
        for school in schools:
            assert len(school.code) == 10 and school.code.startswith(county.code)
            assert school.area_type == county.area_type
        for point in Unit.objects.filter(
            kind=UnitKind.TEACHING_POINT, path__startswith=county.path
        ):
            assert len(point.code) == 10 and point.code.startswith(county.code)

    regions_and_schools = Unit.objects.exclude(kind=UnitKind.TEACHING_POINT)
    for unit in regions_and_schools.prefetch_related("contacts"):
        roles = {c.role for c in unit.contacts.all()}
        assert {"leader", "contact"} <= roles, unit
    for contact in Contact.objects.all():
        assert len(contact.mobile) == 11 and contact.mobile[:2] in ("13", "15", "18")

    lesson = CourseNode.objects.filter(level=NodeLevel.LESSON).order_by("path").first()
    assert len(lesson.code) == 12 and lesson.code.startswith(lesson.get_parent().code)

    event = AuditEvent.objects.get(object_repr="示范省")
    assert event.action == "create" and event.reason == "载入演示数据（youke demo）"
    assert event.after["schools"] == units[UnitKind.SCHOOL]
    assert event.after["submissions"] == Submission.objects.count()
    assert event.after["campaigns"] == 2


def test_demo_people_are_valid_and_can_log_in(demo_output) -> None:
    logins = Person.objects.filter(username__in=FIXED_USERNAMES)
    assert sorted(p.username for p in logins) == sorted(FIXED_USERNAMES)
    assert all(not p.must_change_password and p.is_active for p in logins)
    # Every demo account shares one Argon2 hash, so one check covers them all.
    assert len({p.password for p in logins}) == 1
    assert logins[0].check_password("youke2026")
    assert Person.objects.get(username="admin").is_platform_admin

    # The fixed logins nest: county ⊃ school ⊃ teacher; the teacher also reviews as an expert.
    county = Person.objects.get(username="county_admin").unit
    school = Person.objects.get(username="school_admin").unit
    teacher = Person.objects.get(username="teacher")
    assert school.path.startswith(county.path) and teacher.unit == school
    assert set(teacher.grants.values_list("role", flat=True)) == {Role.TEACHER, Role.EXPERT}
    assert teacher.expert_profile.areas.exists()

    mobiles = list(Person.objects.values_list("mobile", flat=True))
    assert None not in mobiles and len(mobiles) == len(set(mobiles))
    id_cards = Person.objects.exclude(id_card=None).select_related("unit")
    assert 0.3 < id_cards.count() / len(mobiles) < 0.5
    for person in id_cards:
        validate_id_card(person.id_card)
        assert person.id_card[:6] == person.unit.code[:6]
        assert "1965" <= person.id_card[6:10] <= "2000"

    # Teachers log in with their mobile.
    grant = RoleGrant.objects.filter(role=Role.TEACHER).select_related("person").last()
    assert grant.person.username == grant.person.mobile
    assert grant.person.unit == grant.unit


def test_demo_prints_the_logins(demo_output) -> None:
    for text in (*FIXED_USERNAMES, *ROLE_LABELS, "youke2026", "http://127.0.0.1:8000/"):
        assert text in demo_output


def test_demo_twice_changes_nothing(demo_output) -> None:
    before = counts()
    second = run_demo()
    assert counts() == before
    assert "已存在" in second and "teacher" in second  # skipped, but still shows the logins
    assert "跳过遴选演示数据" in second


def test_demo_flags_a_changed_password(demo_output) -> None:
    teacher = Person.objects.get(username="teacher")
    teacher.set_password("Changed-2026")
    teacher.save()
    lines = run_demo().splitlines()
    assert "（已修改）" in next(line for line in lines if line.startswith("teacher "))
    assert "youke2026" in next(line for line in lines if line.startswith("expert "))


def test_demo_plan_is_deterministic() -> None:
    def plan(seed: int):
        rng = random.Random(seed)
        units = plan_units(rng)
        people = PeoplePlanner(NameBook(rng), set()).plan(units)
        return [(u.code, u.name) for u in units.walk()], [
            (p.full_name, p.mobile, p.id_card) for p in people
        ]

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)


def test_demo_runs_two_published_campaigns(demo_output) -> None:
    campaigns = {c.template_key: c for c in Campaign.objects.select_related("owner_unit")}
    assert set(campaigns) == {TemplateKey.QUALITY_COURSE, TemplateKey.ONE_TEACHER_ONE_LESSON}
    assert campaigns[TemplateKey.QUALITY_COURSE].owner_unit.kind == UnitKind.PROVINCE
    assert campaigns[TemplateKey.ONE_TEACHER_ONE_LESSON].owner_unit.kind == UnitKind.CITY
    now, today = timezone.now(), timezone.localdate()
    for campaign in campaigns.values():
        assert campaign.state == CampaignState.PUBLISHED
        assert campaign.opens_at < now < teacher_deadline(campaign) < campaign.closes_at
        assert campaign.name in demo_output
    windows = UploadWindow.objects.filter(campaign=campaigns[TemplateKey.ONE_TEACHER_ONE_LESSON])
    assert windows and all(w.opens_on <= today <= w.closes_on for w in windows)


def test_demo_node_status_shows_closed_nodes(demo_output) -> None:
    lessons = list(CourseNode.objects.filter(level=NodeLevel.LESSON))
    today = timezone.localdate()
    reasons: Counter = Counter()
    for campaign in Campaign.objects.all():
        statuses = node_statuses(campaign, lessons, today=today)
        reasons.update(s.reason_code for s in statuses.values())
        closed = {pk for pk, s in statuses.items() if not s.open}
        # Nobody could have started a package on a node that was closed all along.
        assert not campaign.submissions.filter(node_id__in=closed).exists()
    assert reasons[NodeReason.CLOSED_BY_ADMIN] >= 1 and reasons[NodeReason.AWARD_RULE] >= 1
    assert all(c.reason for c in NodeClosure.objects.all())


def test_demo_submissions_cover_every_state(demo_output) -> None:
    assert Submission.objects.count() >= 300
    states = set(Submission.objects.values_list("state", flat=True))
    assert states == set(SubmissionState.values)
    checks = set(Material.objects.values_list("check_state", flat=True))
    # "missing" and "linked" describe checklist slots, never a stored file.
    assert checks == set(CheckState.values) - {CheckState.MISSING, CheckState.LINKED}
    assert Citation.objects.exists() and CoAuthor.objects.exists()

    teacher = Person.objects.get(username="teacher")
    mine = Submission.objects.filter(teacher=teacher)
    assert mine.count() >= 3 and len(set(mine.values_list("state", flat=True))) >= 2
    school_admin = Person.objects.get(username="school_admin")
    assert submission_rules.submissions_visible_to(school_admin).count() >= 10

    # Every package is one the real flow could have produced.
    for submission in Submission.objects.prefetch_related("events"):
        events = list(submission.events.all())
        assert events[0].from_state == "" and events[-1].to_state == submission.state
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False))
        assert submission.created_at <= submission.updated_at
        if submission.state == SubmissionState.SUBMITTED:
            assert submission.originality_confirmed_at and submission.submitted_at
            assert not [s for s in checklist(submission) if s.blocks_submission], submission
    pending = Material.objects.filter(check_state__in=(CheckState.QUEUED, CheckState.PROCESSING))
    assert set(pending.values_list("submission__state", flat=True)) == {SubmissionState.DRAFT}


def test_demo_materials_have_real_files_and_checks(demo_output, demo_media) -> None:
    # The originality demo's generated lessons play as uploaded (no rendition or ladder).
    materials = Material.objects.select_related("upload", "requirement", "submission").exclude(
        upload__storage_name__startswith="uploads/demo/originality/"
    )
    names = set()
    for material in materials:
        upload = material.upload
        assert upload.state == "complete" and upload.owner_id == material.submission.teacher_id
        assert upload.length == upload.offset > 0 and len(upload.sha256) == 64
        assert upload.filename.rsplit(".", 1)[1] in material.requirement.extensions
        names.add(upload.storage_name)
    # one upload each (三个课堂 replays are uploads of their own purpose)
    uploads = Upload.objects.exclude(purpose="classroom_replay").values_list("pk")
    assert len(uploads) == Material.objects.count()
    assert all(default_storage.exists(name) for name in names)
    assert len(names) <= 20  # a few shared files, not one per material

    assets = {a.upload_id: a for a in MediaAsset.objects.all()}
    for material in materials:
        asset = assets.get(material.upload_id)
        if material.check_state == CheckState.QUEUED:
            assert asset is None
            continue
        assert asset.state == material.check_state
        if material.requirement.kind == "video" and material.check_state != "processing":
            assert asset.width and asset.duration_seconds and asset.checks
            assert default_storage.exists(asset.poster.name)
            assert bool(asset.rendition) == (asset.state != "failed")
            # Every playable demo video has its HLS ladder, capped by its height.
            assert bool(asset.hls_master) == (asset.state != "failed")
            if asset.hls_master:
                assert default_storage.exists(asset.hls_master)
                assert asset.hls_heights == ladder_heights(asset.height)
            outcomes = {check["outcome"] for check in asset.checks}
            assert ("fail" in outcomes) == (asset.state == "failed")
        if material.requirement.kind == "document" and asset.state == "failed":
            assert "扩展名" in asset.error


def test_demo_pdf_is_a_pdf() -> None:
    data = minimal_pdf("教学设计", ("第一行",))
    assert sniff_head(data) == "application/pdf"
    assert data.rstrip().endswith(b"%%EOF")
    # The cross-reference table must point at the objects, or viewers repair the file.
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref:].startswith(b"xref")
    for line in data[xref:].split(b"\n")[3:10]:
        offset = int(line.split()[0])
        assert data[offset:].split(b" ", 1)[0].isdigit() and b" 0 obj" in data[offset:][:12]


@pytest.mark.parametrize(
    ("name", "stages"),
    [
        ("东湖区实验小学", ("小学",)),
        ("青山市第一中学", ("高中",)),
        ("西岭县第二中学", ("高中",)),
        ("东湖区第二中学", ("初中",)),
        ("西岭县城关中学", ("初中",)),
        ("南屏区外国语学校", ("小学", "初中")),
    ],
)
def test_school_stages_from_names(name, stages) -> None:
    assert school_stages(name) == stages


# --- selection (issue 4) -------------------------------------------------------------------


def quality_campaign() -> Campaign:
    return Campaign.objects.get(template_key=TemplateKey.QUALITY_COURSE)


def test_demo_selection_has_entries_at_every_level(demo_output) -> None:
    campaign = quality_campaign()
    entries = LevelEntry.objects.filter(level__campaign=campaign)
    levels = set(entries.values_list("level__key", flat=True))
    assert len(levels) >= 3 and {"school", "county", "city", "province"} <= levels
    submitted = campaign.submissions.filter(state=SubmissionState.SUBMITTED)
    assert entries.filter(level__key="school").count() == submitted.count()
    assert "已创建精品课遴选进度" in demo_output and "公示" in demo_output

    # The demo school admin's school has not decided yet: a full inbox; every other did.
    school = Person.objects.get(username="school_admin").unit
    pending = entries.filter(level__key="school", state=EntryState.PENDING)
    assert pending.count() >= 2 and set(pending.values_list("unit", flat=True)) == {school.pk}
    assert not LevelList.objects.filter(level__key="school", unit=school).exists()
    school_lists = LevelList.objects.filter(level__campaign=campaign, level__key="school")
    assert school_lists.filter(state=ListState.CONFIRMED).count() >= 10

    # Counties: some confirmed, the demo county still deciding; recommended ones screened.
    counties = LevelList.objects.filter(level__campaign=campaign, level__key="county")
    assert counties.filter(state=ListState.CONFIRMED).exists()
    county = Person.objects.get(username="county_admin").unit
    assert counties.get(unit=county).state == ListState.OPEN
    assert entries.filter(level__key="county", unit=county, state=EntryState.PENDING).exists()
    for entry in entries.filter(level__key="county", state=EntryState.RECOMMENDED):
        assert entry.screening.passed
    assert Quota.objects.filter(level__campaign=campaign, level__key="county").count() == 9

    # Every decision is in the audit log with its actor.
    decided = entries.exclude(state=EntryState.PENDING)
    logged = AuditEvent.objects.filter(object_type="selection.levelentry", action="update")
    assert logged.count() >= decided.count()
    assert not decided.filter(decided_by=None).exists()


def test_demo_closed_round_ranks_and_awards(demo_output) -> None:
    campaign = quality_campaign()
    closed = ReviewRound.objects.get(campaign=campaign, state=RoundState.CLOSED)
    states = set(Assignment.objects.filter(round=closed).values_list("state", flat=True))
    assert states == {AssignmentState.SUBMITTED}
    results, experts = round_results(closed)
    assert experts and all(r.rank for r in results)
    awards = Award.objects.filter(round=closed).select_related("past_award", "entry__submission")
    assert awards
    for award in awards:
        past = award.past_award
        submission = award.entry.submission
        assert past is not None and past.node_id == submission.node_id
        assert (past.level, past.year, past.source) == ("city", campaign.year, "youke")
        assert award.entry.state == EntryState.RECOMMENDED
    # The closed city confirmed its list: its entries wait at the province.
    row = LevelList.objects.get(level=closed.level, unit=closed.unit)
    assert row.state == ListState.CONFIRMED
    province = LevelEntry.objects.filter(level__campaign=campaign, level__key="province")
    assert (
        province.count()
        == LevelEntry.objects.filter(
            level=closed.level, unit=closed.unit, state=EntryState.RECOMMENDED
        ).count()
    )


def test_demo_open_round_has_work_for_the_demo_expert(demo_output) -> None:
    campaign = quality_campaign()
    running = ReviewRound.objects.get(campaign=campaign, state=RoundState.OPEN)
    states = Counter(Assignment.objects.filter(round=running).values_list("state", flat=True))
    assert set(states) == set(AssignmentState.values)
    drafts = Assignment.objects.filter(round=running, state=AssignmentState.DRAFT)
    assert all(a.scores.exists() and a.submitted_at is None for a in drafts)
    expert = Person.objects.get(username="expert")
    queue = assignments_visible_to(expert).filter(round=running)
    assert queue.filter(state=AssignmentState.ASSIGNED).exists()
    assert queue.count() >= 2
    assert running.deadline > timezone.now()


def test_demo_publicity_is_open_with_one_objection(demo_output) -> None:
    campaign = quality_campaign()
    publicity = Publicity.objects.get(campaign=campaign)
    assert publicity.state == PublicityState.OPEN and publicity.is_open_at(timezone.now())
    assert LevelList.objects.get(level=publicity.level, unit=publicity.unit).state == (
        ListState.CONFIRMED
    )
    objection = publicity.objections.get()
    assert objection.state == ObjectionState.OPEN and not objection.resolution
    assert objection.entry.state == EntryState.RECOMMENDED


def test_demo_blind_round_has_its_blind_copies(demo_output, demo_media) -> None:
    campaign = quality_campaign()
    assert campaign.blind_cut_seconds == Decimal("0.5")
    running = ReviewRound.objects.get(campaign=campaign, state=RoundState.OPEN)
    assert running.blind
    materials = Material.objects.filter(
        submission__level_entries__in=running.entries.all()
    ).select_related("upload__asset", "requirement")
    kinds = Counter()
    for material in materials:
        asset = material.upload.asset
        if asset.state == "failed":
            continue
        if material.requirement.kind == "video":
            assert asset.blind_rendition and asset.blind_cut_seconds == Decimal("0.5")
            with av.open(default_storage.path(asset.blind_rendition.name)) as copy:
                assert copy.duration / av.time_base == pytest.approx(
                    float(asset.duration_seconds) - 0.5, abs=0.05
                )
            kinds["video"] += 1
        else:
            assert asset.sanitised and asset.sanitised.read()[:5] == b"%PDF-"
            kinds["document"] += 1
    assert kinds["video"] > 0 and kinds["document"] > 0
    expert = Person.objects.get(username="expert")
    mine = assignments_visible_to(expert).filter(round=running).first()
    page = review.entry_view_for(expert, mine.entry, running)
    assert page.blind and all(m.ready for m in page.materials if m.material.check_state != "failed")


def test_demo_has_resource_links_on_one_teacher_one_lesson_packages(demo_output) -> None:
    """Seed 003 accepts courseware as a link: the demo teacher's package and a submitted one
    carry one, shown with its host on the package page."""
    links = MaterialLink.objects.select_related("submission__teacher", "requirement")
    assert {link.submission.campaign.template_key for link in links} == {
        TemplateKey.ONE_TEACHER_ONE_LESSON
    }
    assert {link.requirement.code for link in links} == {"courseware"}
    assert "teacher" in {link.submission.teacher.username for link in links}
    assert "submitted" in {link.submission.state for link in links}
    assert f"资源链接 {links.count()} 个" in demo_output


def test_demo_monitoring_has_targets_met_and_missed_and_a_bulletin(demo_output) -> None:
    from youke.monitoring.domain.reading import unit_report
    from youke.monitoring.models import Bulletin

    bulletin = Bulletin.objects.select_related("campaign", "issuing_unit").get()
    assert bulletin.state == "published" and bulletin.number == 1 and bulletin.is_public
    assert bulletin.pdf and bulletin.xlsx
    report = unit_report(bulletin.campaign, bulletin.issuing_unit)
    lights = {cell.light for row in report.children for cell in row.cells[:2]}
    assert "green" in lights and lights & {"amber", "red"}
    assert bulletin.snapshot["commended"] and bulletin.snapshot["behind"]


def test_demo_teacher_has_hours_and_an_honours_record(demo_output) -> None:
    from youke.training.domain.honours import honours_record
    from youke.training.models import TrainingCredit

    # Every submitted 一师一优课 package earned its 晒课 hours, once.
    showcased = Submission.objects.filter(
        campaign__template_key=TemplateKey.ONE_TEACHER_ONE_LESSON, state="submitted"
    ).count()
    assert showcased > 0
    assert TrainingCredit.objects.filter(kind="rule", event="showcase").count() == showcased
    teacher = Person.objects.get(username="teacher")
    record = honours_record(teacher)
    assert len(record.years) == 3 and record.total_hours > 0
    assert {c.kind for c in record.credits} == {"rule", "manual", "correction"}


def test_demo_shows_three_classrooms(demo_output) -> None:
    from youke.classrooms.domain import duty
    from youke.classrooms.domain.sessions import session_status
    from youke.classrooms.enums import CourseState
    from youke.classrooms.models import Attendance, ClassSession, DeliveryGroup, NetworkCourse, Term

    assert "三个课堂：2 个专递课堂分组" in demo_output
    assert DeliveryGroup.objects.count() == 2
    assert Attendance.objects.exists()
    live = [s for s in ClassSession.objects.filter(extra=True) if session_status(s) == "live"]
    assert len(live) == 1
    assert ClassSession.objects.exclude(cancel_reason="").count() == 1
    rows = duty.duty_rows(Term.objects.get())
    assert {row.done for row in rows} == {True, False}
    course = NetworkCourse.objects.get(state=CourseState.SHARED)
    assert [(r.department, r.verdict) for r in course.reviews.all()] == [
        ("research", "pass"),
        ("elearning", "pass"),
    ]
    # Shared (R17), the course is in the library with its recorded lessons in order.
    from youke.library.models import LibraryCourse

    library_course = LibraryCourse.objects.get(network_course=course, state="published")
    lessons = list(library_course.lessons.order_by("course_order"))
    assert [x.title for x in lessons] == ["水的三态变化", "溶解与过滤", "物质的变化"]
    assert all(x.files.get().upload.asset.hls_master for x in lessons)


def test_demo_classroom_replay_preparation_and_weights(demo_output) -> None:
    from youke.classrooms.models import ClassSession, PrepAnnotation, PrepSession, WorkloadWeight

    session = ClassSession.objects.exclude(replay=None).select_related("replay__asset").get()
    assert session.replay.asset.state == "passed" and session.replay.asset.hls_master
    prep = PrepSession.objects.get()
    assert prep.versions.count() == 2
    assert PrepAnnotation.objects.filter(version__prep=prep).count() == 3
    assert WorkloadWeight.objects.get(kind="demo_lesson").weight == 3
    from youke.training.models import WorkloadHourRule

    rule = WorkloadHourRule.objects.get(kind="host_period")
    assert (rule.hours, rule.term_cap) == (1, 32)


def test_demo_flags_the_copy_and_the_lifted_design_but_not_the_look_alikes(demo_output) -> None:
    from youke.originality.models import OriginalityMatch, OriginalityResult

    assert "原创性检测：已检测 6 件作品" in demo_output
    video = OriginalityMatch.objects.filter(kind="video").order_by("id")
    assert {m.verdict for m in video} == {"likely_copy"}
    assert len(video) == 2  # the copy and, re-checked, the original it copied
    segment = next(m for m in video if m.evidence[0]["other_start"] > 0).evidence[0]
    assert segment["other_start"] == pytest.approx(4, abs=1.5)  # the copy trimmed the title
    documents = OriginalityMatch.objects.filter(kind="document")
    assert {m.verdict for m in documents} == {"likely_copy"} and len(documents) == 2
    assert all(m.evidence and m.evidence[0]["this"] for m in documents)
    flagged = set(
        OriginalityResult.objects.exclude(verdict="none").values_list("submission_id", flat=True)
    )
    assert OriginalityResult.objects.count() == 6 and len(flagged) == 4
    # The copied lesson's blind copy lets admins outside its scope compare it.
    assert all(
        MediaAsset.objects.get(upload_id=m.other_material.upload_id).blind_rendition for m in video
    )

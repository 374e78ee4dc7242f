"""Hundreds of demo lesson packages in the demo campaigns, in every state, with real files.

Packages are planned in memory from ``rng`` (teachers on open lessons of their own stage,
materials, history), then written with a few ``bulk_create`` calls. Every row is one the
real flow could have produced: a submitted package has every required material and none
failed or still checking; only drafts have files in the queue; the history matches the
state. Timestamps spread over the weeks since the campaign opened.
"""

from __future__ import annotations

import datetime
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from youke.campaigns.domain.nodes import node_statuses
from youke.campaigns.enums import MaterialKind, TemplateKey
from youke.campaigns.models import Campaign, MaterialRequirement
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.manage.demo.files import DemoFiles, StoredFile
from youke.media.enums import AssetState, UploadState
from youke.media.models import MediaAsset, Upload
from youke.media.validators import clean_filename
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Person, RoleGrant
from youke.submissions.domain.checks import content_problem
from youke.submissions.domain.uploads import PURPOSE
from youke.submissions.enums import CheckState, SubmissionState
from youke.submissions.models import (
    Citation,
    CoAuthor,
    Material,
    MaterialLink,
    Submission,
    SubmissionEvent,
)

DRAFT, SUBMITTED, WITHDRAWN = (
    SubmissionState.DRAFT,
    SubmissionState.SUBMITTED,
    SubmissionState.WITHDRAWN,
)
SHOWCASE = "showcase"  # a draft of the demo teacher that shows every check state
PER_CAMPAIGN = {TemplateKey.QUALITY_COURSE: 260, TemplateKey.ONE_TEACHER_ONE_LESSON: 170}
# Extra packages from the demo teacher's own school, so its admin sees a full list.
HOME_SCHOOL = {TemplateKey.QUALITY_COURSE: 12, TemplateKey.ONE_TEACHER_ONE_LESSON: 8}
MAX_PER_TEACHER = 2
STATE_WEIGHTS = {SUBMITTED: 0.5, DRAFT: 0.35, WITHDRAWN: 0.15}
# The demo teacher's own packages: one of each kind a newcomer should see.
DEMO_TEACHER_PLAN = {
    TemplateKey.QUALITY_COURSE: (SUBMITTED, SHOWCASE, WITHDRAWN),
    TemplateKey.ONE_TEACHER_ONE_LESSON: (SUBMITTED, SHOWCASE),
}
# Weights of the sample videos in packages ready to submit and in drafts.
READY_VIDEOS = {"hd_1080p": 4, "hd_720p": 3, "small_16x9": 3, "short_16x9": 1}
DRAFT_VIDEOS = {**READY_VIDEOS, "old_4x3": 3, "phone_9x16": 2}
PERIOD_WEIGHTS = {1: 0.7, 2: 0.2, 3: 0.1}
PENDING_SHARE = 0.08  # draft materials whose check has not finished yet
RENAMED_SHARE = 0.05  # draft documents that are something else under a .docx/.pptx name
EXPERIMENT_SUBJECTS = ("科学", "物理", "化学")

_SENIOR = re.compile(r"(市|县)第[一二三四五六七八九十]+中学$")


def school_stages(name: str) -> tuple[str, ...]:
    """Catalog stages a school teaches, read from its name (units store no school type)."""
    if "小学" in name:
        return ("小学",)
    if name.endswith("中学"):
        return ("高中",) if _SENIOR.search(name) else ("初中",)
    return ("小学", "初中")  # 九年一贯制, 外国语学校, 育才学校


@dataclass(frozen=True)
class Teacher:
    pk: int
    unit_id: int
    unit_path: str
    stages: tuple[str, ...]


@dataclass
class PlannedMaterial:
    requirement: MaterialRequirement
    period: int
    file: StoredFile
    filename: str
    check_state: str
    asset: dict | None
    at: datetime.datetime | None = None


@dataclass
class Planned:
    campaign: Campaign
    category: object
    node: CourseNode
    teacher: Teacher
    title: str
    description: str
    periods: int
    state: str
    created: datetime.datetime
    updated: datetime.datetime
    submitted: datetime.datetime | None = None
    originality: datetime.datetime | None = None
    events: list[tuple[str, str, datetime.datetime, str]] = field(default_factory=list)
    materials: list[PlannedMaterial] = field(default_factory=list)
    citations: list[tuple[str, str, str]] = field(default_factory=list)
    coauthors: list[int] = field(default_factory=list)
    requirements: list[MaterialRequirement] = field(default_factory=list)


class _Catalog:
    """Lessons by stage name, and each lesson's ancestors for descriptions."""

    def __init__(self) -> None:
        upper = CourseNode.objects.exclude(level__in=(NodeLevel.LESSON, NodeLevel.PERIOD))
        self.by_path = {node.path: node for node in upper.order_by("path")}
        self.lessons = list(
            CourseNode.objects.filter(level=NodeLevel.LESSON, is_active=True).order_by("path")
        )

    def ancestor(self, lesson: CourseNode, level: str) -> str:
        step = CourseNode.steplen
        for end in range(step, len(lesson.path), step):
            node = self.by_path.get(lesson.path[:end])
            if node is not None and node.level == level:
                return node.name
        return ""

    def open_by_stage(self, campaign: Campaign, today: datetime.date) -> dict[str, list]:
        statuses = node_statuses(campaign, self.lessons, today=today)
        stages: dict[str, list[CourseNode]] = defaultdict(list)
        for lesson in self.lessons:
            if statuses[lesson.pk].open:
                stages[self.ancestor(lesson, NodeLevel.STAGE)].append(lesson)
        return stages


def build_submissions(
    rng: random.Random, campaigns: list[Campaign], teacher_username: str
) -> dict[str, int]:
    """Plan and write the packages of ``campaigns``; returns counts for the summary."""
    if not campaigns:
        return {}
    catalog = _Catalog()
    if not catalog.lessons:
        return {}
    demo = Person.objects.filter(username=teacher_username).first()
    teachers = _teachers()
    with DemoFiles() as files:
        planner = _Planner(rng, files, catalog, teachers, demo)
        for campaign in campaigns:
            planner.plan_campaign(campaign)
        return _write(planner.planned, len(files.videos), demo)


def _teachers() -> list[Teacher]:
    rows = (
        RoleGrant.objects.filter(
            role=Role.TEACHER, person__is_active=True, person__unit__kind=UnitKind.SCHOOL
        )
        .order_by("person_id")
        .values_list("person_id", "person__unit_id", "person__unit__path", "person__unit__name")
        .distinct()
    )
    return [Teacher(pk, unit, path, school_stages(name)) for pk, unit, path, name in rows]


class _Planner:
    def __init__(self, rng, files: DemoFiles, catalog: _Catalog, teachers, demo) -> None:
        self.rng = rng
        self.files = files
        self.catalog = catalog
        self.teachers = teachers
        self.by_unit: dict[int, list[Teacher]] = defaultdict(list)
        for teacher in teachers:
            self.by_unit[teacher.unit_id].append(teacher)
        self.demo = next((t for t in teachers if demo is not None and t.pk == demo.pk), None)
        self.now = timezone.now()
        self.planned: list[Planned] = []

    # --- who submits what ------------------------------------------------------------

    def plan_campaign(self, campaign: Campaign) -> None:
        rng = self.rng
        key = campaign.template_key
        scope = [t for t in self.teachers if t.unit_path.startswith(campaign.owner_unit.path)]
        if not scope:
            return
        lessons = self.catalog.open_by_stage(campaign, timezone.localdate(self.now))
        categories = list(
            campaign.categories.order_by("order", "pk").prefetch_related("materials__video_rules")
        )
        requirements = {
            c.pk: sorted(c.materials.all(), key=lambda r: (r.order, r.pk)) for c in categories
        }
        picks: list[tuple[Teacher, str | None]] = []
        if self.demo is not None and self.demo in scope:
            picks += [(self.demo, state) for state in DEMO_TEACHER_PLAN.get(key, ())]
            colleagues = [t for t in self.by_unit[self.demo.unit_id] if t != self.demo]
            count = min(len(colleagues), HOME_SCHOOL.get(key, 0))
            picks += [(t, None) for t in rng.sample(colleagues, count)]
        per_teacher = Counter(t.pk for t, _forced in picks)
        target = min(PER_CAMPAIGN.get(key, 100), len(scope) * MAX_PER_TEACHER)
        while len(picks) < target:
            teacher = rng.choice(scope)
            if per_teacher[teacher.pk] < MAX_PER_TEACHER:
                per_teacher[teacher.pk] += 1
                picks.append((teacher, None))

        used: set[tuple[int, int]] = set()
        coauthor_demo = self.demo is not None
        for teacher, forced in picks:
            stage = rng.choice(teacher.stages)
            pool = lessons.get(stage) or [n for group in lessons.values() for n in group]
            node = rng.choice(pool)
            if (teacher.pk, node.pk) in used:
                continue
            used.add((teacher.pk, node.pk))
            # The demo teacher's packages are plain lessons: every one of them can be shown.
            category = self._category(categories, node, plain=forced is not None)
            planned = self._plan_one(campaign, category, requirements[category.pk], node, teacher)
            self._plan_state(planned, forced)
            self._plan_extras(planned)
            if coauthor_demo and teacher != self.demo and teacher.unit_id == self.demo.unit_id:
                # The demo teacher helped a colleague: shows up as co-author there.
                planned.coauthors = [self.demo.pk, *planned.coauthors][:2]
                coauthor_demo = False
            self.planned.append(planned)

    def _category(self, categories, node: CourseNode, *, plain: bool = False):
        by_code = {c.code: c for c in categories}
        subject = self.catalog.ancestor(node, NodeLevel.SUBJECT)
        draw = 0.5 if plain else self.rng.random()
        if "experiment" in by_code and subject in EXPERIMENT_SUBJECTS and draw < 0.3:
            return by_code["experiment"]
        if "special_education" in by_code and draw > 0.94:
            return by_code["special_education"]
        return by_code.get("subject") or by_code.get("showcase") or categories[0]

    def _plan_one(self, campaign, category, requirements, node, teacher) -> Planned:
        rng = self.rng
        periods = 1
        if category.max_periods > 1:
            periods = rng.choices(list(PERIOD_WEIGHTS), list(PERIOD_WEIGHTS.values()))[0]
            periods = min(periods, category.max_periods)
        start = campaign.opens_at + datetime.timedelta(hours=20)
        end = self.now - datetime.timedelta(hours=2)
        created = _between(rng, start, end - (end - start) / 4)
        planned = Planned(
            campaign=campaign,
            category=category,
            node=node,
            teacher=teacher,
            title=node.name,
            description=self._description(node, category),
            periods=periods,
            state=DRAFT,
            created=created,
            updated=created,
            requirements=requirements,
        )
        return planned

    # --- state, materials and history --------------------------------------------------

    def _plan_state(self, p: Planned, forced: str | None) -> None:
        rng = self.rng
        state = forced or rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()))[0]
        showcase = state == SHOWCASE
        if showcase and p.category.max_periods > 1:
            p.periods = 2  # two videos: one failed, one still being checked
        end = self.now - datetime.timedelta(hours=1)
        p.events.append(("", DRAFT, p.created, ""))
        was_submitted = state == SUBMITTED or (state == WITHDRAWN and rng.random() < 0.6)
        reopened = state == DRAFT and not forced and rng.random() < 0.1
        if showcase:
            p.materials = self._materials(p, "showcase")
        elif was_submitted or reopened:
            p.materials = self._materials(p, "complete")
            if p.materials is None:  # no file of ours passes this category's hard rules
                was_submitted = reopened = False
        if not showcase and not (was_submitted or reopened):
            p.materials = self._materials(p, "partial", pending=state == DRAFT)

        if was_submitted or reopened:
            p.submitted = _between(rng, p.created + datetime.timedelta(hours=2), end)
            p.originality = _between(rng, p.created, p.submitted)
            _spread(rng, p.materials, p.created, p.originality)
            p.events.append((DRAFT, SUBMITTED, p.submitted, ""))
            p.updated = p.submitted
            p.state = SUBMITTED
            if state == WITHDRAWN or reopened:
                at = _between(rng, p.submitted, end)
                to = WITHDRAWN if state == WITHDRAWN else DRAFT
                note = rng.choice(WITHDRAW_REASONS) if to == WITHDRAWN else ""
                p.events.append((SUBMITTED, to, at, note))
                p.state, p.updated = to, at
            return
        p.updated = _between(rng, p.created + datetime.timedelta(minutes=30), end)
        _spread(rng, p.materials, p.created, p.updated)
        if showcase or rng.random() < 0.4:
            p.originality = _between(rng, p.created, p.updated)
        if state == WITHDRAWN:
            p.events.append((DRAFT, WITHDRAWN, p.updated, rng.choice(WITHDRAW_REASONS)))
            p.state = WITHDRAWN
            return
        pending = [
            m for m in p.materials if m.check_state in (CheckState.QUEUED, CheckState.PROCESSING)
        ]
        if pending:  # a file is being checked: the teacher uploaded it minutes ago
            p.updated = self.now - datetime.timedelta(minutes=rng.randint(2, 20))
            for material in pending:
                material.at = p.updated - datetime.timedelta(seconds=rng.randint(5, 90))

    def _materials(
        self, p: Planned, mode: str, *, pending: bool = False
    ) -> list[PlannedMaterial] | None:
        rng = self.rng
        fill = rng.random()
        chosen: list[PlannedMaterial] = []
        slots = [
            (requirement, period)
            for requirement in p.requirements
            for period in range(1, (p.periods if requirement.per_period else 1) + 1)
        ]
        for requirement, period in slots:
            must = requirement.required and not requirement.required_from_level
            video = requirement.kind == MaterialKind.VIDEO
            if mode == "complete":
                ready = self._ready_videos(requirement) if video else ["pdf"]
                if not ready:
                    if must:
                        return None
                    continue
                if not must and rng.random() < 0.5:
                    continue
                chosen.append(self._material(p, requirement, period, ready))
            elif mode == "showcase" or rng.random() < fill:
                options = list(DRAFT_VIDEOS) if video else ["pdf"]
                chosen.append(
                    self._material(p, requirement, period, options, draft=True, pending=pending)
                )
        if mode == "showcase":
            self._showcase(chosen)
        return chosen

    def _ready_videos(self, requirement) -> list[str]:
        return [
            key
            for key in READY_VIDEOS
            if self.files.outcome(requirement, key).state != AssetState.FAILED
        ]

    def _material(
        self, p, requirement, period, options, *, draft=False, pending=False
    ) -> PlannedMaterial:
        rng = self.rng
        suffix = f"_第{period}课时" if requirement.per_period else ""
        stem = clean_filename(f"{p.node.name}_{requirement.name}{suffix}") or requirement.name
        if requirement.kind == MaterialKind.VIDEO:
            weights = [DRAFT_VIDEOS[key] for key in options]
            key = rng.choices(options, weights)[0]
            planned = self._video(requirement, period, key, f"{stem}.mp4")
        else:
            stored = self.files.document(requirement.name)
            planned = PlannedMaterial(
                requirement,
                period,
                stored,
                f"{stem}.pdf",
                CheckState.PASSED,
                {"state": AssetState.PASSED},
            )
            others = [e for e in requirement.extensions if e != "pdf"]
            if draft and others and rng.random() < RENAMED_SHARE:
                # A PDF renamed to .docx: the content check refuses it, as it should.
                planned.filename = f"{stem}.{others[-1]}"
                problem = content_problem(_unsaved(requirement, planned))
                planned.check_state = CheckState.FAILED
                planned.asset = {"state": AssetState.FAILED, "error": problem}
        if pending and rng.random() < PENDING_SHARE:
            video = requirement.kind == MaterialKind.VIDEO
            _pending(planned, processing=video and rng.random() < 0.5)
        return planned

    def _video(self, requirement, period, key: str, filename: str) -> PlannedMaterial:
        video = self.files.videos[key]
        outcome = self.files.outcome(requirement, key)
        result = video.probe
        asset = {
            "state": outcome.state,
            "container": result.container,
            "video_codec": result.video_codec,
            "audio_codec": result.audio_codec or "",
            "width": result.width,
            "height": result.height,
            "display_aspect_ratio": result.display_aspect_ratio,
            "video_bitrate": result.video_bitrate,
            "audio_bitrate": result.audio_bitrate,
            "has_audio": result.has_audio,
            "frame_rate": Decimal(str(round(result.frame_rate, 3))),
            "duration_seconds": Decimal(str(round(result.duration_seconds, 3))),
            "checks": outcome.checks,
            "poster": video.poster,
            "attempts": 1,
        }
        if outcome.state != AssetState.FAILED:
            asset["rendition"] = self.files.rendition(key)
            asset["hls_master"], asset["hls_heights"] = self.files.ladder(key)
        return PlannedMaterial(requirement, period, video, filename, outcome.state, asset)

    def _showcase(self, chosen: list[PlannedMaterial]) -> None:
        """The demo teacher's draft shows every check state: a failed and a still-running
        video, a passed, a refused and a queued document."""
        videos = [m for m in chosen if m.requirement.kind == MaterialKind.VIDEO]
        documents = [m for m in chosen if m.requirement.kind != MaterialKind.VIDEO]
        if videos:
            first = videos[0]
            failing = [
                key
                for key in DRAFT_VIDEOS
                if self.files.outcome(first.requirement, key).state == AssetState.FAILED
            ]
            replaced = self._video(first.requirement, first.period, failing[0], first.filename)
            chosen[chosen.index(first)] = replaced
        if len(videos) > 1:
            _pending(videos[-1], processing=True)
        if documents:
            _pending(documents[-1], processing=False)
        renamed = documents[1] if len(documents) > 2 else None
        others = [e for e in renamed.requirement.extensions if e != "pdf"] if renamed else []
        if others:
            renamed.filename = renamed.filename.rsplit(".", 1)[0] + "." + others[-1]
            renamed.check_state = CheckState.FAILED
            renamed.asset = {
                "state": AssetState.FAILED,
                "error": content_problem(_unsaved(renamed.requirement, renamed)),
            }

    # --- words -------------------------------------------------------------------------

    def _description(self, node: CourseNode, category) -> str:
        rng = self.rng
        if rng.random() < 0.08:
            return ""
        words = {
            "lesson": node.name,
            "subject": self.catalog.ancestor(node, NodeLevel.SUBJECT),
            "edition": self.catalog.ancestor(node, NodeLevel.EDITION),
            "volume": self.catalog.ancestor(node, NodeLevel.VOLUME),
            "unit": self.catalog.ancestor(node, NodeLevel.UNIT),
            "tool": rng.choice(TOOLS),
            "steps": rng.choice(("三", "四", "五")),
        }
        text = rng.choice(DESCRIPTIONS).format(**words)
        if rng.random() < 0.5:
            text += rng.choice(CLOSINGS).format(**words)
        return text

    def _plan_extras(self, p: Planned) -> None:
        rng = self.rng
        if rng.random() < 0.35:
            words = {
                "subject": self.catalog.ancestor(p.node, NodeLevel.SUBJECT),
                "edition": self.catalog.ancestor(p.node, NodeLevel.EDITION),
                "volume": self.catalog.ancestor(p.node, NodeLevel.VOLUME),
            }
            for source, author, note in rng.sample(CITATIONS, rng.randint(1, 2)):
                p.citations.append((source.format(**words), author.format(**words), note))
        colleagues = [t for t in self.by_unit[p.teacher.unit_id] if t != p.teacher]
        if colleagues and rng.random() < 0.2:
            count = min(len(colleagues), rng.randint(1, 2))
            p.coauthors = [t.pk for t in rng.sample(colleagues, count)]


def _unsaved(requirement, planned: PlannedMaterial) -> Material:
    upload = Upload(filename=planned.filename, content_type=planned.file.content_type)
    return Material(requirement=requirement, upload=upload)


def _pending(material: PlannedMaterial, *, processing) -> None:
    """The check has not finished: no result yet (processing: the video job has started)."""
    if processing:
        material.check_state = CheckState.PROCESSING
        material.asset = {"state": AssetState.PROCESSING, "attempts": 1}
    else:
        material.check_state = CheckState.QUEUED
        material.asset = None


def _between(rng, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.random()


def _spread(rng, materials, start, end) -> None:
    """Upload times between ``start`` and ``end`` (ten minutes before: checks take a while)."""
    end = max(start, end - datetime.timedelta(minutes=10))
    for material in materials or ():
        if material.at is None:
            material.at = _between(rng, start, end)


# --- writing -------------------------------------------------------------------------------


def _write(planned: list[Planned], videos: int, demo: Person | None = None) -> dict[str, int]:
    submissions = [
        Submission(
            campaign=p.campaign,
            category=p.category,
            node=p.node,
            teacher_id=p.teacher.pk,
            unit_id=p.teacher.unit_id,
            title=p.title,
            description=p.description,
            periods=p.periods,
            originality_confirmed_at=p.originality,
            state=p.state,
            submitted_at=p.submitted,
        )
        for p in planned
    ]
    Submission.objects.bulk_create(submissions, batch_size=500)
    for submission, p in zip(submissions, planned, strict=True):
        submission.created_at, submission.updated_at = p.created, p.updated
    _restamp(submissions, ["created_at", "updated_at"])

    uploads, materials, assets = [], [], []
    for submission, p in zip(submissions, planned, strict=True):
        for m in p.materials:
            upload = Upload(
                owner_id=p.teacher.pk,
                purpose=PURPOSE,
                filename=m.filename,
                length=m.file.length,
                offset=m.file.length,
                content_type=m.file.content_type,
                sha256=m.file.sha256,
                storage_name=m.file.name,
                state=UploadState.COMPLETE,
                metadata={
                    "purpose": PURPOSE,
                    "filename": m.filename,
                    "submission": str(submission.pk),
                    "requirement": str(m.requirement.pk),
                    "period": str(m.period),
                },
                completed_at=m.at,
            )
            uploads.append(upload)
            materials.append(
                Material(
                    submission=submission,
                    requirement=m.requirement,
                    period=m.period,
                    upload=upload,
                    check_state=m.check_state,
                )
            )
            if m.asset is not None:
                assets.append(MediaAsset(upload=upload, **m.asset))
    Upload.objects.bulk_create(uploads, batch_size=500)
    attached = [m for p in planned for m in p.materials]
    for upload, m in zip(uploads, attached, strict=True):
        # Sending even a small file takes a moment on a school connection.
        upload.created_at = m.at - datetime.timedelta(seconds=30 + m.file.length // 200_000)
        upload.updated_at = m.at
    _restamp(uploads, ["created_at", "updated_at"])
    Material.objects.bulk_create(materials, batch_size=500)
    for material, m in zip(materials, attached, strict=True):
        material.attached_at = m.at
    _restamp(materials, ["attached_at"])
    MediaAsset.objects.bulk_create(assets, batch_size=500)

    events, times = [], []
    for submission, p in zip(submissions, planned, strict=True):
        for from_state, to_state, at, note in p.events:
            events.append(
                SubmissionEvent(
                    submission=submission,
                    actor_id=p.teacher.pk,
                    from_state=from_state,
                    to_state=to_state,
                    note=note,
                )
            )
            times.append(at)
    SubmissionEvent.objects.bulk_create(events, batch_size=500)
    for event, at in zip(events, times, strict=True):
        event.at = at
    _restamp(events, ["at"])
    Citation.objects.bulk_create(
        [
            Citation(submission=s, source=source, author=author, note=note)
            for s, p in zip(submissions, planned, strict=True)
            for source, author, note in p.citations
        ],
        batch_size=500,
    )
    CoAuthor.objects.bulk_create(
        [
            CoAuthor(submission=s, person_id=person, order=order)
            for s, p in zip(submissions, planned, strict=True)
            for order, person in enumerate(p.coauthors)
        ],
        batch_size=500,
    )
    links = _links(list(zip(submissions, planned, strict=True)), demo)
    states = Counter(p.state for p in planned)
    return {
        "material_links": links,
        "submissions": len(planned),
        "submissions_draft": states[DRAFT],
        "submissions_submitted": states[SUBMITTED],
        "submissions_withdrawn": states[WITHDRAWN],
        "materials": len(materials),
        "video_materials": sum(1 for m in attached if m.requirement.kind == MaterialKind.VIDEO),
        "sample_videos": videos,
        "events": len(events),
    }


DEMO_LINK_TITLE = "国家中小学智慧教育平台 · 同步课堂拓展资源"
DEMO_LINK_URL = "https://basic.smartedu.cn/syncClassroom"


def _links(written: list[tuple[Submission, Planned]], demo: Person | None) -> int:
    """Seed 003 lets courseware come as a resource link: give one to the demo teacher's first
    一师一优课 package and to the first submitted one (seen by admins and experts)."""
    chosen: list[tuple[Planned, MaterialRequirement, Submission]] = []
    for submission, p in written:
        requirement = next((r for r in p.requirements if r.accepts_link), None)
        if requirement is None or p.campaign.template_key != TemplateKey.ONE_TEACHER_ONE_LESSON:
            continue
        mine = demo is not None and p.teacher.pk == demo.pk
        first_mine = mine and not any(q.teacher.pk == p.teacher.pk for q, _r, _s in chosen)
        first_submitted = p.state == SUBMITTED and not any(
            q.state == SUBMITTED for q, _r, _s in chosen
        )
        if first_mine or first_submitted:
            chosen.append((p, requirement, submission))
    rows = [
        MaterialLink(
            submission=submission,
            requirement=requirement,
            title=DEMO_LINK_TITLE,
            url=DEMO_LINK_URL,
        )
        for _p, requirement, submission in chosen
    ]
    MaterialLink.objects.bulk_create(rows)
    return len(rows)


def _restamp(objs: list, fields: list[str]) -> None:
    """Write the planned times over the ones ``bulk_create`` stamped on auto_now fields.

    One prepared UPDATE run for every row: ``bulk_update`` builds a CASE per column and
    batch, which costs seconds for a few thousand rows."""
    if not objs:
        return
    meta = type(objs[0])._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    # Only identifiers from the model's own metadata, quoted by the backend; values are bound.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(f"{quote(column.column)} = %s" for column in columns),
        quote(meta.pk.column),
    )
    rows = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns]
        + [meta.pk.get_db_prep_save(obj.pk, connection)]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- demo wording ----------------------------------------------------------------------

TOOLS = ("希沃白板", "平板电脑", "实物投影", "微课视频", "在线测评系统", "思维导图", "虚拟实验")
DESCRIPTIONS = (
    "本课选自{edition}{subject}{volume}{unit}。教学中以问题链驱动，引导学生围绕《{lesson}》"
    "自主探究、合作交流，借助{tool}突破教学重难点。",
    "《{lesson}》是{volume}{unit}的重要内容。本节课从学生的生活经验出发创设情境，设计了"
    "{steps}个层层递进的学习活动，并利用{tool}即时反馈学习效果。",
    "围绕“{lesson}”，本课落实{subject}学科核心素养，采用“情境导入—探究新知—巩固练习—"
    "拓展延伸”的教学流程，课后配套分层作业。",
    "本节课面向{volume}学生，以《{lesson}》为载体，通过小组合作和展示交流，培养学生的"
    "表达能力与思维品质；{tool}贯穿课堂始终。",
    "结合{edition}教材编排意图，本课把《{lesson}》分为{steps}个环节，注重学生的动手实践"
    "和即时评价，信息技术与学科教学深度融合。",
)
CLOSINGS = (
    "配套学习任务单便于学生课前预习、课后复习。",
    "课堂实录完整呈现了师生互动过程。",
    "本课在校内教研活动中经过两轮试讲和修改。",
    "作业设计分为基础、提高、拓展三个层次。",
)
CITATIONS = (
    ("义务教育{subject}课程标准（2022年版）", "中华人民共和国教育部", "教学目标表述"),
    ("{edition}{subject}{volume}教师教学用书", "{edition}教材编写组", "教材分析部分"),
    ("国家中小学智慧教育平台课程资源", "中央电化教育馆", "导入环节视频片段"),
    ("《中小学数字化教学》", "编辑部", "信息技术应用案例"),
    ("《人民教育》", "人民教育杂志社", "教学设计理念"),
    ("中国大百科全书（第三版）网络版", "中国大百科全书出版社", "拓展阅读材料"),
    ("纪录片《美丽中国》", "中央广播电视总台", "课件中的视频截图"),
)
WITHDRAW_REASONS = (
    "需要重新录制视频，改好后再提交。",
    "与同校老师选题重复，改报其他课题。",
    "教学设计要做较大修改。",
    "学校建议先参加校内试讲再报送。",
    "个人原因，今年暂不参加。",
)

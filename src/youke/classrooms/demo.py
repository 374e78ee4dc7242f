"""Demo 三个课堂 for ``youke demo``: the demo county's current term with two 专递课堂 groups
(past sessions with attendance, one cancelled, one live now), a studio with a demonstration
lesson and its review thread, R16 duty done and missing, and a network course whose lessons
have tiny generated recordings, passed by the research office and the e-learning centre and
so shared into the library as a course of ordered lessons (plus a draft course).

Skipped when the county already has a demo term; everything goes through the domain
functions, as a county, its schools and teachers would do it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from youke.classrooms.domain import masters, network, sessions, timetable
from youke.classrooms.enums import (
    DayOffKind,
    GroupMode,
    LessonKind,
    LessonMode,
    PilotKind,
    StudioRole,
    Verdict,
    ViewPermission,
)
from youke.classrooms.models import Attendance, ClassSession, Term
from youke.core.actor import Actor
from youke.orgs.enums import Role
from youke.orgs.models import Person, RoleGrant, Unit

LIVE_URL = "https://meeting.tencent.com/dm/youke-demo-{}"


def current_term(today: dt.date) -> tuple[str, dt.date, dt.date, list, list]:
    """Name, dates, holidays and make-up days of the semester containing ``today``."""
    if today.month >= 8 or today.month == 1:
        year = today.year if today.month >= 8 else today.year - 1
        holidays = [dt.date(year, 10, d) for d in range(1, 8)] + [dt.date(year + 1, 1, 1)]
        makeups = [(dt.date(year, 9, 27), 0), (dt.date(year, 10, 10), 4)]
        return (
            f"{year}—{year + 1}学年第一学期",
            dt.date(year, 9, 1),
            dt.date(year + 1, 1, 22),
            holidays,
            makeups,
        )
    year = today.year
    holidays = [dt.date(year, 4, 5)] + [dt.date(year, 5, d) for d in range(1, 6)]
    makeups = [(dt.date(year, 4, 26), 3), (dt.date(year, 5, 9), 4)]
    return (
        f"{year - 1}—{year}学年第二学期",
        dt.date(year, 2, 24),
        dt.date(year, 7, 3),
        holidays,
        makeups,
    )


def _teachers(school: Unit, count: int, exclude=()) -> list[Person]:
    ids = RoleGrant.objects.filter(unit=school, role=Role.TEACHER).values("person")
    return list(
        Person.objects.filter(pk__in=ids)
        .exclude(pk__in=[p.pk for p in exclude])
        .order_by("id")[:count]
    )


def build_classrooms(seed: int = 2026, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    rng = random.Random(f"{seed}:classrooms")
    admin = Person.objects.filter(username="county_admin").select_related("unit").first()
    teacher = Person.objects.filter(username="teacher").select_related("unit").first()
    research = Person.objects.filter(username="research").first()
    elearning = Person.objects.filter(username="elearning").first()
    if not (admin and teacher and research and elearning):
        return {}
    county = admin.unit
    name, starts_on, ends_on, holidays, makeups = current_term(timezone.localdate(now))
    if Term.objects.filter(unit=county, name=name).exists():
        return {}
    schools = {u.name: u for u in Unit.objects.filter(path__under=county.path, kind="school")}
    host_a = teacher.unit
    # Primary schools first: the demo groups teach primary subjects.
    others = sorted(
        (u for u in schools.values() if u.pk != host_a.pk),
        key=lambda u: ("小学" not in u.name, u.path),
    )
    if len(others) < 5:
        return {}
    host_b, receiving_a, receiving_b = others[0], others[1:3], others[3:5]

    county_actor = Actor(admin)
    term = timetable.create_term(
        county_actor, county, name=name, starts_on=starts_on, ends_on=ends_on
    )
    for day in holidays:
        if starts_on <= day <= ends_on:
            timetable.add_term_day(
                county_actor, term, date=day, kind=DayOffKind.HOLIDAY, note="法定节假日"
            )
    for day, follows in makeups:
        timetable.add_term_day(
            county_actor,
            term,
            date=day,
            kind=DayOffKind.MAKEUP,
            follows_weekday=follows,
            note="调休上课",
        )

    counts = {"classroom_groups": 0, "classroom_sessions": 0, "classroom_attendance": 0}
    plans = [
        (
            f"{host_a.name}专递课堂",
            GroupMode.SCHOOL_TO_SCHOOLS,
            host_a,
            receiving_a,
            ["英语", "音乐"],
            [
                ("英语", teacher, 0, "08:00", "FREQ=WEEKLY"),
                ("英语", teacher, 2, "10:00", "FREQ=WEEKLY"),
                ("音乐", None, 3, "14:30", "FREQ=WEEKLY"),
            ],
        ),
        (
            f"{host_b.name}专递课堂",
            GroupMode.SCHOOL_TO_SCHOOLS,
            host_b,
            receiving_b,
            ["美术", "科学"],
            [
                ("美术", None, 1, "09:00", "FREQ=WEEKLY"),
                ("科学", None, 4, "10:00", "FREQ=WEEKLY;INTERVAL=2"),
            ],
        ),
    ]
    groups = []
    for index, (title, mode, host, receivers, subjects, periods) in enumerate(plans):
        group = timetable.register_group(
            county_actor,
            county,
            term=term,
            name=title,
            mode=mode,
            host_school=host,
            host_classroom="录播教室",
            subjects=subjects,
        )
        for school in receivers:
            (assistant,) = _teachers(school, 1)
            room = timetable.add_classroom(
                county_actor,
                group,
                school=school,
                name="四年级（1）班",
                students=rng.randint(28, 42),
                assistant=assistant,
            )
            timetable.add_local_period(
                county_actor,
                room,
                weekday=0,
                starts_at=dt.time(9, 0),
                ends_at=dt.time(9, 40),
                subject="语文",
            )
        host_teachers = _teachers(host, 3, exclude=[teacher])
        for number, (subject, who, weekday, start, rule) in enumerate(periods):
            hour, minute = map(int, start.split(":"))
            begin = dt.time(hour, minute)
            end = (dt.datetime.combine(dt.date.today(), begin) + dt.timedelta(minutes=40)).time()
            timetable.save_period(
                county_actor,
                group,
                subject=subject,
                host_teacher=who or host_teachers[number % 3],
                weekday=weekday,
                starts_at=begin,
                ends_at=end,
                rrule=rule,
                live_url=LIVE_URL.format(f"{index}{number}"),
                view_permission=ViewPermission.LOGIN if number else ViewPermission.PUBLIC,
            )
        groups.append(group)
    made = sessions.generate_sessions(
        groups,
        now=timezone.make_aware(dt.datetime.combine(starts_on, dt.time())) - dt.timedelta(days=1),
    )
    counts["classroom_groups"] = len(groups)

    # The past as it happened: hosts marked start and end, assistants recorded attendance.
    past = list(
        ClassSession.objects.filter(group__in=groups, ends_at__lt=now).select_related("period")
    )
    cancelled = past[len(past) // 3] if past else None
    rooms = {g.pk: list(g.classrooms.all()) for g in groups}
    rows = []
    for session in past:
        if session is cancelled:
            continue
        session.started_at = session.starts_at - dt.timedelta(minutes=rng.randint(1, 5))
        session.ended_at = session.ends_at + dt.timedelta(minutes=rng.randint(0, 3))
        for room in rooms[session.group_id]:
            present = room.students - rng.choice((0, 0, 0, 1, 1, 2))
            rows.append(
                Attendance(
                    session=session,
                    classroom=room,
                    expected=room.students,
                    present=present,
                    exercises_done=present - rng.randint(0, 3),
                    questions=rng.choice(("", "", "这个单词怎么读？", "为什么要这样画？")),
                    notes=rng.choice(("", "", "网络稍有卡顿", "一名学生病假")),
                    recorded_by=room.assistant,
                )
            )
    ClassSession.objects.bulk_update(
        [s for s in past if s is not cancelled], ["started_at", "ended_at"], batch_size=500
    )
    Attendance.objects.bulk_create(rows, batch_size=1000)
    if cancelled is not None:
        sessions.cancel_session(
            Actor(cancelled.host_teacher), cancelled, "主讲教师参加市级教研活动"
        )
    # A make-up class running right now, started by the host.
    period = groups[0].periods.filter(host_teacher=teacher).first()
    for minutes in (10, 45, 5):
        begin = (timezone.localtime(now) - dt.timedelta(minutes=minutes)).replace(
            second=0, microsecond=0
        )
        try:
            live = sessions.add_extra_session(
                county_actor,
                period,
                day=begin.date(),
                starts_at=begin.time(),
                reason="补上因教研活动取消的一节英语课",
            )
        except ValidationError:
            continue  # the host teaches a regular class right now; try another start
        sessions.start_session(Actor(teacher), live, now=now)
        break
    counts["classroom_sessions"] = made.created + 1
    counts["classroom_attendance"] = len(rows)
    counts.update(_build_masters(rng, county, term, teacher, research, now))
    counts.update(_build_network(county, admin, research, elearning, others[1]))
    counts.update(_build_work(admin, teacher, groups, now))
    return counts


def _build_work(admin, teacher, groups, now) -> dict[str, int]:
    """A past session's replay (a tiny generated video, processed as the job would), a
    集体备课 in the studio with annotations and a revision, and the county's workload weights."""
    from youke.classrooms.domain import preparation, workload
    from youke.classrooms.models import Studio, StudioMember

    made = {"classroom_replays": int(_build_replay(teacher, groups, now))}
    studio = Studio.objects.filter(host__person=teacher).select_related("host", "unit").first()
    if studio is not None:
        people = {
            m.role: m.person
            for m in StudioMember.objects.filter(studio=studio).select_related("person")
        }
        prep = preparation.start_prep(
            Actor(teacher),
            studio,
            title="五年级英语 Unit 4 阅读课集体备课",
            text="\n".join(
                (
                    "教学目标：能借助图片预测故事情节，读懂并复述故事。",
                    "导入：播放主题歌曲，引出故事人物。",
                    "读前：观察封面，预测故事内容。",
                    "读中：分段阅读，完成信息表。",
                    "读后：小组合作复述故事，听讲学校同步展示。",
                )
            ),
        )
        member, trainee = people.get(StudioRole.MEMBER), people.get(StudioRole.TRAINEE)
        if member is not None:
            preparation.annotate(
                Actor(member), prep, paragraph=3, body="预测环节可以给出两三个选项，降低难度。"
            )
        if trainee is not None:
            preparation.annotate(
                Actor(trainee), prep, paragraph=5, body="听讲学校展示需要提前约定时间。"
            )
            preparation.annotate(Actor(trainee), prep, body="整体环节清晰，建议增加板书设计。")
        preparation.revise(
            Actor(teacher),
            prep,
            text=prep.versions.get().text.replace(
                "观察封面，预测故事内容。", "观察封面，从三个选项中预测故事内容。"
            )
            + "\n板书设计：故事山（开端—发展—高潮—结局）。",
            note="采纳预测选项和板书设计的建议",
        )
        made["classroom_preps"] = 1
    workload.set_weights(
        Actor(admin),
        admin.unit,
        {"host_period": "1", "assisted_session": "0.5", "demo_lesson": "3", "review": "0.5"},
    )
    # The county's rule for training hours (credited once the term has ended).
    from youke.training.domain import workload_rules

    workload_rules.set_rules(
        Actor(admin),
        admin.unit,
        {
            "host_period": ("1", "32"),
            "demo_lesson": ("4", ""),
            "review": ("0.5", "6"),
            "network_lesson": ("2", ""),
        },
    )
    return made


def _demo_video(owner, filename: str, target: dict, *, seconds: float = 1.0):
    """A finished resumable upload (purpose ``classroom_replay``) of a tiny generated video."""
    import hashlib
    import tempfile
    import uuid
    from pathlib import Path

    from django.core.files import File
    from django.core.files.storage import default_storage

    from youke.classrooms.domain import replays
    from youke.media.enums import UploadState
    from youke.media.models import Upload
    from youke.media.processing.samples import make_video

    with tempfile.TemporaryDirectory(prefix="youke-replay-") as folder:
        path = make_video(Path(folder) / "replay.mp4", width=320, height=180, seconds=seconds)
        data = path.read_bytes()
        with open(path, "rb") as handle:
            name = default_storage.save(f"demo/replays/{uuid.uuid4().hex}.mp4", File(handle))
    return Upload.objects.create(
        owner=owner,
        purpose=replays.PURPOSE,
        filename=filename,
        length=len(data),
        offset=len(data),
        content_type="video/mp4",
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=name,
        state=UploadState.COMPLETE,
        metadata={"purpose": replays.PURPOSE, "filename": filename, **target},
        completed_at=timezone.now(),
    )


def _build_replay(teacher, groups, now) -> bool:
    """The replay of the host teacher's latest past session: a 2-second 320×180 video."""
    from youke.classrooms.domain import replays

    session = (
        ClassSession.objects.filter(
            group__in=groups, host_teacher=teacher, ended_at__lt=now, cancelled_at__isnull=True
        )
        .select_related("group__host_school", "group__unit")
        .order_by("-starts_at")
        .first()
    )
    if session is None:
        return False
    filename = f"{session.period.subject}{session.date:%m%d}回放.mp4"
    upload = _demo_video(teacher, filename, {"session": str(session.pk)}, seconds=2.0)
    replays.attach_replay(Actor(teacher), session, upload, queue=False)
    replays.process_replay(str(upload.pk), ladder_now=True)
    return True


def _build_masters(rng, county, term, teacher, research, now) -> dict[str, int]:
    actor = Actor(research)
    candidates = list(
        Person.objects.filter(
            unit__path__under=county.path,
            title__in=["special_grade", "provincial_leader", "city_leader", "master"],
        )
        .exclude(pk=teacher.pk)
        .select_related("unit")
        .order_by("id")[:5]
    )
    registry = [
        masters.register_master(actor, county, teacher, title=teacher.title, subject="英语")
    ]
    subjects = ["数学", "语文", "科学", "美术", "音乐"]
    for person, subject in zip(candidates, subjects, strict=False):
        registry.append(
            masters.register_master(actor, county, person, title=person.title, subject=subject)
        )
    host = registry[0]
    studio = masters.create_studio(
        actor, host, name=f"{teacher.full_name}小学英语名师工作室", subject="英语"
    )
    colleagues = _teachers(teacher.unit, 6, exclude=[teacher])
    for index, person in enumerate(colleagues):
        masters.add_studio_member(
            actor, studio, person, role=StudioRole.MEMBER if index < 3 else StudioRole.TRAINEE
        )
    start = max(
        timezone.make_aware(
            dt.datetime.combine(term.starts_on + dt.timedelta(days=30), dt.time(14, 30))
        ),
        now - dt.timedelta(days=20),
    )
    start = min(start, now - dt.timedelta(days=2))
    lesson = masters.schedule_lesson(
        Actor(teacher),
        host,
        studio=studio,
        title="小学英语绘本阅读：The Very Hungry Caterpillar",
        kind=LessonKind.DEMONSTRATION,
        mode=LessonMode.LIVE,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=40),
        live_url="https://replay.example.cn/youke/demo-lesson",
    )
    remarks = [
        (
            "目标聚焦阅读策略，可测可评。",
            "预测—验证的环节推进自然。",
            "小组朗读全员参与。",
            "电子白板翻页与动画配合得当。",
            5,
        ),
        (
            "语言目标与思维目标兼顾。",
            "读后活动时间稍紧。",
            "后排学生发言偏少。",
            "专递课堂两端互动顺畅。",
            4,
        ),
        (
            "目标明确。",
            "板书清晰，层次分明。",
            "听讲学校学生也能参与问答。",
            "可增加听讲端的实时反馈工具。",
            4,
        ),
    ]
    for person, (goals, process, engagement, technology, rating) in zip(
        colleagues, remarks, strict=False
    ):
        masters.register_for_lesson(Actor(person), lesson)
        masters.evaluate_lesson(
            Actor(person),
            lesson,
            goals=goals,
            process=process,
            engagement=engagement,
            technology=technology,
            rating=rating,
        )
    first = masters.post_discussion(
        Actor(colleagues[0]), lesson, "绘本导入很吸引学生，听讲学校的孩子反应也很积极。"
    )
    masters.post_discussion(
        Actor(teacher), lesson, "谢谢，听讲端的互动是下次要继续加强的。", reply_to=first
    )
    masters.post_discussion(Actor(colleagues[3]), lesson, "想请教一下预测环节的提问是怎样设计的？")
    masters.summarise_lesson(
        Actor(teacher),
        lesson,
        "本次示范课围绕“预测—验证”的阅读策略展开。评课集中在两点：读后活动时间偏紧，听讲端反馈工具可再丰富。下次将压缩导入环节，并试用答题器收集听讲学校的反馈。",
    )
    # A second master scheduled a lesson nobody has reviewed yet: the duty is still open.
    if len(registry) > 1:
        other = registry[1]
        begin = now + dt.timedelta(days=7)
        masters.schedule_lesson(
            Actor(other.person),
            other,
            title=f"{other.subject}公开课：单元整体教学",
            kind=LessonKind.OPEN,
            mode=LessonMode.LIVE,
            starts_at=begin,
            ends_at=begin + dt.timedelta(minutes=40),
        )
    return {"master_teachers": len(registry), "demo_lessons": 1 + (len(registry) > 1)}


def _build_network(county, admin, research, elearning, school) -> dict[str, int]:
    from youke.classrooms import signals
    from youke.classrooms.domain import replays
    from youke.classrooms.models import NetworkCourse

    pilot = network.register_pilot(Actor(admin), county, school, kind=PilotKind.PILOT)
    school_admin = (
        Person.objects.filter(
            pk__in=RoleGrant.objects.filter(unit=school, role=Role.UNIT_ADMIN).values("person")
        ).first()
        or admin
    )
    actor = Actor(school_admin)
    course = network.create_course(
        actor, pilot, title="小学科学：身边的物质", subject="科学", grade="五年级"
    )
    teachers = _teachers(school, 3)
    for order, title in enumerate(("水的三态变化", "溶解与过滤", "物质的变化"), start=1):
        teacher = teachers[(order - 1) % len(teachers)]
        lesson = network.add_planned_lesson(
            actor,
            course,
            title=title,
            teacher=teacher,
            planned_on=dt.date.today() - dt.timedelta(days=40 - 10 * order),
        )
        # The teacher's recording: a 1-second 320×180 video, processed as the job would.
        upload = _demo_video(teacher, f"{title}.mp4", {"planned_lesson": str(lesson.pk)})
        replays.attach_replay(Actor(teacher), lesson, upload, queue=False)
        replays.process_replay(str(upload.pk), ladder_now=True)
    network.submit_course(actor, course)
    network.review_course(
        Actor(research), course, verdict=Verdict.PASS, comment="内容准确，符合课程标准。"
    )
    network.review_course(
        Actor(elearning), course, verdict=Verdict.PASS, comment="音画同步，画质清晰。"
    )
    # The demo is one transaction, so the after-commit event would reach the library only at
    # the end; deliver it now so the summary and the rest of the build see the library course
    # (publishing again at commit updates the same records).
    signals.network_course_shared.send(sender=NetworkCourse, course_id=course.pk, actor=actor)
    draft = network.create_course(
        actor, pilot, title="小学数学：图形与几何", subject="数学", grade="四年级"
    )
    network.add_planned_lesson(
        actor,
        draft,
        title="平行与垂直",
        teacher=teachers[0],
        planned_on=dt.date.today() + dt.timedelta(days=14),
    )
    return {"network_courses": 2, "network_recordings": 3}

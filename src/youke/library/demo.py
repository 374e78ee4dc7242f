"""Demo library: the demo's awarded lessons published with their teachers' consent, and a
few hundred generated lessons across the catalog with views, downloads, likes and ratings;
comments (some waiting for moderation), a sensitive-word list, the demo teacher's favourites
and watch history, and one problem report.

Called from ``youke demo`` after the selection and certificate demos. Generated lessons
reuse the files of the published demo lessons (a library file points at an upload), so their
pages play and preview like real ones. Idempotent: nothing happens when lessons exist.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.library.domain import cache_version, consent, publishing, segment, words
from youke.library.enums import CommentState, LessonState, ReportKind, WordAction
from youke.library.models import (
    LessonComment,
    LessonFavourite,
    LessonRating,
    LibraryFile,
    LibraryLesson,
    SensitiveWord,
    WatchHistory,
)
from youke.orgs.enums import UnitKind
from youke.orgs.models import Person, Unit
from youke.selection.models import Award

GENERATED = 300
SCHOOL_NAMES_LIMIT = 60
CATEGORIES = ("课堂实录", "微课", "实验探究课", "复习课")
DESCRIPTIONS = (
    "以生活情境导入，引导学生自主探究{t}，在合作交流中归纳方法，课堂练习分层设计。",
    "围绕“{t}”设计学习任务单，借助信息技术直观演示，帮助学生突破重难点。",
    "本课通过动手操作与小组讨论学习{t}，注重核心素养的培养和学习方法的迁移。",
    "结合教材例题讲解{t}，设计梯度练习与拓展作业，落实“双减”要求。",
)
AWARD_LEVELS = (
    ("county", 2, "县级初选", "优秀"),
    ("city", 3, "市级遴选", "一等奖"),
    ("province", 4, "省级遴选", "省级优课"),
    ("ministry", 5, "部级遴选", "部级优课"),
)


def _admin() -> Person | None:
    return Person.objects.filter(is_platform_admin=True).order_by("pk").first()


def publish_awarded() -> int:
    """Every active award of the demo: the teacher consents, the library publishes it."""
    admin = _admin()
    published = 0
    awards = (
        Award.objects.filter(revoked_at__isnull=True)
        .select_related(
            "entry__unit",
            "entry__submission__teacher",
            "entry__submission__unit",
            "entry__submission__campaign",
            "entry__submission__category",
            "entry__submission__node",
        )
        .order_by("-level__order", "pk")
    )
    seen = set()
    for award in awards:
        submission = award.entry.submission
        if submission.pk in seen:
            continue
        seen.add(submission.pk)
        if consent.current_consent(submission) is None:
            consent.accept(
                Actor(submission.teacher), submission, show_author=submission.pk % 7 != 0
            )
        actor = Actor(admin or award.awarded_by)
        publishing.publish_award(actor, award)
        published += 1
    return published


def generate(rng: random.Random, count: int = GENERATED) -> int:
    """Library lessons on random lesson nodes of the catalog, as earlier years left them."""
    nodes = list(CourseNode.objects.filter(level=NodeLevel.LESSON, is_active=True).order_by("path"))
    if not nodes:
        return 0
    schools = list(Unit.objects.filter(kind=UnitKind.SCHOOL).order_by("path")[:SCHOOL_NAMES_LIMIT])
    teachers = list(Person.objects.filter(unit__kind=UnitKind.SCHOOL).order_by("pk")[:200])
    publisher = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("path").first() or schools[0]
    files = list(LibraryFile.objects.select_related("upload").order_by("lesson_id", "order")[:12])
    this_year = timezone.localdate().year
    now = timezone.now()
    trails: dict[int, dict] = {}
    lessons = []
    for i in range(count):
        node = rng.choice(nodes)
        if node.pk not in trails:
            trails[node.pk] = publishing.node_columns(node)
        columns = trails[node.pk]
        teacher = rng.choice(teachers) if teachers else None
        school = teacher.unit if teacher is not None else rng.choice(schools)
        title = node.name.split(" ", 1)[-1]
        description = rng.choice(DESCRIPTIONS).format(t=title)
        category = rng.choice(CATEGORIES)
        level_key, order, level_name, grade = rng.choices(AWARD_LEVELS, weights=(5, 4, 2, 1))[0]
        year = this_year - rng.choice((0, 1, 1, 2, 3, 4))
        teacher_name = teacher.full_name if teacher is not None else ""
        views = int(rng.paretovariate(1.3) * 40)
        lessons.append(
            LibraryLesson(
                publishing_unit=publisher,
                school=school,
                teacher=teacher,
                teacher_name=teacher_name,
                school_name=school.name,
                title=title,
                description=description,
                category_name=category,
                year=year,
                award_level=level_key,
                award_order=order,
                awards=[{"level": level_name, "grade": grade}],
                state=LessonState.PUBLISHED,
                published_at=now
                - datetime.timedelta(
                    days=(this_year - year) * 365 + rng.randint(0, 300), minutes=i
                ),
                views=views,
                visitors=int(views * rng.uniform(0.5, 0.9)),
                downloads=int(views * rng.uniform(0.02, 0.2)),
                likes=int(views * rng.uniform(0.01, 0.1)),
                **columns,
                **publishing.search_columns(
                    title, description, columns["node_trail"], category, teacher_name, school.name
                ),
            )
        )
    with transaction.atomic():
        created = LibraryLesson.objects.bulk_create(lessons, batch_size=200)
        if files:
            LibraryFile.objects.bulk_create(
                [
                    LibraryFile(
                        lesson=lesson,
                        kind=f.kind,
                        label=f.label,
                        period=f.period,
                        order=f.order,
                        upload=f.upload,
                    )
                    for lesson in created
                    for f in files
                    if f.lesson_id == files[0].lesson_id
                ],
                batch_size=500,
            )
        _rate(rng, created, teachers)
    return len(created)


def _rate(rng: random.Random, lessons: list[LibraryLesson], people: list[Person]) -> None:
    """Ratings by demo teachers (most lessons get a handful), totals kept on the lessons."""
    if not people:
        return
    ratings = []
    for lesson in lessons:
        for person in rng.sample(people, k=min(len(people), rng.choice((0, 2, 3, 5, 8)))):
            ratings.append(
                LessonRating(
                    lesson=lesson,
                    person=person,
                    stars=rng.choices((3, 4, 5, 2), weights=(3, 5, 4, 1))[0],
                )
            )
    LessonRating.objects.bulk_create(ratings, batch_size=1000)
    totals = (
        LessonRating.objects.filter(lesson__in=lessons)
        .values("lesson_id")
        .annotate(n=Count("id"), s=Sum("stars"))
    )
    rows = {row["lesson_id"]: row for row in totals}
    for lesson in lessons:
        row = rows.get(lesson.pk)
        if row:
            lesson.rating_count, lesson.rating_sum = row["n"], row["s"]
            lesson.rating_avg = round(row["s"] / row["n"], 3)
    LibraryLesson.objects.bulk_update(
        lessons, ["rating_count", "rating_sum", "rating_avg"], batch_size=500
    )


DEMO_WORDS = (
    ("代写", WordAction.BLOCK),
    ("刷单", WordAction.BLOCK),
    ("赌博", WordAction.BLOCK),
    ("加微信", WordAction.REVIEW),
    ("QQ群", WordAction.REVIEW),
)
COMMENTS = (
    "导入很自然，学生参与度高，值得学习。",
    "板书设计清晰，重难点突出。",
    "小组合作环节组织得很好，时间把控也到位。",
    "练习设计有梯度，适合不同层次的学生。",
    "请问课件可以分享吗？想在自己班上试一试。",
    "信息技术用得恰到好处，没有喧宾夺主。",
    "结尾的拓展问题很有启发性。",
    "语速稍快，个别地方学生可能跟不上。",
)


def build_engagement(rng: random.Random, teacher_username: str = "teacher") -> dict[str, int]:
    """Sensitive words, comments (some pending for moderation), the demo teacher's
    favourites and watch history, and one problem report for the admins to answer."""
    from youke.library.domain import history, reports

    province = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("path").first()
    if province is None:
        return {}
    SensitiveWord.objects.bulk_create(
        [
            SensitiveWord(unit=province, word=w, normalised=words.normalise(w), action=a)
            for w, a in DEMO_WORDS
        ],
        ignore_conflicts=True,
    )
    people = list(Person.objects.filter(unit__kind=UnitKind.SCHOOL).order_by("pk")[:60])
    teacher = Person.objects.filter(username=teacher_username).first() or (
        people[0] if people else None
    )
    shelf = list(LibraryLesson.objects.filter(state=LessonState.PUBLISHED).order_by("-views")[:60])
    if not people or teacher is None or not shelf:
        return {}
    now = timezone.now()
    rows = []
    for lesson in shelf:
        for person in rng.sample(people, k=min(len(people), rng.choice((0, 1, 2, 3, 4)))):
            pending = rng.random() < 0.2
            rows.append(
                LessonComment(
                    lesson=lesson,
                    author=person,
                    body=rng.choice(COMMENTS),
                    state=CommentState.PENDING if pending else CommentState.PUBLISHED,
                    moderated_at=None if pending else now,
                )
            )
    LessonComment.objects.bulk_create(rows, batch_size=500)
    favourite_rows = [LessonFavourite(lesson=lesson, person=teacher) for lesson in shelf[:8]]
    favourite_rows += [
        LessonFavourite(lesson=lesson, person=person)
        for lesson in shelf[:30]
        for person in rng.sample(people, k=min(len(people), rng.choice((0, 1, 3, 6))))
        if person.pk != teacher.pk
    ]
    LessonFavourite.objects.bulk_create(favourite_rows, ignore_conflicts=True)
    watched = []
    for n, lesson in enumerate(shelf[2:8]):
        duration = history.lesson_duration(lesson.pk)
        seen = int(duration * rng.uniform(0.1, 1.0)) if duration else 0
        watched.append(
            WatchHistory(
                lesson=lesson,
                person=teacher,
                last_position=float(min(seen, duration)),
                seconds_watched=seen,
                duration_seconds=duration,
                last_watched_at=now - datetime.timedelta(hours=5 * n + 1),
            )
        )
    WatchHistory.objects.bulk_create(watched, ignore_conflicts=True)
    for lesson in shelf:
        lesson.comments = sum(
            1 for r in rows if r.lesson_id == lesson.pk and r.state == CommentState.PUBLISHED
        )
        lesson.favourites = LessonFavourite.objects.filter(lesson=lesson).count()
    LibraryLesson.objects.bulk_update(shelf, ["comments", "favourites"], batch_size=200)
    reported = shelf[min(3, len(shelf) - 1)]
    reports.report_problem(
        Actor(teacher),
        reported,
        ReportKind.PLAYBACK,
        "第一课时视频播放到 12 分钟左右卡住，刷新后仍然无法继续。",
    )
    return {
        "library_comments": len(rows),
        "library_comments_pending": sum(1 for r in rows if r.state == CommentState.PENDING),
        "library_favourites": len(favourite_rows),
        "library_history": len(watched),
        "library_reports": 1,
    }


def build_library(seed: int = 2026, count: int = GENERATED) -> dict[str, int]:
    if LibraryLesson.objects.exists():
        return {}
    segment.ensure_dictionary()
    published = publish_awarded()
    generated = generate(random.Random(seed), count)
    engagement = build_engagement(random.Random(seed + 1))
    cache_version.bump()
    return {"library_published": published, "library_generated": generated, **engagement}

"""Demo action-plan ledger: the seed 004 programme (基础教育课程教学改革深化行动) of the
demo city 青山市 with its three stages, its working group, the nine task areas of the plan
and tasks in every status, some overdue and some due within the week, with progress notes.

The year's year-end report goes out to the responsible units, with units filed, one
returned and one typical case recommended to the province.

Dates are relative to the day the demo is loaded, so the ledger always has work due.
Everything goes through the domain functions as an admin would; does nothing once the city
has a programme.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from youke.collections.domain import returns
from youke.collections.models import CollectionReturn
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.orgs.enums import Role
from youke.orgs.models import Person, Unit
from youke.programmes.domain import cases, programmes, tasks, yearend
from youke.programmes.enums import RosterRole, TaskStatus
from youke.programmes.models import Programme

CITY_CODE = "990100"
NAME = "青山市基础教育课程教学改革深化行动"

# (area, [(title, lead department, responsible unit keys, deadline offset in days, status)])
# Unit keys: "east" 东湖区, "south" 南屏区, "west" 西岭县, "school" the demo primary school.
D, P, C, S = (
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETED,
    TaskStatus.PAUSED,
)
AREAS = (
    (
        "转变教育理念",
        [("树立科学的教育质量观，严禁下达升学指标", "教育科", ("east", "south", "west"), -200, C)],
    ),
    (
        "规范课程教材管理",
        [
            ("开齐开足开好国家规定课程，核查教材使用", "教育科", ("east", "west"), -30, P),
            ("制定普通高中新课程实施方案", "教育科", ("south",), 5, P),
        ],
    ),
    (
        "推动义务教育新课标落实",
        [
            ("尚未执行新课标的学校制定实施方案并报审定", "教师进修学校", ("school",), -10, D),
            (
                "开展义务教育课程方案和课程标准（2022年版）培训",
                "教师进修学校",
                ("east", "south", "west"),
                60,
                P,
            ),
        ],
    ),
    (
        "深化课堂教学改革",
        [("开展研究型、项目化、合作式学习试点", "教师进修学校", ("east", "school"), 3, D)],
    ),
    (
        "加强智慧学校建设",
        [("创新“三个课堂”应用实施，实现资源平台互联互通", "教育科", ("west",), 120, S)],
    ),
    (
        "加强教学管理",
        [
            (
                "落实“五项管理”“双减”政策，完善集体备课制度",
                "教育科",
                ("east", "south", "west"),
                -60,
                C,
            ),
            ("定期开展课堂教学质量评价", "教师进修学校", ("school",), 200, D),
        ],
    ),
    (
        "深化普通高中“三新”改革",
        [("组织新课程新教材示范校观摩学习和选课走班专题培训", "教育科", ("south", "west"), -3, P)],
    ),
    (
        "加强基础教育课题研究",
        [("推进“三优一树”课题研究，推广STEM教育行动计划", "教师进修学校", ("east",), 300, D)],
    ),
    (
        "培养中小学生创新精神",
        [
            (
                "加强科学教育和实验教学指导，组织参加科技竞赛",
                "校外教育指导中心",
                ("east", "west"),
                90,
                C,
            )
        ],
    ),
)
ROSTER = (
    (RosterRole.LEADER, "周明远", "市教育局", "局长", "0961-2810001"),
    (RosterRole.DEPUTY, "郑慧敏", "市教育局", "副局长", "0961-2810002"),
    (RosterRole.MEMBER, "孙立平", "教育科", "科长", "0961-2810015"),
    (RosterRole.MEMBER, "吴晓东", "校外教育指导中心", "主任", "0961-2810031"),
    (RosterRole.MEMBER, "冯雅琴", "教师进修学校", "校长", "0961-2810042"),
)
NOTES = {
    P: [
        (-40, "已召开专题部署会，印发工作方案，明确责任人和时间节点。", 30),
        (-8, "完成辖区学校自查，正在汇总问题清单并督促整改。", 60),
    ],
    C: [(-70, "各校完成自查整改，形成总结材料报教育科。", 100)],
    S: [(-20, "受平台升级影响，按市局要求暂缓推进。", 20)],
}


def _admin_of(unit: Unit) -> Person | None:
    return (
        Person.objects.filter(grants__unit=unit, grants__role=Role.UNIT_ADMIN, is_active=True)
        .order_by("id")
        .first()
    )


def build_programmes(school_admin_username: str) -> dict[str, int]:
    city = Unit.objects.filter(code=CITY_CODE).first()
    if city is None or Programme.objects.filter(owner_unit=city).exists():
        return {}
    owner = _admin_of(city)
    counties = list(
        Unit.objects.filter(path__under=city.path, depth=city.depth + 1).order_by("code")
    )
    school_admin = Person.objects.filter(username=school_admin_username).first()
    school = school_admin.unit if school_admin else None
    if owner is None or len(counties) < 3 or school is None:
        return {}
    units = {"east": counties[0], "south": counties[1], "west": counties[2], "school": school}
    actor = Actor(owner)
    today = timezone.localdate()
    start, end = datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 1, 12, 31)
    programme = programmes.create_programme(
        actor,
        owner_unit=city,
        name=NAME,
        doc_number=f"青教发〔{start.year}〕46号",
        description="落实立德树人根本任务，深入推进基础教育课程教学改革，突出核心素养导向和育人效果。"
        "各部门建立工作台账和任务清单，每年年底各单位、学校将工作落实情况报教育科。",
        start_date=start,
        end_date=end,
        stages=[
            programmes.StageInput("动员部署阶段", start, datetime.date(start.year, 6, 30)),
            programmes.StageInput(
                "实施推进阶段", datetime.date(start.year, 7, 1), datetime.date(end.year, 6, 30)
            ),
            programmes.StageInput("总结报告阶段", datetime.date(end.year, 7, 1), end),
        ],
    )
    for role, name, department, position, phone in ROSTER:
        programmes.add_roster_member(
            actor,
            programme,
            role=role,
            name=name,
            department=department,
            position=position,
            phone=phone,
        )
    programmes.add_roster_member(
        actor,
        programme,
        role=RosterRole.MEMBER,
        person=owner,
        department="教育科",
        position="信息管理员",
    )
    made = {"programme_tasks": 0, "programme_notes": 0}
    for area_name, rows in AREAS:
        area = programmes.add_area(actor, programme, name=area_name)
        for title, lead, keys, offset, status in rows:
            task = tasks.create_task(
                actor,
                programme,
                area=area,
                title=title,
                lead_department=lead,
                units=[units[k] for k in keys],
                deadline=today + datetime.timedelta(days=offset),
            )
            made["programme_tasks"] += 1
            reporter = Actor(_admin_of(units[keys[0]]) or owner)
            for days, text, percent in NOTES.get(status, []):
                tasks.add_note(
                    reporter,
                    task,
                    text=text,
                    date=today + datetime.timedelta(days=days),
                    percent=percent,
                )
                made["programme_notes"] += 1
            _move(actor, reporter, task, status)
    made["programmes"] = 1
    made.update(_build_yearend(actor, programme, units, today))
    return made


def _pdf(text: str) -> ContentFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return ContentFile(body, name=f"{text}.pdf")


PERCENTS = (100, 80, 60, 90, 70, 50)


def _build_yearend(owner: Actor, programme, units: dict, today) -> dict[str, int]:
    """The year's 年度进展报告: 东湖区 filed and approved with one entry recommended to the
    province as a typical case, the second county filed and returned, the third filed and
    awaiting review, the school not yet filed; then the consolidated PDF and xlsx."""
    report = yearend.open_report(
        owner, programme, year=today.year, deadline=today + datetime.timedelta(days=20)
    )
    filed = 0
    for key in ("east", "south", "west"):
        admin = _admin_of(units[key])
        if admin is None:
            continue
        unit_actor = Actor(admin)
        collection_return = CollectionReturn.objects.get(task=report.collection, unit=units[key])
        rows = {
            task.pk: {
                "done": f"{units[key].name}按计划推进“{task.title}”，已完成阶段目标。",
                "percent": str(PERCENTS[index % len(PERCENTS)]),
                "problems": "部分学校师资和经费仍有缺口。",
                "next_steps": "明年上半年完成剩余学校的推进，并组织经验交流。",
            }
            for index, task in enumerate(yearend.tasks_for(report, collection_return.unit_id))
        }
        yearend.save_entries(unit_actor, collection_return, rows)
        returns.add_version(unit_actor, collection_return, _pdf(f"yearend-{units[key].code}"))
        filed += 1
        if key == "east":
            returns.approve(owner, collection_return, "内容翔实，予以通过。")
            entry = collection_return.yearend_entries.order_by("task__area__number").first()
            cases.recommend(
                owner,
                report,
                collection_return,
                entry=entry,
                title=f"{units[key].name}：{entry.task.title}",
                reason="措施具体、成效明显，可在全省推广。",
            )
        elif key == "south":
            returns.send_back(
                owner, collection_return, "请补充各项任务的量化数据和佐证材料后重新报送。"
            )
    job = jobs.create_job(
        owner,
        yearend.JOB_KIND,
        unit=programme.owner_unit,
        params={"report": report.pk},
        enqueue=False,
    )
    jobs.run(job.pk)
    return {"yearend_reports": 1, "yearend_filed": filed, "typical_cases": 1}


def _move(owner: Actor, reporter: Actor, task, status: str) -> None:
    """Walk the task to ``status`` as the people involved would."""
    if status == TaskStatus.NOT_STARTED:
        return
    task = tasks.set_task_status(reporter, task, TaskStatus.IN_PROGRESS)
    if status == TaskStatus.COMPLETED:
        tasks.set_task_status(reporter, task, TaskStatus.COMPLETED)
    elif status == TaskStatus.PAUSED:
        tasks.set_task_status(owner, task, TaskStatus.PAUSED, reason="平台升级，暂缓推进")

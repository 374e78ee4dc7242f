"""The demo ledger: nine areas, every status, overdue and due-soon tasks, notes; idempotent."""

from __future__ import annotations

from tests.factories import make_unit
from tests.programmes.conftest import TODAY
from youke.orgs.enums import UnitKind
from youke.programmes.demo import build_programmes
from youke.programmes.domain import tasks
from youke.programmes.enums import TaskStatus
from youke.programmes.models import CaseRecommendation, Programme, Task


def test_demo_programme_has_every_status_and_overdue_tasks(province, today):
    make_unit(province.city, UnitKind.COUNTY, "南屏区", code="990103")
    made = build_programmes("schoola")
    assert made == {
        "programme_tasks": 12,
        "programme_notes": 12,
        "programmes": 1,
        "yearend_reports": 1,
        "yearend_filed": 2,  # 南屏区 has no admin in this tree
        "typical_cases": 1,
    }
    programme = Programme.objects.get()
    assert (programme.owner_unit, programme.stages.count(), programme.roster.count()) == (
        province.city,
        3,
        6,
    )
    assert programme.areas.count() == 9
    statuses = set(Task.objects.values_list("status", flat=True))
    assert statuses == set(TaskStatus.values)
    overdue = sorted(t.title for t in Task.objects.all() if tasks.is_overdue(t, TODAY))
    assert overdue == [
        "尚未执行新课标的学校制定实施方案并报审定",
        "开齐开足开好国家规定课程，核查教材使用",
        "组织新课程新教材示范校观摩学习和选课走班专题培训",
    ]
    assert Task.objects.filter(tasks.due_soon_q(TODAY, 7)).count() == 2
    report = programme.yearend_reports.get()
    states = dict(report.collection.returns.values_list("unit__name", "state"))
    assert states == {
        "东湖区": "approved",
        "西岭县": "returned",
        "南屏区": "pending",
        "东湖区实验小学": "pending",
    }
    case = CaseRecommendation.objects.get()
    assert (case.to_unit, case.state) == (province.province, "pending")
    assert report.pdf and report.xlsx and report.consolidated_at
    assert build_programmes("schoola") == {}

"""Shared fixtures: a small province with two counties, so scope leaks show up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from tests.factories import make_admin, make_person, make_unit
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Person, Unit


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"  # partial uploads live under DATA_DIR/uploads
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.QUEUE_DIR = tmp_path / "queue"
    # Per-process cache: the database cache table would need the db fixture everywhere.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }


@dataclass
class Province:
    ministry: Unit
    province: Unit
    city: Unit
    county_a: Unit
    county_b: Unit
    school_a: Unit
    school_b: Unit
    point_a: Unit
    platform_admin: Person
    province_admin: Person
    city_admin: Person
    county_a_admin: Person
    county_b_admin: Person
    school_a_admin: Person
    teacher_a: Person
    teacher_b: Person
    expert: Person
    research: Person


@pytest.fixture
def province(db) -> Province:
    ministry = make_unit(None, UnitKind.MINISTRY, "教育部", code="100000")
    province = make_unit(ministry, UnitKind.PROVINCE, "示范省", code="990000")
    city = make_unit(province, UnitKind.CITY, "青山市", code="990100")
    county_a = make_unit(city, UnitKind.COUNTY, "东湖区", code="990101")
    county_b = make_unit(city, UnitKind.COUNTY, "西岭县", code="990102", area_type="county")
    school_a = make_unit(county_a, UnitKind.SCHOOL, "东湖区实验小学", code="9901010001")
    school_b = make_unit(
        county_b, UnitKind.SCHOOL, "西岭县第一中学", code="9901020001", area_type="county"
    )
    point_a = make_unit(
        school_a, UnitKind.TEACHING_POINT, "东湖区实验小学柳村教学点", code="9901010002"
    )
    platform_admin = make_person(
        ministry, username="admin", full_name="平台管理员", is_platform_admin=True
    )
    return Province(
        ministry=ministry,
        province=province,
        city=city,
        county_a=county_a,
        county_b=county_b,
        school_a=school_a,
        school_b=school_b,
        point_a=point_a,
        platform_admin=platform_admin,
        province_admin=make_admin(province, username="prov", full_name="省管理员"),
        city_admin=make_admin(city, username="city", full_name="市管理员"),
        county_a_admin=make_admin(county_a, username="countya", full_name="东湖区管理员"),
        county_b_admin=make_admin(county_b, username="countyb", full_name="西岭县管理员"),
        school_a_admin=make_admin(school_a, username="schoola", full_name="东湖小学管理员"),
        teacher_a=make_person(school_a, Role.TEACHER, username="teachera", full_name="王老师"),
        teacher_b=make_person(school_b, Role.TEACHER, username="teacherb", full_name="李老师"),
        expert=make_person(city, Role.EXPERT, username="expert", full_name="赵专家"),
        research=make_person(county_a, Role.RESEARCH, username="research", full_name="钱教研"),
    )


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run code and then its on-commit callbacks (jobs are queued after commit)."""

    def runner(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return runner


# --- what `make test` says about browser tests -------------------------------------------------

BROWSER_INSTALL_HINT = "on Debian: apt-get install -y chromium (README: Browser tests)"


def browser_test_summary(stats: dict[str, list]) -> list[str]:
    """Lines saying how many browser tests ran or were skipped, and why they were skipped."""
    browser = [
        report
        for outcome in ("passed", "failed", "skipped")
        for report in stats.get(outcome, [])
        if getattr(report, "keywords", None) and "browser" in report.keywords
    ]
    skipped = Counter(
        _skip_reason(report) for report in browser if getattr(report, "skipped", False)
    )
    ran = sum(1 for report in browser if report.when == "call" and not report.skipped)
    lines = [
        f"Browser tests: {count} skipped, reason: {reason} — {BROWSER_INSTALL_HINT}"
        for reason, count in sorted(skipped.items())
    ]
    if ran and not skipped:
        lines.append(f"Browser tests: {ran} ran in chromium, none skipped")
    return lines


def _skip_reason(report) -> str:
    if isinstance(report.longrepr, tuple):  # (path, line, "Skipped: reason")
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    # Outermost wrapper: printed after pytest's short summary, right before its final line
    # ("== N passed, M skipped ==") which stays last for CI to read.
    result = yield
    for line in browser_test_summary(terminalreporter.stats):
        terminalreporter.write_line(line)
    return result

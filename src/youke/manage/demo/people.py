"""Demo people: admins, ~2,000 teachers, experts, research and e-learning staff.

People are planned in memory, then inserted with ``bulk_create`` (one shared password hash),
and their role grants and expert areas follow in a few more batched INSERTs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from youke.catalog.models import CourseNode
from youke.manage.demo.names import NameBook
from youke.manage.demo.province import PRIMARY, UnitPlan
from youke.orgs.enums import Role, TeacherTitle, UnitKind
from youke.orgs.models import ExpertProfile, Person, RoleGrant, Unit

TEACHER_TARGET = 2000
TEACHERS_PER_SCHOOL = (15, 40)
ID_CARD_SHARE = 0.4

# Fixed demo logins, in the order the login table lists them.
ADMIN, PROVINCE_ADMIN, CITY_ADMIN, COUNTY_ADMIN, SCHOOL_ADMIN = (
    "admin",
    "province_admin",
    "city_admin",
    "county_admin",
    "school_admin",
)
TEACHER, EXPERT, RESEARCH, ELEARNING = "teacher", "expert", "research", "elearning"
FIXED_USERNAMES = (
    ADMIN,
    PROVINCE_ADMIN,
    CITY_ADMIN,
    COUNTY_ADMIN,
    SCHOOL_ADMIN,
    TEACHER,
    EXPERT,
    RESEARCH,
    ELEARNING,
)

# Cumulative shares of teacher titles; the rest have none.
_TITLES = (
    (0.003, TeacherTitle.SPECIAL_GRADE),
    (0.018, TeacherTitle.PROVINCIAL_LEADER),
    (0.048, TeacherTitle.CITY_LEADER),
    (0.068, TeacherTitle.MASTER),
    (0.168, TeacherTitle.BACKBONE),
)
_EXPERT_TITLES = (
    TeacherTitle.SPECIAL_GRADE,
    TeacherTitle.PROVINCIAL_LEADER,
    TeacherTitle.CITY_LEADER,
    TeacherTitle.MASTER,
    TeacherTitle.NONE,
)
# Per region: (experts, research staff, e-learning staff).
_STAFF = {UnitKind.PROVINCE: (6, 0, 0), UnitKind.CITY: (8, 3, 2), UnitKind.COUNTY: (0, 2, 1)}


@dataclass
class PersonPlan:
    full_name: str
    male: bool
    unit_code: str
    username: str | None = None  # None: log in with the mobile, as imported teachers do
    title: str = ""
    is_platform_admin: bool = False
    grants: list[tuple[str, str]] = field(default_factory=list)  # (role, unit code)
    expert_areas: int = 0
    mobile: str = ""
    id_card: str | None = None


class PeoplePlanner:
    def __init__(self, book: NameBook, taken_usernames: set[str]) -> None:
        self.book = book
        self.rng = book.rng
        self.taken = taken_usernames
        self.people: list[PersonPlan] = []
        self.logins: dict[str, str] = {}  # fixed username -> username actually used

    def add(self, unit: UnitPlan, *roles: str, fixed: str | None = None, **fields) -> PersonPlan:
        """A person of ``unit`` holding ``roles`` on it; ``fixed`` names a demo login."""
        name, male = self.book.person()
        person = PersonPlan(name, male, unit.code, grants=[(r, unit.code) for r in roles], **fields)
        person.mobile = self.book.mobile()
        if unit.kind != UnitKind.MINISTRY and self.rng.random() < ID_CARD_SHARE:
            person.id_card = self.book.id_card(unit.code[:6], male)
        # A fixed name someone already uses (e.g. an existing `admin`) falls back to the mobile.
        if fixed and fixed not in self.taken:
            person.username = fixed
        if fixed:
            self.logins[fixed] = person.username or person.mobile
        self.people.append(person)
        return person

    def plan(self, ministry: UnitPlan) -> list[PersonPlan]:
        province = ministry.children[0]
        city = province.children[0]
        county = city.children[0]
        school = next(s for s in county.children if s.school_type == PRIMARY)
        chain = {
            province.code: PROVINCE_ADMIN,
            city.code: CITY_ADMIN,
            county.code: COUNTY_ADMIN,
            school.code: SCHOOL_ADMIN,
        }
        teachers = self._teacher_counts(ministry)
        self.add(ministry, fixed=ADMIN, is_platform_admin=True)
        for unit in ministry.walk():
            if unit.kind in (UnitKind.MINISTRY, UnitKind.TEACHING_POINT):
                continue
            self.add(unit, Role.UNIT_ADMIN, fixed=chain.get(unit.code))
            experts, research, elearning = _STAFF.get(unit.kind, (0, 0, 0))
            for i in range(experts):
                self.add(
                    unit,
                    Role.EXPERT,
                    fixed=EXPERT if unit is city and i == 0 else None,
                    title=self.rng.choice(_EXPERT_TITLES),
                    expert_areas=self.rng.randint(1, 2),
                )
            for i in range(research):
                self.add(unit, Role.RESEARCH, fixed=RESEARCH if unit is county and i == 0 else None)
            for i in range(elearning):
                self.add(
                    unit, Role.ELEARNING, fixed=ELEARNING if unit is county and i == 0 else None
                )
            for i in range(teachers.get(unit.code, 0)):
                if unit is school and i == 0:
                    # The demo teacher also reviews for the city: the role switch shows both.
                    demo = self.add(
                        unit,
                        Role.TEACHER,
                        fixed=TEACHER,
                        title=TeacherTitle.CITY_LEADER,
                        expert_areas=1,
                    )
                    demo.grants.append((Role.EXPERT, city.code))
                else:
                    self.add(unit, Role.TEACHER, title=self._teacher_title())
        return self.people

    def _teacher_counts(self, ministry: UnitPlan) -> dict[str, int]:
        schools = [u for u in ministry.walk() if u.kind == UnitKind.SCHOOL]
        scale = TEACHER_TARGET / sum(s.size for s in schools)
        low, high = TEACHERS_PER_SCHOOL
        return {s.code: min(high, max(low, round(s.size * scale))) for s in schools}

    def _teacher_title(self) -> str:
        draw = self.rng.random()
        return next((title for share, title in _TITLES if draw < share), TeacherTitle.NONE)


def insert_people(
    people: list[PersonPlan],
    units: dict[str, Unit],
    password_hash: str,
    subjects: list[CourseNode],
    book: NameBook,
    root: Unit,
) -> dict[str, int]:
    """Write people, grants and expert profiles; returns a few counts."""
    Person.objects.bulk_create(
        [
            Person(
                username=p.username or p.mobile,
                full_name=p.full_name,
                mobile=p.mobile,
                id_card=p.id_card,
                unit=units[p.unit_code],
                title=p.title,
                is_platform_admin=p.is_platform_admin,
                must_change_password=False,
                password=password_hash,
            )
            for p in people
        ],
        batch_size=500,
    )
    # Re-read ids rather than rely on RETURNING from bulk_create on every backend.
    ids = dict(
        Person.objects.filter(unit__path__under=root.path).order_by().values_list("username", "pk")
    )
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(person_id=ids[p.username or p.mobile], unit=units[code], role=role)
            for p in people
            for role, code in p.grants
        ],
        batch_size=500,
    )
    experts = [p for p in people if p.expert_areas]
    ExpertProfile.objects.bulk_create(
        [ExpertProfile(person_id=ids[p.username or p.mobile]) for p in experts]
    )
    profiles = dict(
        ExpertProfile.objects.filter(person__unit__path__under=root.path)
        .order_by()
        .values_list("person_id", "pk")
    )
    through = ExpertProfile.areas.through
    links = []
    for p in experts:
        if not subjects:
            break
        areas = book.rng.sample(subjects, min(p.expert_areas, len(subjects)))
        profile_id = profiles[ids[p.username or p.mobile]]
        links += [through(expertprofile_id=profile_id, coursenode_id=node.pk) for node in areas]
    through.objects.bulk_create(links)
    return {
        "people": len(people),
        "experts": len(experts),
        "teachers": sum(1 for p in people for role, _ in p.grants if role == Role.TEACHER),
    }

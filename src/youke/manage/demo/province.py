"""The demo unit tree: 教育部 → 示范省 → 3 cities → 9 counties → ~80 schools → 教学点.

Units are planned in memory first (``UnitPlan``), then inserted in one ``bulk_build`` call;
contact sheets are added once the people (whose admins are named on them) exist.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from youke.core.trees import Spec
from youke.manage.demo.names import NameBook
from youke.orgs.enums import REGION_KINDS, AreaType, ContactRole, UnitKind
from youke.orgs.models import Contact, Unit

MINISTRY_CODE = "100000"
PROVINCE_CODE = "990000"

URBAN, COUNTY = AreaType.URBAN.value, AreaType.COUNTY.value
PRIMARY, JUNIOR, SENIOR, NINE_YEAR = "primary", "junior", "senior", "nine_year"

# (code, name, telephone area code, counties as (code suffix, name, area type)).
# Suffixes follow GB/T 2260 habit: 0x for districts (区), 2x for counties (县).
_CITIES = (
    (
        "990100",
        "青山市",
        "0961",
        (("02", "东湖区", URBAN), ("03", "南屏区", URBAN), ("21", "西岭县", COUNTY)),
    ),
    (
        "990200",
        "云水市",
        "0962",
        (("02", "云溪区", URBAN), ("21", "北河县", COUNTY), ("22", "清源县", COUNTY)),
    ),
    (
        "990300",
        "明湖市",
        "0963",
        (("02", "湖滨区", URBAN), ("03", "金山区", URBAN), ("21", "石门县", COUNTY)),
    ),
)
_ROADS = (
    "文昌路",
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "和平路",
    "胜利路",
    "新华路",
    "花园路",
    "滨江路",
    "青年路",
    "光明路",
)
_TOWNS = (
    "柳河",
    "石桥",
    "青石",
    "桃源",
    "白沙",
    "龙泉",
    "清水",
    "马坊",
    "三江",
    "长岭",
    "枫林",
    "黄土",
    "新集",
    "高桥",
    "梅溪",
    "竹园",
    "双河",
    "杨庄",
    "金鸡",
    "凤凰",
    "大坪",
    "河口",
    "太平",
    "永安",
    "安乐",
    "石门",
    "沙河",
    "云台",
    "红星",
    "明山",
)
_VILLAGES = (
    "柳村",
    "李家湾",
    "王庄",
    "上坪",
    "下湾",
    "杨家岭",
    "大石",
    "小河",
    "张家坳",
    "枣树坪",
    "刘家沟",
    "松林",
    "白果",
    "茶园",
)

# Relative school sizes (teacher head-count is proportional, scaled to the target later).
_SIZES = {
    "city_senior": (1.45, 1.6),
    "senior": (1.3, 1.5),
    "senior2": (1.05, 1.25),
    "lab_primary": (1.2, 1.45),
    "lab_junior": (1.1, 1.3),
    "primary": (0.9, 1.15),
    "junior": (0.85, 1.05),
    "nine_year": (0.95, 1.2),
    "town_primary": (0.55, 0.75),
    "town_junior": (0.6, 0.8),
    "town_nine_year": (0.5, 0.65),
}


@dataclass
class UnitPlan:
    code: str
    name: str
    kind: str
    area_type: str = ""
    phone_area: str = ""
    school_type: str = ""
    size: float = 0.0
    town: bool = False
    children: list[UnitPlan] = field(default_factory=list)

    def walk(self) -> Iterator[UnitPlan]:
        yield self
        for child in self.children:
            yield from child.walk()

    def spec(self) -> Spec:
        # A school's type is its 学段 (the stage targets and the dashboard's stage table).
        fields = {"code": self.code, "name": self.name, "kind": self.kind}
        fields |= {"area_type": self.area_type, "stage": self.school_type}
        return Spec(fields, [child.spec() for child in self.children])


def plan_units(rng: random.Random) -> UnitPlan:
    province = UnitPlan(PROVINCE_CODE, "示范省", UnitKind.PROVINCE, phone_area="0960")
    for city_code, city_name, phone_area, counties in _CITIES:
        city = UnitPlan(city_code, city_name, UnitKind.CITY, phone_area=phone_area)
        city_school_no = iter(range(1, 20))  # 青山市第一中学, 第二中学… across its districts
        for suffix, county_name, area in counties:
            county = UnitPlan(
                city_code[:4] + suffix, county_name, UnitKind.COUNTY, area, phone_area
            )
            if area == URBAN:
                schools = _urban_schools(rng, city_name, county_name, city_school_no)
            else:
                schools = _county_schools(rng, county_name)
            serial = 0
            for name, school_type, size_key, town in schools:
                serial += 1
                low, high = _SIZES[size_key]
                county.children.append(
                    UnitPlan(
                        f"{county.code}{serial:04d}",
                        name,
                        UnitKind.SCHOOL,
                        area,
                        phone_area,
                        school_type,
                        round(rng.uniform(low, high), 3),
                        town,
                    )
                )
            _add_teaching_points(rng, county, serial)
            city.children.append(county)
        province.children.append(city)
    return UnitPlan(
        MINISTRY_CODE, "教育部", UnitKind.MINISTRY, phone_area="010", children=[province]
    )


def _urban_schools(rng, city: str, district: str, city_school_no) -> list[tuple]:
    roads = rng.sample(_ROADS, 3)
    first = [
        (f"{city}{_ordinal(next(city_school_no))}中学", SENIOR, "city_senior", False),
        (f"{district}实验小学", PRIMARY, "lab_primary", False),
        (f"{district}实验中学", JUNIOR, "lab_junior", False),
        (f"{district}第一小学", PRIMARY, "primary", False),
    ]
    more = [
        (f"{district}第二小学", PRIMARY, "primary", False),
        (f"{district}第三小学", PRIMARY, "primary", False),
        (f"{district}{roads[0]}小学", PRIMARY, "primary", False),
        (f"{district}{roads[1]}小学", PRIMARY, "primary", False),
        (f"{district}外国语学校", NINE_YEAR, "nine_year", False),
        (f"{district}育才学校", NINE_YEAR, "nine_year", False),
        (f"{district}第二中学", JUNIOR, "junior", False),
        (f"{district}{roads[2]}中学", JUNIOR, "junior", False),
    ]
    rng.shuffle(more)
    # A second city senior high keeps the 第N中学 numbering going in some districts.
    more.insert(
        rng.randrange(3), (f"{city}{_ordinal(next(city_school_no))}中学", SENIOR, "senior2", False)
    )
    return first + more[: rng.randint(9, 10) - len(first)]


def _county_schools(rng, county: str) -> list[tuple]:
    towns = rng.sample(_TOWNS, 6)
    first = [
        (f"{county}第一中学", SENIOR, "senior", False),
        (f"{county}实验小学", PRIMARY, "lab_primary", False),
        (f"{county}城关中学", JUNIOR, "junior", False),
        (f"{county}{towns[0]}镇中心小学", PRIMARY, "town_primary", True),
        (f"{county}{towns[1]}镇中心小学", PRIMARY, "town_primary", True),
    ]
    more = [
        (f"{county}第二中学", SENIOR, "senior2", False),
        (f"{county}城关小学", PRIMARY, "primary", False),
        (f"{county}{towns[2]}镇中心小学", PRIMARY, "town_primary", True),
        (f"{county}{towns[3]}镇中学", JUNIOR, "town_junior", True),
        (f"{county}{towns[4]}镇中学", JUNIOR, "town_junior", True),
        (f"{county}{towns[5]}乡九年一贯制学校", NINE_YEAR, "town_nine_year", True),
    ]
    rng.shuffle(more)
    return first + more[: rng.randint(8, 9) - len(first)]


def _add_teaching_points(rng: random.Random, county: UnitPlan, serial: int) -> None:
    """About one 教学点 under a third of the rural primary schools, hung off town schools."""
    if county.area_type != COUNTY:
        return
    primaries = [s for s in county.children if s.school_type == PRIMARY]
    towns = [s for s in primaries if s.town]
    count = min(len(towns), max(1, round(len(primaries) / 3)))
    for school in sorted(rng.sample(towns, count), key=lambda s: s.code):
        serial += 1
        village = rng.choice(_VILLAGES)
        school.children.append(
            UnitPlan(
                f"{county.code}{serial:04d}",
                f"{school.name}{village}教学点",
                UnitKind.TEACHING_POINT,
                county.area_type,
                county.phone_area,
            )
        )


def _ordinal(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return f"第{digits[n]}"
    return f"第{'' if n < 20 else digits[n // 10]}十{digits[n % 10] if n % 10 else ''}"


# --- contact sheets -------------------------------------------------------------------

_REGION_LEAD = (("电教馆", "馆长"), ("教研室", "主任"), ("办公室", "主任"))
_REGION_CONTACT = (
    ("电教馆", "副馆长"),
    ("电教馆", "干事"),
    ("教研室", "副主任"),
    ("教研室", "教研员"),
)
_SCHOOL_LEAD = (("校长办公室", "校长"), ("校长办公室", "副校长"))
_SCHOOL_CONTACT = (
    ("教务处", "主任"),
    ("教务处", "副主任"),
    ("信息中心", "主任"),
    ("教科室", "主任"),
    ("信息中心", "信息技术教师"),
)


def build_contacts(
    book: NameBook, plan: UnitPlan, units: dict[str, Unit], admins: dict[str, tuple[str, str]]
) -> list[Contact]:
    """负责人 and 联系人 for every region and school, plus the unit admin as 管理员."""
    rng = book.rng
    rows: list[Contact] = []
    for node in plan.walk():
        if node.kind == UnitKind.TEACHING_POINT:
            continue
        unit = units[node.code]
        region = node.kind in REGION_KINDS
        if node.kind == UnitKind.MINISTRY:
            lead, contact = ("教育技术与资源发展中心", "处长"), ("教育技术与资源发展中心", "干事")
        else:
            lead = rng.choice(_REGION_LEAD if region else _SCHOOL_LEAD)
            contact = rng.choice(_REGION_CONTACT if region else _SCHOOL_CONTACT)
        for role, (department, position) in (
            (ContactRole.LEADER, lead),
            (ContactRole.CONTACT, contact),
        ):
            rows.append(
                Contact(
                    unit=unit,
                    role=role,
                    name=book.person()[0],
                    department=department,
                    position=position,
                    office_phone=book.office_phone(node.phone_area),
                    mobile=book.mobile(),
                )
            )
        if node.code in admins:
            name, mobile = admins[node.code]
            rows.append(
                Contact(
                    unit=unit,
                    role=ContactRole.ADMIN,
                    name=name,
                    department=contact[0],
                    position="管理员",
                    office_phone=book.office_phone(node.phone_area),
                    mobile=mobile,
                )
            )
    return rows

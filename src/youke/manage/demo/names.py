"""Fictional but realistic identity data for the demo: names, mobiles, phones, ID cards.

Everything is drawn from one ``random.Random`` so a seed reproduces the same province.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from youke.orgs.validators import id_card_check_digit

# Common surnames with rough relative frequencies (per mille of the population), so 王/李/张
# dominate the staff lists the way they do in real ones.
_SURNAMES = (
    ("王", 72), ("李", 72), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 32), ("黄", 24),
    ("赵", 22), ("吴", 21), ("周", 21), ("徐", 17), ("孙", 16), ("马", 15), ("朱", 14),
    ("胡", 13), ("郭", 12), ("何", 12), ("林", 11), ("高", 11), ("罗", 11), ("郑", 10),
    ("梁", 9), ("谢", 8), ("宋", 8), ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7),
    ("曹", 7), ("彭", 6), ("曾", 6), ("肖", 6), ("田", 6), ("董", 6), ("袁", 5), ("潘", 5),
    ("于", 5), ("蒋", 5), ("蔡", 5), ("余", 5), ("杜", 5), ("叶", 5), ("程", 5), ("苏", 4),
    ("魏", 4), ("吕", 4), ("丁", 4), ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 3),
    ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3),
    ("廖", 3), ("贾", 3), ("夏", 3), ("韦", 3), ("方", 3), ("白", 3), ("邹", 3), ("孟", 3),
    ("熊", 3), ("秦", 3), ("邱", 3), ("江", 3), ("尹", 2), ("薛", 2), ("段", 2), ("雷", 2),
    ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2),
    ("郝", 2), ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("武", 2), ("戴", 2),
    ("孔", 1), ("向", 1), ("汤", 1), ("欧阳", 1), ("诸葛", 1),
)
_SURNAME_CHOICES = tuple(name for name, _ in _SURNAMES)
_SURNAME_WEIGHTS = tuple(weight for _, weight in _SURNAMES)

# Usual given-name characters; 1 character about a third of the time, else 2.
_GIVEN_MALE = (
    "伟", "刚", "勇", "毅", "俊", "峰", "强", "军", "平", "保", "东", "文", "辉", "力", "明",
    "永", "健", "世", "广", "志", "义", "兴", "良", "海", "山", "仁", "波", "宁", "贵", "福",
    "生", "龙", "元", "全", "国", "胜", "学", "祥", "才", "发", "武", "新", "利", "清", "飞",
    "彬", "富", "顺", "信", "杰", "涛", "昌", "成", "康", "星", "光", "天", "达", "安", "岩",
    "中", "茂", "进", "林", "有", "坚", "和", "彪", "博", "诚", "先", "敬", "震", "振", "壮",
    "思", "群", "豪", "心", "邦", "承", "乐", "绍", "功", "松", "善", "厚", "庆", "磊", "民",
    "友", "裕", "河", "哲", "江", "超", "浩", "亮", "政", "谦", "亨", "奇", "固", "之", "轮",
    "翰", "朗", "伯", "宏", "言", "若", "鸣", "朋", "斌", "梁", "栋", "维", "启", "克", "伦",
    "翔", "旭", "鹏", "泽", "晨", "辰", "士", "以", "建", "家", "致", "树", "炎", "德", "行",
    "时", "泰", "盛", "雄", "琛", "钧", "冠", "策", "腾", "楠", "榕", "风", "航", "弘", "宇",
)
_GIVEN_FEMALE = (
    "秀", "娟", "英", "华", "慧", "巧", "美", "娜", "静", "淑", "惠", "珠", "翠", "雅", "芝",
    "玉", "萍", "红", "娥", "玲", "芬", "芳", "燕", "彩", "春", "菊", "兰", "凤", "洁", "梅",
    "琳", "素", "云", "莲", "真", "环", "雪", "荣", "爱", "妹", "霞", "香", "月", "莺", "媛",
    "艳", "瑞", "凡", "佳", "嘉", "琼", "勤", "珍", "贞", "莉", "桂", "娣", "叶", "璧", "璐",
    "娅", "琦", "晶", "妍", "茜", "秋", "珊", "莎", "锦", "黛", "青", "倩", "婷", "姣", "婉",
    "娴", "瑾", "颖", "露", "瑶", "怡", "婵", "雁", "蓓", "纨", "仪", "荷", "丹", "蓉", "眉",
    "君", "琴", "蕊", "薇", "菁", "梦", "岚", "苑", "婕", "馨", "瑗", "琰", "韵", "融", "园",
    "艺", "咏", "卿", "聪", "澜", "纯", "毓", "悦", "昭", "冰", "爽", "琬", "茗", "羽", "希",
    "宁", "欣", "飘", "育", "滢", "馥", "筠", "柔", "竹", "霭", "凝", "晓", "欢", "霄", "枫",
    "芸", "菲", "寒", "伊", "亚", "宜", "可", "姬", "舒", "影", "荔", "枝", "丽", "阳", "妮",
)

# 13x/15x/18x: the segments everyone recognises as a mobile number.
_MOBILE_PREFIXES = (
    *(f"13{d}" for d in range(10)),
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    *(f"18{d}" for d in range(10)),
)

_BIRTH_FIRST = datetime.date(1965, 1, 1)
_BIRTH_SPAN = (datetime.date(2000, 12, 31) - _BIRTH_FIRST).days


class NameBook:
    """Draws people data from ``rng`` and keeps mobiles and ID cards unique."""

    def __init__(self, rng: random.Random, *, taken_mobiles: Iterable[str] = (),
                 taken_id_cards: Iterable[str] = ()) -> None:
        self.rng = rng
        self._mobiles = set(taken_mobiles)
        self._id_cards = set(taken_id_cards)

    def person(self) -> tuple[str, bool]:
        """A full name and whether it reads as male (used for the ID-card sex digit)."""
        rng = self.rng
        surname = rng.choices(_SURNAME_CHOICES, _SURNAME_WEIGHTS)[0]
        male = rng.random() < 0.45  # basic-education staff are mostly women
        pool = _GIVEN_MALE if male else _GIVEN_FEMALE
        given = rng.choice(pool)
        if rng.random() < 0.68:
            second = rng.choice(pool)
            given += second if second != given else rng.choice(pool)
        return surname + given, male

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def office_phone(self, area_code: str) -> str:
        return f"{area_code}-{self.rng.randint(2, 8)}{self.rng.randrange(10**6):06d}"

    def id_card(self, region: str, male: bool) -> str:
        """A GB 11643 number: region, birth date 1965–2000, serial (odd = male), check digit."""
        while True:
            born = _BIRTH_FIRST + datetime.timedelta(days=self.rng.randint(0, _BIRTH_SPAN))
            serial = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{region}{born:%Y%m%d}{serial:03d}"
            number = first17 + id_card_check_digit(first17)
            if number not in self._id_cards:
                self._id_cards.add(number)
                return number

"""The same storage limits on SQLite as on PostgreSQL: domain writes and forms refuse alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from youke.campaigns.forms import CategoryForm
from youke.core.actor import Actor
from youke.core.text import storage_problems
from youke.orgs.domain.units import update_unit
from youke.orgs.models import Unit
from youke.public.forms import ObjectionForm
from youke.selection.models import Quota


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("东" * 101, "“名称”过长，最多 100 个字符（现有 101 个），请缩短后重试。"),
        ("东湖\x00区", "名称：不能包含空字符（\\x00），请删除后重新填写。"),
        ("东湖\ud800区", "名称：含有无法保存的字符（不成对的代理字符），请删除后重新填写。"),
    ],
)
def test_domain_write_refuses_what_a_database_cannot_store(province, name, message):
    with pytest.raises(ValidationError) as refused:
        update_unit(Actor(province.platform_admin), province.county_a, name=name)

    assert refused.value.message_dict == {"name": [message]}
    assert Unit.objects.get(pk=province.county_a.pk).name == "东湖区"


def test_integers_beyond_the_postgresql_column_are_refused_on_every_database(db):
    quota = Quota(allowed=2**31)

    assert storage_problems(quota)["allowed"] == ["“名额”应在 0 到 2147483647 之间，请检查后重试。"]
    assert "allowed" not in storage_problems(Quota(allowed=2**31 - 1))


def test_form_numbers_and_text_get_the_same_limits(db):
    form = CategoryForm(
        data={"code": "subject", "name": "学科\ud800课程", "max_periods": str(2**40)}
    )

    assert not form.is_valid()
    assert form.errors["max_periods"] == ["确保该值小于或等于2147483647。"]
    assert form.errors["name"] == ["含有无法保存的字符（不成对的代理字符），请删除后重新填写。"]


def test_public_objection_form_refuses_nul(db):
    form = ObjectionForm(data={"name": "张\x00三", "contact": "1", "reason": "理由"})

    assert not form.is_valid()
    assert form.errors["name"] == ["不能包含空字符（\\x00），请删除后重新填写。"]

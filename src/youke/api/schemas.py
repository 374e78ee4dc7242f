"""Request and response shapes of the REST API.

Output schemas never carry a full ID-card number; the mobile is shown in full only when
``orgs.rules.can_see_full_identity`` allows it for the caller.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema
from pydantic import field_validator

from youke.api.common import parent_pk_of
from youke.api.fields import Email, Id, Reason, Search, Text
from youke.catalog.enums import NodeLevel
from youke.orgs import rules
from youke.orgs.enums import AreaType, Role, SchoolStage, TeacherTitle, UnitKind

# --- errors ----------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description=_lazy("错误说明（中文）"))


class ValidationErrorOut(Schema):
    detail: dict[str, list[str]] = Field(
        description=_lazy("按字段列出的错误说明（中文）；与字段无关的错误在 __all__ 下")
    )


def _check_email(value: str | None) -> str | None:
    if value:
        try:
            validate_email(value.strip())
        except DjangoValidationError:
            raise ValueError(_("电子邮箱格式不正确，例如 name@example.com，请重新填写。")) from None
        return value.strip()
    return value


# --- units -----------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    name: str
    code: str


class UnitOut(Schema):
    id: int
    parent_id: int | None = Field(description=_lazy("上级单位 id；根单位为 null"))
    name: str
    code: str
    kind: str
    kind_label: str
    area_type: str
    stage: str = Field(description=_lazy("学校、教学点的学段；其他单位为空"))
    address: str
    is_active: bool
    depth: int = Field(description=_lazy("层级，根单位为 1"))
    children_count: int

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        return parent_pk_of(obj)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_children_count(obj) -> int:
        return obj.numchild


class UnitFilters(Schema):
    parent_id: Id | None = Field(None, description=_lazy("只列出该单位的直接下级"))
    under: Id | None = Field(None, description=_lazy("列出该单位及其全部下级（整棵子树）"))
    kind: UnitKind | None = None
    area_type: AreaType | None = None
    q: Search | None = Field(None, description=_lazy("按名称（包含）或代码（前缀）查找"))
    is_active: bool | None = None


class UnitCreateIn(Schema):
    parent_id: Id | None = Field(None, description=_lazy("上级单位 id；只有平台管理员可建根单位"))
    name: Text(100)
    code: Text(10) = Field(description=_lazy("行政区划代码（6 位）或学校标识码（10 位）"))
    kind: UnitKind
    area_type: AreaType | None = None
    stage: SchoolStage | None = Field(None, description=_lazy("学段（只用于学校和教学点）"))
    address: Text(200) = ""


class UnitUpdateIn(Schema):
    name: Text(100) | None = None
    code: Text(10) | None = None
    area_type: AreaType | None = None
    stage: SchoolStage | None = None
    address: Text(200) | None = None


class UnitMoveIn(Schema):
    parent_id: Id = Field(description=_lazy("新的上级单位 id"))
    reason: Reason = ""


# --- people ----------------------------------------------------------------------------------


class PersonRoleOut(Schema):
    id: int
    role: str
    role_label: str
    unit: UnitRef

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    mobile: str = Field(description=_lazy("无权查看完整号码时只显示前 3 位和后 4 位"))
    id_card_masked: str = Field(description=_lazy("身份证号只显示后 4 位，从不返回完整号码"))
    email: str
    title: str
    title_label: str
    unit: UnitRef
    is_active: bool
    must_change_password: bool
    roles: list[PersonRoleOut] = Field(description=_lazy("调用者可见范围内的角色"))

    @staticmethod
    def resolve_mobile(obj, context) -> str:
        if rules.can_see_full_identity(context["request"].auth, obj):
            return obj.mobile or ""
        return obj.masked_mobile

    @staticmethod
    def resolve_id_card_masked(obj) -> str:
        return obj.masked_id_card

    @staticmethod
    def resolve_title_label(obj) -> str:
        return str(obj.get_title_display()) if obj.title else ""

    @staticmethod
    def resolve_roles(obj):
        # Set by the people router through a Prefetch limited to grants_visible_to.
        return obj.visible_grants


class PersonCreatedOut(PersonOut):
    initial_password: str = Field(description=_lazy("初始密码，只在此响应中出现一次"))


class PersonFilters(Schema):
    unit_id: Id | None = Field(None, description=_lazy("该单位及其全部下级单位的人员"))
    role: Role | None = None
    title: TeacherTitle | None = None
    q: Search | None = Field(None, description=_lazy("按姓名、用户名（包含）或手机号（前缀）查找"))
    is_active: bool | None = None


class PersonCreateIn(Schema):
    unit_id: Id
    full_name: Text(64)
    mobile: Text(11) | None = None
    id_card: Text(18) | None = None
    email: Email = ""
    title: TeacherTitle = TeacherTitle.NONE
    roles: list[Role] = Field(default_factory=list, description=_lazy("在所属单位上授予的角色"))
    username: Text(64) | None = Field(None, description=_lazy("不填时使用手机号"))

    _email = field_validator("email")(_check_email)


class PersonUpdateIn(Schema):
    full_name: Text(64) | None = None
    mobile: Text(11) | None = None
    id_card: Text(18) | None = None
    email: Email | None = None
    title: TeacherTitle | None = None

    _email = field_validator("email")(_check_email)


# --- roles -----------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    username: str
    full_name: str


class GrantOut(Schema):
    id: int
    role: str
    role_label: str
    person: PersonRef
    unit: UnitRef
    granted_by_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class GrantFilters(Schema):
    person_id: Id | None = None
    unit_id: Id | None = Field(None, description=_lazy("授予在该单位上的角色（不含下级单位）"))
    role: Role | None = None


class GrantCreateIn(Schema):
    person_id: Id
    unit_id: Id
    role: Role


# --- catalog ---------------------------------------------------------------------------------


class NodeRef(Schema):
    id: int
    code: str
    name: str
    level: str


class NodeOut(Schema):
    id: int
    parent_id: int | None
    code: str
    name: str
    level: str
    level_label: str
    is_active: bool
    depth: int
    children_count: int

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        return parent_pk_of(obj)

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_children_count(obj) -> int:
        return obj.numchild


class NodeDetailOut(NodeOut):
    ancestors: list[NodeRef] = Field(description=_lazy("从学段开始的上级节点（面包屑）"))

    @staticmethod
    def resolve_ancestors(obj):
        return obj.ancestors


class NodeFilters(Schema):
    parent_id: Id | None = Field(
        None, description=_lazy("只列出该节点的直接下级；不填且没有 q、level 时列出各学段")
    )
    level: NodeLevel | None = None
    q: Search | None = Field(None, description=_lazy("按名称（包含）或节点编号（前缀）查找"))


class NodeCreateIn(Schema):
    parent_id: Id | None = Field(None, description=_lazy("上级节点 id；不填则新建学段"))
    code: Text(32)
    name: Text(100)


class NodeUpdateIn(Schema):
    code: Text(32) | None = None
    name: Text(100) | None = None
    is_active: bool | None = None

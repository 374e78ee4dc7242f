from django import forms
from django.utils.translation import gettext_lazy as _

from youke.core.forms import StyledForm
from youke.orgs.enums import AreaType, ContactRole, Role, SchoolStage, TeacherTitle, UnitKind


class UnitForm(StyledForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    code = forms.CharField(
        label=_("单位代码"),
        max_length=10,
        help_text=_("行政区划 6 位数字；学校、教学点为 10 位学校标识码。"),
    )
    kind = forms.ChoiceField(label=_("单位类型"), choices=UnitKind.choices)
    area_type = forms.ChoiceField(
        label=_("城区/县区"), choices=[("", "—"), *AreaType.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("学段"),
        choices=[("", "—"), *SchoolStage.choices],
        required=False,
        help_text=_("学校、教学点填写；按学段设定的目标据此适用。"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)


class UnitEditForm(UnitForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class MoveForm(StyledForm):
    parent_code = forms.CharField(label=_("新的上级单位代码"), max_length=10)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("原因"), max_length=200)


class ContactForm(StyledForm):
    role = forms.ChoiceField(label=_("职责"), choices=ContactRole.choices)
    name = forms.CharField(label=_("姓名"), max_length=64)
    department = forms.CharField(label=_("部门"), max_length=100, required=False)
    position = forms.CharField(label=_("职务"), max_length=64, required=False)
    office_phone = forms.CharField(label=_("办公电话"), max_length=32, required=False)
    mobile = forms.CharField(label=_("手机"), max_length=11, required=False)


class PersonForm(StyledForm):
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    mobile = forms.CharField(label=_("手机号"), max_length=11)
    id_card = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        required=False,
        help_text=_("选填；保存后页面只显示后 4 位。"),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    title = forms.ChoiceField(label=_("称号"), choices=TeacherTitle.choices, required=False)


class PersonCreateForm(PersonForm):
    unit_code = forms.CharField(label=_("所属单位代码"), max_length=10)
    role = forms.ChoiceField(label=_("初始角色"), choices=Role.choices, initial=Role.TEACHER)


class GrantForm(StyledForm):
    unit_code = forms.CharField(label=_("单位代码"), max_length=10)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("xlsx 文件"))
    school_code = forms.CharField(
        label=_("学校代码"),
        max_length=10,
        required=False,
        help_text=_("表中未填“学校代码”列的教师导入到此学校。"),
    )

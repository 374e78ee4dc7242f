"""Forms of the collection pages; the rules (deadline, targets, contact formats) are in
``youke.collections.domain``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from youke.collections.domain.returns import CONTACT_FIELDS, FIELD_LIMITS, ROLE_ORDER
from youke.collections.enums import CollectionKind, Gender
from youke.core.forms import StyledForm, bound_fields
from youke.orgs.enums import ContactRole, UnitKind

FIELD_LABELS = {
    "name": _("姓名"),
    "gender": _("性别"),
    "position": _("职务"),
    "department": _("负责部门"),
    "office_phone": _("办公电话"),
    "mobile": _("手机"),
    "email": _("电子邮箱"),
}


class TaskForm(StyledForm):
    unit_code = forms.CharField(label=_("发起单位代码"), max_length=10)
    title = forms.CharField(label=_("标题"), max_length=120)
    kind = forms.ChoiceField(label=_("报送内容"), choices=CollectionKind.choices)
    target_kind = forms.ChoiceField(
        label=_("报送单位"),
        required=False,
        choices=[("", _("直属下级单位")), *[(k, v) for k, v in UnitKind.choices][2:]],
        help_text=_("选择单位类型时，发给发起单位下该类型的全部单位（例如本县全部学校）。"),
    )
    deadline = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    remind_days = forms.IntegerField(
        label=_("截止前几天自动提醒"),
        min_value=0,
        max_value=60,
        initial=3,
        help_text=_("系统在截止日期前这几天提醒尚未报送的单位；0 表示不自动提醒。"),
    )
    campaign = forms.TypedChoiceField(
        label=_("所属遴选活动（可选）"), coerce=int, required=False, empty_value=None
    )
    instructions = forms.CharField(
        label=_("报送要求"), max_length=4000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "—"), *[(c.pk, c.name) for c in campaigns]]


class ContactSheetForm(StyledForm):
    """Three roles × seven fields, all optional here: a draft keeps whatever was typed, and
    the domain names what is still missing or wrong before confirming."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role in ROLE_ORDER:
            for field in CONTACT_FIELDS:
                name = f"{role}-{field}"
                label = f"{ContactRole(role).label}{FIELD_LABELS[field]}"
                if field == "gender":
                    self.fields[name] = forms.ChoiceField(
                        label=label, required=False, choices=[("", "—"), *Gender.choices]
                    )
                else:
                    self.fields[name] = forms.CharField(
                        label=label, required=False, max_length=FIELD_LIMITS[field]
                    )
        # StyledForm bounded and styled the fields it had at construction; these came after.
        bound_fields(self)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"

    def rows(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            role: {field: data.get(f"{role}-{field}", "") for field in CONTACT_FIELDS}
            for role in ROLE_ORDER
        }

    def grid(self):
        """(role label, [bound fields]) per role, for the table layout of 附件2."""
        return [
            (ContactRole(role).label, [self[f"{role}-{field}"] for field in CONTACT_FIELDS])
            for role in ROLE_ORDER
        ]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    note = forms.CharField(label=_("说明（可选）"), max_length=500, required=False)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审定意见"), max_length=4000, required=False, widget=forms.Textarea
    )

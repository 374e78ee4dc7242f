"""Forms of the certificate admin pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from youke.campaigns.models import Level
from youke.certificates.domain.pdf import PLACEHOLDERS
from youke.certificates.enums import Orientation
from youke.core.forms import StyledForm


class TemplateForm(StyledForm):
    level = forms.ModelChoiceField(label=_("活动与级别"), queryset=Level.objects.none())
    unit_code = forms.CharField(
        label=_("发证单位代码"),
        max_length=10,
        help_text=_("该级别负责遴选的单位（例如市教育局）的代码；须在您的管理范围内。"),
    )
    title = forms.CharField(label=_("证书标题"), max_length=40)
    body = forms.CharField(
        label=_("正文"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("可用占位符：%(p)s") % {"p": "、".join(f"{{{p}}}" for p in PLACEHOLDERS)},
    )
    orientation = forms.ChoiceField(label=_("版式"), choices=Orientation.choices)
    background = forms.FileField(
        label=_("背景图（可选）"), required=False, help_text=_("PNG 或 JPEG，不超过 4 MB。")
    )

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels if levels is not None else Level.objects.none()
        self.fields["level"].label_from_instance = lambda lv: f"{lv.campaign.name} · {lv.name}"


class AuthorityForm(StyledForm):
    name = forms.CharField(label=_("发证机构全称"), max_length=60)
    unit_code = forms.CharField(
        label=_("所属单位代码"),
        max_length=10,
        help_text=_("印章由该单位的管理员上传。"),
    )


class SealForm(StyledForm):
    seal = forms.FileField(label=_("印章（透明背景 PNG）"))


class RevokeForm(StyledForm):
    reason = forms.CharField(
        label=_("撤销理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("理由会显示在公开的核验页上，并记入审计日志。"),
    )

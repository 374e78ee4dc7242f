"""Forms of the certificate admin pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from youke.campaigns.models import Level
from youke.certificates.domain.commendations import DEFAULT_TITLE
from youke.certificates.domain.pdf import PLACEHOLDERS, UNIT_PLACEHOLDERS
from youke.certificates.enums import Orientation, RecipientKind
from youke.core.forms import StyledForm


class LevelForm(StyledForm):
    """A form that starts with one of the admin's campaign levels (``levels=``)."""

    level = forms.ModelChoiceField(label=_("活动与级别"), queryset=Level.objects.none())

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels if levels is not None else Level.objects.none()
        self.fields["level"].label_from_instance = lambda lv: f"{lv.campaign.name} · {lv.name}"


class TemplateForm(LevelForm):
    unit_code = forms.CharField(
        label=_("发证单位代码"),
        max_length=10,
        help_text=_("该级别负责遴选的单位（例如市教育局）的代码；须在您的管理范围内。"),
    )
    recipient_kind = forms.TypedChoiceField(
        label=_("发证对象"),
        choices=RecipientKind.choices,
        required=False,
        empty_value=RecipientKind.TEACHER,
        help_text=_("获奖教师：按奖项签发；表彰单位：按本单位在该级别的单位表彰签发。"),
    )
    include_coauthors = forms.BooleanField(
        label=_("合作者同获证书"),
        required=False,
        help_text=_("勾选后，作品的每位合作者也各获一张证书（仅对获奖教师证书有效）。"),
    )
    title = forms.CharField(label=_("证书标题"), max_length=40)
    body = forms.CharField(
        label=_("正文"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("可用占位符：教师证书 %(p)s；单位证书 %(u)s")
        % {
            "p": "、".join(f"{{{p}}}" for p in PLACEHOLDERS),
            "u": "、".join(f"{{{p}}}" for p in UNIT_PLACEHOLDERS),
        },
    )
    orientation = forms.ChoiceField(label=_("版式"), choices=Orientation.choices)
    background = forms.FileField(
        label=_("背景图（可选）"), required=False, help_text=_("PNG 或 JPEG，不超过 4 MB。")
    )


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


class CommendationForm(LevelForm):
    issuer_code = forms.CharField(
        label=_("表彰单位（本单位）代码"),
        max_length=10,
        help_text=_("负责该级别遴选的单位，即您所在的单位；须在您的管理范围内。"),
    )
    unit_code = forms.CharField(
        label=_("受表彰单位代码"), max_length=10, help_text=_("须为本单位下属的单位。")
    )
    title = forms.CharField(label=_("称号"), max_length=40, initial=DEFAULT_TITLE)
    reason = forms.CharField(
        label=_("表彰理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

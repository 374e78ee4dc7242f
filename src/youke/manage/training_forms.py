"""Forms of the training-hours admin pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from youke.core.forms import StyledForm
from youke.training.enums import CreditKind


class CreditForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            (CreditKind.MANUAL, CreditKind.MANUAL.label),
            (CreditKind.CORRECTION, CreditKind.CORRECTION.label),
        ],
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    hours = forms.CharField(
        label=_("学时"),
        max_length=8,
        help_text=_("可保留一位小数；更正时减少学时请填负数，如 -10。"),
    )
    source = forms.CharField(
        label=_("来源"), max_length=200, help_text=_("例如：2025年市级信息技术应用能力培训")
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("记入日志，教师在“我的学时”中也能看到。"),
    )

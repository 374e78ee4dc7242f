from django import forms
from django.utils.translation import gettext_lazy as _

from youke.core.forms import BoundedFormMixin


class ObjectionForm(BoundedFormMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("手机号或邮箱，用于告知处理结果。"),
    )
    reason = forms.CharField(
        label=_("异议理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )
    evidence = forms.FileField(
        label=_("证明材料（可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=_("PDF、JPG、PNG 或 Word（docx），不超过 20 MB。"),
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from youke.core.forms import StyledForm


class LoginForm(StyledForm):
    login = forms.CharField(label=_("用户名或手机号"), max_length=64)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput,
        help_text=_("至少 8 位，不能是纯数字或常见密码。"),
    )
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致，请重新输入。"))
        return data


class SubmissionForm(StyledForm):
    title = forms.CharField(
        label=_("作品标题"),
        max_length=120,
        help_text=_("一般为课题名称；教材版本、年级和册次由课程节点自动带出。"),
    )
    description = forms.CharField(
        label=_("简介"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    periods = forms.IntegerField(
        label=_("课时数"),
        min_value=1,
        max_value=3,
        initial=1,
        help_text=_("一节课分多个课时录制时填写，每个课时各交一个视频。"),
    )


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("撤回原因"), max_length=300)

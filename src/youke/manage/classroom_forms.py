"""Forms of the 三个课堂 admin pages; units are chosen by code, people by user name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from youke.classrooms.calendar_labels import WEEKDAY_CHOICES
from youke.classrooms.enums import DayOffKind, GroupMode, ViewPermission


class TermForm(forms.Form):
    unit = forms.ChoiceField(label=_("设置单位"))
    name = forms.CharField(label=_("学期名称"), max_length=64)
    starts_on = forms.DateField(label=_("开学日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    required_subjects = forms.CharField(
        label=_("须开齐的学科"),
        max_length=300,
        required=False,
        help_text=_("用顿号或逗号分隔；留空则用国家课程默认学科。"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class TermDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=DayOffKind.choices)
    follows_weekday = forms.TypedChoiceField(
        label=_("调休时按星期几的课表"),
        choices=[("", "—"), *WEEKDAY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("说明"), max_length=64, required=False)


def split_subjects(text: str) -> list[str]:
    for sep in ("，", "、", ";", "；"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


class GroupForm(forms.Form):
    unit = forms.ChoiceField(label=_("登记单位"))
    term = forms.ModelChoiceField(label=_("学期"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    mode = forms.ChoiceField(label=_("形式"), choices=GroupMode.choices)
    host_school_code = forms.CharField(label=_("主讲学校代码"), max_length=20)
    host_classroom = forms.CharField(label=_("主讲教室"), max_length=64)
    subjects = forms.CharField(
        label=_("开设学科"), max_length=300, help_text=_("用顿号或逗号分隔。")
    )

    def __init__(self, *args, units=(), terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["term"].queryset = terms


class ClassroomForm(forms.Form):
    school_code = forms.CharField(label=_("听讲学校或教学点代码"), max_length=20)
    name = forms.CharField(label=_("班级"), max_length=64)
    students = forms.IntegerField(label=_("学生人数"), min_value=0, max_value=200)
    assistant_username = forms.CharField(
        label=_("本地辅助教师（用户名或手机号）"), max_length=64, required=False
    )


class PeriodForm(forms.Form):
    subject = forms.ChoiceField(label=_("学科"))
    host_teacher_username = forms.CharField(label=_("主讲教师（用户名或手机号）"), max_length=64)
    weekday = forms.TypedChoiceField(label=_("星期"), choices=WEEKDAY_CHOICES, coerce=int)
    starts_at = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    rrule = forms.CharField(
        label=_("重复规则"),
        max_length=200,
        required=False,
        initial="FREQ=WEEKLY",
        help_text=_("iCalendar 格式：每周 FREQ=WEEKLY，隔周 FREQ=WEEKLY;INTERVAL=2。"),
    )
    live_url = forms.URLField(
        label=_("直播链接"), max_length=500, required=False, assume_scheme="https"
    )
    view_permission = forms.ChoiceField(label=_("观看权限"), choices=ViewPermission.choices)
    view_password = forms.CharField(
        label=_("观看密码"), max_length=64, required=False, widget=forms.PasswordInput
    )

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s, s) for s in subjects]


class LocalPeriodForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("星期"), choices=WEEKDAY_CHOICES, coerce=int)
    starts_at = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    subject = forms.CharField(label=_("学科"), max_length=32)

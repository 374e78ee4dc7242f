"""Forms for the campaign admin pages (manage/views/campaigns.py).

They live here because the manage app's forms module belongs to another change; they hold
no rules: every check is in ``domain`` and its errors are mapped back onto these fields.
"""

import copy
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youke.campaigns.domain.campaigns import FLOOR_RULES
from youke.campaigns.enums import (
    AwardLevel,
    CriterionGroup,
    MaterialKind,
    Severity,
    TemplateKey,
    TrainingEvent,
    VideoDue,
    VideoRuleKey,
)
from youke.catalog.domain.nodes import stages
from youke.catalog.models import CourseNode
from youke.core.forms import StyledForm

MB = 1024 * 1024
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label, **kwargs) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    return forms.DateTimeField(label=label, widget=widget, **kwargs)


def date_field(label, **kwargs) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(label=label, widget=widget, **kwargs)


class CampaignCreateForm(StyledForm):
    template_key = forms.ChoiceField(label=_("活动模板"), choices=TemplateKey.choices)
    owner_unit = forms.TypedChoiceField(label=_("主办单位"), coerce=int)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("活动名称"),
        max_length=100,
        required=False,
        help_text=_("留空时按“年度+模板名称”命名。"),
    )

    def __init__(self, *args, units=(), **kwargs):
        # Choices go on a per-instance copy of base_fields *before* StyledForm.__init__, which
        # reads self.errors (and so validates a bound form) while styling the widgets.
        self.base_fields = copy.deepcopy(self.base_fields)
        self.base_fields["owner_unit"].choices = [
            (u.pk, f"{u.name}（{u.get_kind_display()}）") for u in units
        ]
        self.base_fields["year"].initial = timezone.localdate().year
        super().__init__(*args, **kwargs)


class CampaignEditForm(StyledForm):
    """Campaign settings plus one field per level, window, criterion and video rule."""

    name = forms.CharField(label=_("活动名称"), max_length=100)
    opens_at = datetime_field(_("开始时间"))
    closes_at = datetime_field(_("结束时间"))
    max_upload_mb = forms.IntegerField(label=_("单个文件上限（MB）"), min_value=1)
    node_close_award_level = forms.ChoiceField(
        label=_("关闭节点的获奖级别"),
        choices=[("", _("不按获奖关闭")), *AwardLevel.choices],
        required=False,
    )
    node_close_award_threshold = forms.IntegerField(
        label=_("关闭节点的获奖数量"),
        min_value=1,
        help_text=_("达到该数量即关闭；“超过 5 堂”填 6。"),
    )
    promote_unawarded_nodes = forms.BooleanField(
        label=_("向教师推荐无省优、部优课例的节点"), required=False
    )
    blind_cut_seconds = forms.DecimalField(
        label=_("匿名评审剪去片头（秒）"),
        min_value=0,
        max_value=60,
        max_digits=4,
        decimal_places=1,
        help_text=_("匿名评审时专家看到的视频从此处开始，跳过写有教师和学校的片头。"),
    )
    video_due = forms.ChoiceField(label=_("视频提交时间"), choices=VideoDue.choices)
    filming_days = forms.IntegerField(
        label=_("拍摄期限（天）"),
        min_value=1,
        max_value=90,
        help_text=_("初选通过后，教师在多少天内拍摄并提交视频。"),
    )

    sections: list[tuple[str, list[str]]] = []

    @classmethod
    def build(cls, campaign, levels, windows, criteria, video_rules, data=None):
        """A form class with one field per row of this campaign, bound to ``data``."""
        initial = {
            "name": campaign.name,
            "opens_at": timezone.localtime(campaign.opens_at),
            "closes_at": timezone.localtime(campaign.closes_at),
            "max_upload_mb": campaign.max_upload_bytes // MB,
            "node_close_award_level": campaign.node_close_award_level,
            "node_close_award_threshold": campaign.node_close_award_threshold,
            "promote_unawarded_nodes": campaign.promote_unawarded_nodes,
            "blind_cut_seconds": campaign.blind_cut_seconds,
            "video_due": campaign.video_due,
            "filming_days": campaign.filming_days,
        }
        sections = [(_("基本设置"), list(initial))]
        extra: dict = {}

        def add(section: list, key: str, field, value) -> None:
            extra[key], initial[key] = field, value
            section.append(key)

        names: list[str] = []
        for level in levels:
            add(
                names,
                f"level_{level.pk}",
                datetime_field(level.name),
                timezone.localtime(level.deadline),
            )
        sections.append((_("各级截止时间"), names))
        names = []
        for window in windows:
            add(
                names,
                f"window_{window.pk}_opens",
                date_field(f"{window.label} · {_('开始')}"),
                window.opens_on,
            )
            add(
                names,
                f"window_{window.pk}_closes",
                date_field(f"{window.label} · {_('结束')}"),
                window.closes_on,
            )
        if names:
            sections.append((_("上传时间段"), names))
        names = []
        for c in criteria:
            label = f"{c.category.name} · {c.get_group_display()} · {c.name}"
            add(
                names,
                f"criterion_{c.pk}",
                forms.IntegerField(label=label, min_value=0, max_value=100),
                c.points,
            )
        sections.append((_("评价指标分值"), names))
        names = []
        for rule in video_rules:
            material = rule.requirement
            label = f"{material.category.name} · {material.name} · {rule.get_rule_display()}"
            if rule.stage_id:
                label = f"{label} · {rule.stage.name}"
            add(names, f"rule_{rule.pk}", forms.CharField(label=label, max_length=32), rule.value)
            severity = forms.ChoiceField(label=_("不符合时"), choices=Severity.choices)
            add(names, f"rule_{rule.pk}_severity", severity, rule.severity)
            if rule.rule in FLOOR_RULES:
                floor = forms.CharField(
                    label=_("最低要求（低于即不通过）"),
                    max_length=32,
                    required=False,
                    help_text=_("低于此值的视频不能提交；介于最低要求和要求值之间的只警告。"),
                )
                add(names, f"rule_{rule.pk}_floor", floor, rule.floor)
        if names:
            sections.append((_("视频规则"), names))
        form_class = type("CampaignEditFormBound", (cls,), {**extra, "sections": sections})
        return form_class(data=data, initial=initial)

    def bound_sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def domain_values(self, levels, windows, criteria, video_rules) -> dict:
        data = self.cleaned_data
        fields = {k: data[k] for k in self.sections[0][1] if k != "max_upload_mb"}
        fields["max_upload_bytes"] = data["max_upload_mb"] * MB
        return {
            "fields": fields,
            "level_deadlines": {lv.pk: data[f"level_{lv.pk}"] for lv in levels},
            "windows": {
                w.pk: (data[f"window_{w.pk}_opens"], data[f"window_{w.pk}_closes"]) for w in windows
            },
            "criterion_points": {c.pk: data[f"criterion_{c.pk}"] for c in criteria},
            "video_rules": {
                r.pk: (
                    data[f"rule_{r.pk}"].strip(),
                    data[f"rule_{r.pk}_severity"],
                    data.get(f"rule_{r.pk}_floor", r.floor).strip(),
                )
                for r in video_rules
            },
        }


class UnitDeadlineForm(StyledForm):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    level = forms.TypedChoiceField(label=_("级别"), coerce=int)
    deadline = datetime_field(_("内部截止时间"))

    def __init__(self, *args, units=(), levels=(), **kwargs):
        self.base_fields = copy.deepcopy(self.base_fields)  # see CampaignCreateForm
        self.base_fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.base_fields["level"].choices = [(lv.pk, lv.name) for lv in levels]
        super().__init__(*args, **kwargs)


class PastAwardImportForm(StyledForm):
    file = forms.FileField(label=_("选择文件"))


# --- per-row settings (manage/views/campaign_settings.py) -----------------------------------
# Bounds are left to ``domain.settings`` so its messages, which name the fix, are the ones
# admins see; these fields only parse the input.


class CategoryForm(StyledForm):
    name = forms.CharField(label=_("类别名称"), max_length=64)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_micro_lesson = forms.BooleanField(
        label=_("微课（不勾选为课堂实录）"), required=False, initial=True
    )
    max_periods = forms.IntegerField(label=_("最多课时数"), initial=1)

    @classmethod
    def for_category(cls, category, data=None, **kwargs):
        initial = {name: getattr(category, name) for name in cls.base_fields}
        return cls(data=data, initial=initial, **kwargs)


class CategoryPresetForm(StyledForm):
    preset = forms.ChoiceField(label=_("类别模板"))

    def __init__(self, *args, presets=(), **kwargs):
        self.base_fields = copy.deepcopy(self.base_fields)  # see CampaignCreateForm
        self.base_fields["preset"].choices = [(p.key, p.name) for p in presets]
        super().__init__(*args, **kwargs)


class MaterialForm(StyledForm):
    """Edits a material; ``kind`` is only shown when adding one."""

    name = forms.CharField(label=_("材料名称"), max_length=64)
    kind = forms.ChoiceField(label=_("类型"), choices=MaterialKind.choices)
    allowed_extensions = forms.CharField(
        label=_("允许的文件类型"),
        max_length=100,
        help_text=_("用逗号分隔，例如 doc,docx,pdf。"),
    )
    max_mb = forms.IntegerField(label=_("大小上限（MB）"))
    required = forms.BooleanField(label=_("必交"), required=False)
    required_from_level = forms.ChoiceField(label=_("自该级别起必交"), required=False)
    per_period = forms.BooleanField(label=_("每课时一份"), required=False)
    accepts_link = forms.BooleanField(
        label=_("可提交资源链接"),
        required=False,
        help_text=_("仅文档材料：教师可以填写资源链接（标题和网址）代替或补充上传文件。"),
    )

    def __init__(self, *args, levels=(), adding=False, **kwargs):
        self.base_fields = copy.deepcopy(self.base_fields)
        self.base_fields["required_from_level"].choices = [
            ("", _("不适用")),
            *[(lv.key, lv.name) for lv in levels],
        ]
        if not adding:
            del self.base_fields["kind"]
        super().__init__(*args, **kwargs)

    @classmethod
    def for_material(cls, material, levels, data=None):
        initial = {
            "name": material.name,
            "allowed_extensions": material.allowed_extensions,
            "max_mb": material.max_bytes // MB,
            "required": material.required,
            "required_from_level": material.required_from_level,
            "per_period": material.per_period,
            "accepts_link": material.accepts_link,
        }
        return cls(data=data, initial=initial, levels=levels, prefix=f"m{material.pk}")

    def domain_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["max_bytes"] = values.pop("max_mb") * MB
        return values


class VideoRuleForm(StyledForm):
    rule = forms.ChoiceField(label=_("规则"), choices=VideoRuleKey.choices)
    stage = forms.ModelChoiceField(
        label=_("适用学段"),
        queryset=CourseNode.objects.none(),
        required=False,
        empty_label=_("所有学段"),
        help_text=_("某一学段的规则代替该学段作品的同名“所有学段”规则。"),
    )
    value = forms.CharField(label=_("要求值"), max_length=32)
    severity = forms.ChoiceField(label=_("不符合时"), choices=Severity.choices)

    def __init__(self, *args, adding=True, **kwargs):
        if not adding:
            self.base_fields = copy.deepcopy(self.base_fields)
            del self.base_fields["rule"]
            del self.base_fields["stage"]
        super().__init__(*args, **kwargs)
        if adding:
            self.fields["stage"].queryset = stages()


class ChecklistItemForm(StyledForm):
    text = forms.CharField(label=_("人工检查项"), max_length=200)


class CriterionForm(StyledForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    group = forms.ChoiceField(label=_("一级指标"), choices=CriterionGroup.choices)
    name = forms.CharField(label=_("评价指标"), max_length=100)
    points = forms.IntegerField(label=_("分值"), initial=0)
    is_veto = forms.BooleanField(label=_("一票否决"), required=False)


class StyledFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("删除")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=StyledFormSet, extra=1, can_delete=True
)


class NodeRulesForm(StyledForm):
    award_level = forms.ChoiceField(
        label=_("关闭节点的获奖级别"),
        choices=[("", _("不按获奖关闭")), *AwardLevel.choices],
        required=False,
    )
    threshold = forms.IntegerField(
        label=_("关闭节点的获奖数量"), help_text=_("达到该数量即关闭；“超过 5 堂”填 6。")
    )
    promote_unawarded = forms.BooleanField(
        label=_("向教师推荐无省优、部优课例的节点"), required=False
    )


class AwardGradeForm(StyledForm):
    level = forms.TypedChoiceField(label=_("级别"), coerce=int)
    name = forms.CharField(label=_("奖项"), max_length=32)
    proportion = forms.DecimalField(
        label=_("比例（%）"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_("按比例评奖时填写，例如 10 表示 10%。"),
    )
    count = forms.IntegerField(label=_("名额"), required=False)

    def __init__(self, *args, levels=(), **kwargs):
        self.base_fields = copy.deepcopy(self.base_fields)
        self.base_fields["level"].choices = [(lv.pk, lv.name) for lv in levels]
        self.levels = {lv.pk: lv for lv in levels}
        super().__init__(*args, **kwargs)

    @classmethod
    def for_grade(cls, grade, levels, data=None):
        initial = {
            "level": grade.level_id,
            "name": grade.name,
            "proportion": None
            if grade.proportion is None
            else (grade.proportion * 100).quantize(Decimal("0.1")),
            "count": grade.count,
        }
        return cls(data=data, initial=initial, levels=levels, prefix=f"g{grade.pk}")

    def domain_values(self) -> dict:
        data = self.cleaned_data
        proportion = data["proportion"]
        return {
            "level": self.levels[data["level"]],
            "name": data["name"],
            "proportion": None if proportion is None else proportion / 100,
            "count": data["count"],
        }


class TrainingHoursForm(StyledForm):
    event = forms.ChoiceField(label=_("事项"), choices=TrainingEvent.choices)
    hours = forms.IntegerField(label=_("学时"))

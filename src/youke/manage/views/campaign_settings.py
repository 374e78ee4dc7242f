"""Campaign structure pages: a category's materials, file rules, checklist and rubric; adding
categories from presets; node rules, award grades and training hours.

Rules live in ``youke.campaigns.domain.settings``. Each form posts to its own URL; when the
domain refuses, the page is rendered again with that one form bound and showing the errors.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns.access import access_campaign
from youke.campaigns.domain import settings as domain
from youke.campaigns.enums import MaterialKind
from youke.campaigns.forms import (
    AwardGradeForm,
    CategoryForm,
    CategoryPresetForm,
    ChecklistItemForm,
    CriterionFormSet,
    MaterialForm,
    NodeRulesForm,
    TrainingHoursForm,
    VideoRuleForm,
)
from youke.campaigns.models import (
    AwardGrade,
    Category,
    ChecklistItem,
    Level,
    MaterialRequirement,
    TrainingHourRule,
    VideoRule,
)
from youke.core.actor import Actor
from youke.core.params import int_param
from youke.core.views import run_action
from youke.manage.views.common import admin_required, apply_errors

MB = 1024 * 1024


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _levels(campaign) -> list[Level]:
    return list(Level.objects.filter(campaign=campaign))


# --- category page -------------------------------------------------------------------------


def _rubric_formset(category, data=None):
    initial = [
        {"id": c.pk, "group": c.group, "name": c.name, "points": c.points, "is_veto": c.is_veto}
        for c in category.criteria.all()
    ]
    return CriterionFormSet(data=data, initial=initial, prefix="criteria")


def _render_category(request, campaign, category, bound: dict | None = None):
    bound = bound or {}
    levels = _levels(campaign)
    materials = (
        MaterialRequirement.objects.filter(category=category)
        .prefetch_related("video_rules__stage", "checklist")
        .annotate(attached=Count("materials"))
    )
    rows = []
    for m in materials:
        rows.append(
            {
                "material": m,
                "form": bound.get(f"m{m.pk}") or MaterialForm.for_material(m, levels),
                "is_video": m.kind == MaterialKind.VIDEO,
                "rules": [
                    (
                        r,
                        bound.get(f"r{r.pk}")
                        or VideoRuleForm(
                            initial={"value": r.value, "severity": r.severity},
                            adding=False,
                            prefix=f"r{r.pk}",
                        ),
                    )
                    for r in m.video_rules.all()
                ],
                "rule_form": bound.get(f"r{m.pk}new") or VideoRuleForm(prefix=f"m{m.pk}rule"),
                "checklist": m.checklist.all(),
                "checklist_form": bound.get(f"c{m.pk}")
                or ChecklistItemForm(prefix=f"m{m.pk}check"),
            }
        )
    criteria = list(category.criteria.all())
    return render(
        request,
        "manage/campaign_settings_category.html",
        {
            "campaign": campaign,
            "category": category,
            "category_form": bound.get("category") or CategoryForm.for_category(category),
            "materials": rows,
            "add_material_form": bound.get("material")
            or MaterialForm(
                levels=levels,
                adding=True,
                prefix="material",
                initial={"max_mb": domain.material_size_limit(campaign) // MB, "required": True},
            ),
            "rubric": bound.get("rubric") or _rubric_formset(category),
            "rubric_total": domain.rubric_total(criteria),
            "submission_count": category.submissions.count(),
            "known_extensions": ",".join(domain.KNOWN_EXTENSIONS),
        },
    )


def _category(campaign, category_id: int) -> Category:
    return get_object_or_404(Category, pk=category_id, campaign=campaign)


def _material(campaign, material_id: int) -> MaterialRequirement:
    return get_object_or_404(
        MaterialRequirement.objects.select_related("category"),
        pk=material_id,
        category__campaign=campaign,
    )


def _back(category):
    return redirect(
        "manage_campaigns:campaign_settings_category", category.campaign_id, category.pk
    )


@admin_required
def category_settings(request, campaign_id: int, category_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    category = _category(campaign, category_id)
    if request.method == "POST":
        form = CategoryForm.for_category(category, data=request.POST)
        if form.is_valid():
            try:
                domain.update_category(Actor.from_request(request), category, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("类别设置已保存。"))
                return _back(category)
        return _render_category(request, campaign, category, {"category": form})
    return _render_category(request, campaign, category)


@admin_required
@require_POST
def category_remove(request, campaign_id: int, category_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    category = _category(campaign, category_id)
    try:
        domain.remove_category(Actor.from_request(request), category)
    except ValidationError as exc:
        _refused(request, exc)
        return _back(category)
    messages.success(request, _("类别“%(n)s”已删除。") % {"n": category.name})
    return redirect("manage_campaigns:campaign_detail", campaign.pk)


@admin_required
@require_POST
def material_add(request, campaign_id: int, category_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    category = _category(campaign, category_id)
    form = MaterialForm(request.POST, levels=_levels(campaign), adding=True, prefix="material")
    if form.is_valid():
        try:
            material = domain.add_material(
                Actor.from_request(request), category, **form.domain_values()
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"max_bytes": "max_mb"})
        else:
            messages.success(request, _("材料“%(n)s”已添加。") % {"n": material.name})
            return _back(category)
    return _render_category(request, campaign, category, {"material": form})


@admin_required
@require_POST
def material_edit(request, campaign_id: int, material_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    material = _material(campaign, material_id)
    form = MaterialForm.for_material(material, _levels(campaign), data=request.POST)
    if form.is_valid():
        try:
            domain.update_material(Actor.from_request(request), material, **form.domain_values())
        except ValidationError as exc:
            apply_errors(form, exc, {"max_bytes": "max_mb"})
        else:
            messages.success(request, _("材料“%(n)s”已保存。") % {"n": form.cleaned_data["name"]})
            return _back(material.category)
    return _render_category(request, campaign, material.category, {f"m{material.pk}": form})


@admin_required
@require_POST
def material_remove(request, campaign_id: int, material_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    material = _material(campaign, material_id)
    return run_action(
        request,
        lambda: domain.remove_material(Actor.from_request(request), material),
        _("材料“%(n)s”已删除。") % {"n": material.name},
        _back(material.category),
    )


@admin_required
@require_POST
def rule_add(request, campaign_id: int, material_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    material = _material(campaign, material_id)
    form = VideoRuleForm(request.POST, prefix=f"m{material.pk}rule")
    if form.is_valid():
        try:
            domain.add_video_rule(Actor.from_request(request), material, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("视频规则已添加。"))
            return _back(material.category)
    return _render_category(request, campaign, material.category, {f"r{material.pk}new": form})


def _rule(campaign, rule_id: int) -> VideoRule:
    return get_object_or_404(
        VideoRule.objects.select_related("requirement__category"),
        pk=rule_id,
        requirement__category__campaign=campaign,
    )


@admin_required
@require_POST
def rule_edit(request, campaign_id: int, rule_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    rule = _rule(campaign, rule_id)
    form = VideoRuleForm(request.POST, adding=False, prefix=f"r{rule.pk}")
    if form.is_valid():
        try:
            domain.update_video_rule(Actor.from_request(request), rule, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("视频规则已保存。"))
            return _back(rule.requirement.category)
    return _render_category(request, campaign, rule.requirement.category, {f"r{rule.pk}": form})


@admin_required
@require_POST
def rule_remove(request, campaign_id: int, rule_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    rule = _rule(campaign, rule_id)
    return run_action(
        request,
        lambda: domain.remove_video_rule(Actor.from_request(request), rule),
        _("视频规则已删除。"),
        _back(rule.requirement.category),
    )


@admin_required
@require_POST
def checklist_add(request, campaign_id: int, material_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    material = _material(campaign, material_id)
    form = ChecklistItemForm(request.POST, prefix=f"m{material.pk}check")
    if form.is_valid():
        try:
            domain.add_checklist_item(
                Actor.from_request(request), material, form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("人工检查项已添加。"))
            return _back(material.category)
    return _render_category(request, campaign, material.category, {f"c{material.pk}": form})


@admin_required
@require_POST
def checklist_remove(request, campaign_id: int, item_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    item = get_object_or_404(
        ChecklistItem.objects.select_related("requirement__category"),
        pk=item_id,
        requirement__category__campaign=campaign,
    )
    return run_action(
        request,
        lambda: domain.remove_checklist_item(Actor.from_request(request), item),
        _("人工检查项已删除。"),
        _back(item.requirement.category),
    )


def _rubric_errors(formset, exc: ValidationError, keys: dict[str, int]) -> None:
    """Domain keys ``criterion_<pk>_<field>``/``new_<i>_<field>`` back onto formset rows."""
    if not hasattr(exc, "error_dict"):
        formset._non_form_errors = formset.error_class(exc.messages)
        return
    loose = []
    for key, found in exc.message_dict.items():
        row = next((keys[p] for p in keys if key.startswith(p)), None)
        if row is None or key == NON_FIELD_ERRORS:
            loose += found
            continue
        form = formset.forms[row]
        field = key.rsplit("_", 1)[-1] if not key.endswith("is_veto") else "is_veto"
        for message in found:
            form.add_error(field if field in form.fields else None, message)
    if loose:
        formset._non_form_errors = formset.error_class(loose)


@admin_required
@require_POST
def rubric_save(request, campaign_id: int, category_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    category = _category(campaign, category_id)
    formset = _rubric_formset(category, data=request.POST)
    if formset.is_valid():
        existing = set(category.criteria.values_list("pk", flat=True))
        changes, added, removed, keys = {}, [], [], {}
        for index, form in enumerate(formset.forms):
            data = dict(getattr(form, "cleaned_data", {}))
            delete = formset._should_delete_form(form)
            pk = data.pop("id", None) if not delete else int_param(form["id"].value())
            data.pop("DELETE", None)
            if not data and not delete:
                continue  # the blank row for a new criterion
            if pk in existing:
                if delete:
                    removed.append(pk)
                else:
                    changes[pk] = data
                    keys[f"criterion_{pk}_"] = index
            elif not delete:
                keys[f"new_{len(added)}_"] = index
                added.append(data)
        try:
            domain.update_rubric(
                Actor.from_request(request),
                category,
                changes=changes,
                added=added,
                removed=removed,
            )
        except ValidationError as exc:
            _rubric_errors(formset, exc, keys)
        else:
            messages.success(request, _("评价指标已保存。"))
            return _back(category)
    return _render_category(request, campaign, category, {"rubric": formset})


# --- adding categories ---------------------------------------------------------------------


def _render_category_add(request, campaign, bound: dict | None = None):
    bound = bound or {}
    presets = domain.category_presets()
    taken = set(Category.objects.filter(campaign=campaign).values_list("code", flat=True))
    available = [p for p in presets if p.key not in taken]
    return render(
        request,
        "manage/campaign_settings_category_add.html",
        {
            "campaign": campaign,
            "presets": available,
            "preset_form": bound.get("preset")
            or CategoryPresetForm(presets=available, prefix="preset"),
            "empty_form": bound.get("empty") or CategoryForm(prefix="empty"),
        },
    )


@admin_required
def category_add(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    return _render_category_add(request, campaign)


@admin_required
@require_POST
def category_add_preset(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = CategoryPresetForm(request.POST, presets=domain.category_presets(), prefix="preset")
    if form.is_valid():
        try:
            category = domain.add_category_from_preset(
                Actor.from_request(request), campaign, form.cleaned_data["preset"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("类别“%(n)s”已添加，请核对材料和评价指标。") % {"n": category.name}
            )
            return _back(category)
    return _render_category_add(request, campaign, {"preset": form})


@admin_required
@require_POST
def category_add_empty(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = CategoryForm(request.POST, prefix="empty")
    if form.is_valid():
        try:
            category = domain.add_category(
                Actor.from_request(request), campaign, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("类别“%(n)s”已添加，请添加材料和评价指标。") % {"n": category.name}
            )
            return _back(category)
    return _render_category_add(request, campaign, {"empty": form})


# --- node rules, awards, training hours ----------------------------------------------------


def _render_awards(request, campaign, bound: dict | None = None):
    bound = bound or {}
    levels = _levels(campaign)
    grades = AwardGrade.objects.filter(campaign=campaign).select_related("level")
    return render(
        request,
        "manage/campaign_settings_awards.html",
        {
            "campaign": campaign,
            "node_form": bound.get("nodes")
            or NodeRulesForm(
                prefix="nodes",
                initial={
                    "award_level": campaign.node_close_award_level,
                    "threshold": campaign.node_close_award_threshold,
                    "promote_unawarded": campaign.promote_unawarded_nodes,
                },
            ),
            "grades": [
                (g, bound.get(f"g{g.pk}") or AwardGradeForm.for_grade(g, levels)) for g in grades
            ],
            "grade_form": bound.get("grade") or AwardGradeForm(levels=levels, prefix="grade"),
            "training_hours": TrainingHourRule.objects.filter(campaign=campaign),
            "hours_form": bound.get("hours") or TrainingHoursForm(prefix="hours"),
        },
    )


def _back_to_awards(campaign):
    return redirect("manage_campaigns:campaign_settings_awards", campaign.pk)


@admin_required
def awards_settings(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    if request.method != "POST":
        return _render_awards(request, campaign)
    form = NodeRulesForm(request.POST, prefix="nodes")
    if form.is_valid():
        try:
            domain.update_node_rules(Actor.from_request(request), campaign, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(
                form,
                exc,
                {
                    "node_close_award_level": "award_level",
                    "node_close_award_threshold": "threshold",
                },
            )
        else:
            messages.success(request, _("节点规则已保存。"))
            return _back_to_awards(campaign)
    return _render_awards(request, campaign, {"nodes": form})


@admin_required
@require_POST
def grade_add(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = AwardGradeForm(request.POST, levels=_levels(campaign), prefix="grade")
    if form.is_valid():
        try:
            domain.add_award_grade(Actor.from_request(request), campaign, **form.domain_values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("奖项已添加。"))
            return _back_to_awards(campaign)
    return _render_awards(request, campaign, {"grade": form})


def _grade(campaign, grade_id: int) -> AwardGrade:
    return get_object_or_404(
        AwardGrade.objects.select_related("level"), pk=grade_id, campaign=campaign
    )


@admin_required
@require_POST
def grade_edit(request, campaign_id: int, grade_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    grade = _grade(campaign, grade_id)
    form = AwardGradeForm.for_grade(grade, _levels(campaign), data=request.POST)
    if form.is_valid():
        try:
            domain.update_award_grade(Actor.from_request(request), grade, **form.domain_values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("奖项已保存。"))
            return _back_to_awards(campaign)
    return _render_awards(request, campaign, {f"g{grade.pk}": form})


@admin_required
@require_POST
def grade_remove(request, campaign_id: int, grade_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    grade = _grade(campaign, grade_id)
    return run_action(
        request,
        lambda: domain.remove_award_grade(Actor.from_request(request), grade),
        _("奖项“%(n)s”已删除。") % {"n": grade.name},
        _back_to_awards(campaign),
    )


@admin_required
@require_POST
def hours_set(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    form = TrainingHoursForm(request.POST, prefix="hours")
    if form.is_valid():
        try:
            domain.set_training_hours(Actor.from_request(request), campaign, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("学时规则已保存。"))
            return _back_to_awards(campaign)
    return _render_awards(request, campaign, {"hours": form})


@admin_required
@require_POST
def hours_remove(request, campaign_id: int, rule_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    rule = get_object_or_404(TrainingHourRule, pk=rule_id, campaign=campaign)
    return run_action(
        request,
        lambda: domain.remove_training_hours(Actor.from_request(request), rule),
        _("学时规则已删除。"),
        _back_to_awards(campaign),
    )

from django.urls import path

from youke.manage.views import campaign_settings as cs
from youke.manage.views import campaigns as views

app_name = "manage_campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("past-awards/", views.past_award_import, name="past_award_import"),
    path("past-awards/template.xlsx", views.past_award_template, name="past_award_template"),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:campaign_id>/state/", views.campaign_set_state, name="campaign_set_state"),
    path("<int:campaign_id>/deadlines/", views.campaign_deadlines, name="campaign_deadlines"),
    path("<int:campaign_id>/nodes/", views.campaign_nodes, name="campaign_nodes"),
    path(
        "<int:campaign_id>/nodes/<int:node_id>/close/",
        views.campaign_node_close,
        name="campaign_node_close",
    ),
    path(
        "<int:campaign_id>/nodes/<int:node_id>/reopen/",
        views.campaign_node_reopen,
        name="campaign_node_reopen",
    ),
]

# Structure settings (categories, materials, rubrics, awards): manage/views/campaign_settings.py
_settings = "<int:campaign_id>/settings/"
urlpatterns += [
    path(f"{_settings}categories/add/", cs.category_add, name="campaign_settings_category_add"),
    path(
        f"{_settings}categories/add/preset/",
        cs.category_add_preset,
        name="campaign_settings_category_add_preset",
    ),
    path(
        f"{_settings}categories/add/empty/",
        cs.category_add_empty,
        name="campaign_settings_category_add_empty",
    ),
    path(
        f"{_settings}categories/<int:category_id>/",
        cs.category_settings,
        name="campaign_settings_category",
    ),
    path(
        f"{_settings}categories/<int:category_id>/remove/",
        cs.category_remove,
        name="campaign_settings_category_remove",
    ),
    path(
        f"{_settings}categories/<int:category_id>/materials/add/",
        cs.material_add,
        name="campaign_settings_material_add",
    ),
    path(
        f"{_settings}categories/<int:category_id>/criteria/",
        cs.rubric_save,
        name="campaign_settings_rubric",
    ),
    path(
        f"{_settings}materials/<int:material_id>/",
        cs.material_edit,
        name="campaign_settings_material_edit",
    ),
    path(
        f"{_settings}materials/<int:material_id>/remove/",
        cs.material_remove,
        name="campaign_settings_material_remove",
    ),
    path(
        f"{_settings}materials/<int:material_id>/rules/add/",
        cs.rule_add,
        name="campaign_settings_rule_add",
    ),
    path(
        f"{_settings}materials/<int:material_id>/checklist/add/",
        cs.checklist_add,
        name="campaign_settings_checklist_add",
    ),
    path(f"{_settings}rules/<int:rule_id>/", cs.rule_edit, name="campaign_settings_rule_edit"),
    path(
        f"{_settings}rules/<int:rule_id>/remove/",
        cs.rule_remove,
        name="campaign_settings_rule_remove",
    ),
    path(
        f"{_settings}checklist/<int:item_id>/remove/",
        cs.checklist_remove,
        name="campaign_settings_checklist_remove",
    ),
    path(f"{_settings}awards/", cs.awards_settings, name="campaign_settings_awards"),
    path(f"{_settings}awards/grades/add/", cs.grade_add, name="campaign_settings_grade_add"),
    path(
        f"{_settings}awards/grades/<int:grade_id>/",
        cs.grade_edit,
        name="campaign_settings_grade_edit",
    ),
    path(
        f"{_settings}awards/grades/<int:grade_id>/remove/",
        cs.grade_remove,
        name="campaign_settings_grade_remove",
    ),
    path(f"{_settings}training-hours/", cs.hours_set, name="campaign_settings_hours"),
    path(
        f"{_settings}training-hours/<int:rule_id>/remove/",
        cs.hours_remove,
        name="campaign_settings_hours_remove",
    ),
]

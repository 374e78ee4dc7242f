from django.urls import path

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

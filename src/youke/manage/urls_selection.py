from django.urls import path

from youke.manage.views import proposal as proposal_views
from youke.manage.views import selection as views

app_name = "manage_selection"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bulk/", views.bulk_recommend, name="bulk_recommend"),
    path("confirm/", views.confirm, name="confirm"),
    path("quotas/", views.quotas, name="quotas"),
    path("entries/<int:entry_id>/decide/", views.entry_decide, name="entry_decide"),
    path("entries/<int:entry_id>/screening/", views.screening, name="screening"),
    path("proposal/", proposal_views.proposal, name="proposal"),
    path("rounds/<int:round_id>/awards/", proposal_views.awards, name="awards"),
]

from youke.manage.views import selection_entry as entry_views  # noqa: E402
from youke.manage.views import selection_import as import_views  # noqa: E402

urlpatterns += [
    path("entries/<int:entry_id>/", entry_views.entry_detail, name="entry"),
    path("quotas/import/", import_views.quota_import, name="quota_import"),
    path("quotas/import/template/", import_views.quota_template, name="quota_template"),
]

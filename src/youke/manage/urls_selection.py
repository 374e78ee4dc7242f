from django.urls import path

from youke.manage.views import selection as views

app_name = "manage_selection"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bulk/", views.bulk_recommend, name="bulk_recommend"),
    path("confirm/", views.confirm, name="confirm"),
    path("quotas/", views.quotas, name="quotas"),
    path("entries/<int:entry_id>/decide/", views.entry_decide, name="entry_decide"),
    path("entries/<int:entry_id>/screening/", views.screening, name="screening"),
]

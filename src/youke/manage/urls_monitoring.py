from django.urls import path

from youke.manage.views import monitoring as views
from youke.manage.views import monitoring_bulletins as bulletins
from youke.manage.views import monitoring_classrooms as classroom_targets

app_name = "manage_monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("refresh/", views.refresh, name="refresh"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/target/", views.set_target, name="set_target"),
    path("indicators/term-target/", classroom_targets.set_term_target, name="set_term_target"),
    path("bulletins/", bulletins.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", bulletins.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:bulletin_id>/", bulletins.bulletin_detail, name="bulletin_detail"),
    path(
        "bulletins/<int:bulletin_id>/<str:action>/",
        bulletins.bulletin_action,
        name="bulletin_action",
    ),
    path("schedules/<int:schedule_id>/stop/", bulletins.schedule_stop, name="schedule_stop"),
    path(
        "bulletins/<int:bulletin_id>/file.<str:kind>",
        bulletins.bulletin_file,
        name="bulletin_file",
    ),
]

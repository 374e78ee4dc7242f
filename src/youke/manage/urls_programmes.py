from django.urls import path

from youke.manage.views import programmes as views
from youke.manage.views import programmes_yearend as yearend

app_name = "manage_programmes"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("new/", views.programme_create, name="programme_create"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/status/", views.task_status, name="task_status"),
    path("tasks/<int:task_id>/notes/", views.task_note, name="task_note"),
    path("tasks/<int:task_id>/evidence/", views.task_evidence, name="task_evidence"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path("<int:programme_id>/tasks/", views.programme_tasks, name="programme_tasks"),
    path("<int:programme_id>/tasks/new/", views.task_create, name="task_create"),
    path("<int:programme_id>/areas/", views.area_add, name="area_add"),
    path("<int:programme_id>/roster/", views.roster_add, name="roster_add"),
    path(
        "<int:programme_id>/roster/<int:member_id>/remove/",
        views.roster_remove,
        name="roster_remove",
    ),
    path("<int:programme_id>/ledger.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:programme_id>/yearend/", yearend.report_list, name="yearend_list"),
    path("<int:programme_id>/yearend/open/", yearend.report_open, name="yearend_open"),
    path("yearend/<int:report_id>/", yearend.report_detail, name="yearend_detail"),
    path(
        "yearend/<int:report_id>/consolidate/",
        yearend.report_consolidate,
        name="yearend_consolidate",
    ),
    path(
        "yearend/<int:report_id>/consolidated.<str:kind>",
        yearend.report_file,
        name="yearend_file",
    ),
    path("yearend/returns/<int:return_id>/", yearend.return_fill, name="yearend_return"),
    path(
        "yearend/returns/<int:return_id>/recommend/",
        yearend.return_recommend,
        name="yearend_recommend",
    ),
    path("cases/", yearend.case_list, name="case_list"),
    path("cases/<int:case_id>/", yearend.case_detail, name="case_detail"),
    path("cases/<int:case_id>/decide/", yearend.case_decide, name="case_decide"),
    path("cases/<int:case_id>/forward/", yearend.case_forward, name="case_forward"),
]

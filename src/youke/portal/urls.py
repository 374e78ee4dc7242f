from django.urls import path

from youke.portal import catalog_views, views  # noqa: I001

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/role/", views.switch_role, name="switch_role"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("catalog/", catalog_views.browse, name="catalog"),
    path("catalog/<int:node_id>/children/", catalog_views.children, name="catalog_children"),
]

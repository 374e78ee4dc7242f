from django.urls import path

from youke.portal import (  # noqa: I001
    catalog_views,
    certificate_views,
    library_views,
    link_views,
    media_views,
    submission_views,
    training_views,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/role/", views.switch_role, name="switch_role"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/charts/", views.dashboard_charts, name="dashboard_charts"),
    path("catalog/", catalog_views.browse, name="catalog"),
    path("catalog/<int:node_id>/children/", catalog_views.children, name="catalog_children"),
    path("my/submissions/", submission_views.my_submissions, name="my_submissions"),
    path("my/submissions/new/<int:campaign_id>/", submission_views.start, name="submission_start"),
    path("my/submissions/<int:submission_id>/", submission_views.detail, name="submission_detail"),
    path(
        "my/submissions/<int:submission_id>/history/",
        submission_views.history,
        name="submission_history",
    ),
    path(
        "my/submissions/<int:submission_id>/slots/<int:requirement_id>/<int:period>/",
        submission_views.slot_status,
        name="slot_status",
    ),
    path(
        "my/submissions/<int:submission_id>/links/",
        link_views.add_link,
        name="submission_link_add",
    ),
    path(
        "my/submissions/<int:submission_id>/links/<int:link_id>/remove/",
        link_views.remove_link,
        name="submission_link_remove",
    ),
    path(
        "my/submissions/<int:submission_id>/submit/",
        submission_views.submit,
        name="submission_submit",
    ),
    path(
        "my/submissions/<int:submission_id>/deliver-video/",
        submission_views.deliver_video,
        name="submission_deliver_video",
    ),
    path(
        "my/submissions/<int:submission_id>/withdraw/",
        submission_views.withdraw,
        name="submission_withdraw",
    ),
    path(
        "my/submissions/<int:submission_id>/reopen/",
        submission_views.reopen,
        name="submission_reopen",
    ),
    path(
        "my/submissions/<int:submission_id>/originality/",
        submission_views.originality,
        name="submission_originality",
    ),
    path(
        "my/submissions/<int:submission_id>/library-consent/",
        library_views.consent_accept,
        name="library_consent_accept",
    ),
    path(
        "my/submissions/<int:submission_id>/library-consent/panel/",
        library_views.consent_panel,
        name="library_consent_panel",
    ),
    path(
        "my/submissions/<int:submission_id>/library-consent/withdraw/",
        library_views.consent_withdraw,
        name="library_consent_withdraw",
    ),
    path(
        "my/submissions/<int:submission_id>/citations/",
        submission_views.citations,
        name="submission_citations",
    ),
    path(
        "my/submissions/<int:submission_id>/coauthors/",
        submission_views.coauthors,
        name="submission_coauthors",
    ),
    path("my/uploads/", submission_views.my_uploads, name="my_uploads"),
    path(
        "my/uploads/<uuid:upload_id>/poster.jpg", submission_views.asset_poster, name="asset_poster"
    ),
    path(
        "my/uploads/<uuid:upload_id>/thumbs/<int:index>.jpg",
        submission_views.asset_thumbnail,
        name="asset_thumbnail",
    ),
    path(
        "my/uploads/<uuid:upload_id>/preview.pdf",
        submission_views.asset_preview,
        name="asset_preview",
    ),
    path(
        "my/uploads/<uuid:upload_id>/download/", submission_views.download, name="upload_download"
    ),
    path(
        "my/uploads/<uuid:upload_id>/cancel/",
        submission_views.cancel_upload,
        name="upload_cancel",
    ),
    path("materials/<int:material_id>/play.mp4", media_views.play, name="material_play"),
    path("materials/<int:material_id>/hls/<path:part>", media_views.hls, name="material_hls"),
    path("materials/<int:material_id>/file", media_views.document, name="material_file"),
    path("materials/<int:material_id>/preview.pdf", media_views.preview, name="material_preview"),
    path("materials/<int:material_id>/poster.jpg", media_views.poster, name="material_poster"),
    path(
        "materials/<int:material_id>/thumbs/<int:index>.jpg",
        media_views.thumbnail,
        name="material_thumbnail",
    ),
    path("materials/<int:material_id>/position", media_views.position, name="material_position"),
    path("my/certificates/", certificate_views.my_certificates, name="my_certificates"),
    path(
        "my/certificates/<int:certificate_id>/download/",
        certificate_views.download,
        name="certificate_download",
    ),
    path(
        "my/certificates/<int:certificate_id>/credential.<str:fmt>",
        certificate_views.credential,
        name="certificate_credential",
    ),
    path(
        "my/certificates/<int:certificate_id>/share/",
        certificate_views.share,
        name="certificate_share",
    ),
    path(
        "my/certificates/<int:certificate_id>/qr.svg", certificate_views.qr, name="certificate_qr"
    ),
    path("my/hours/", training_views.my_hours, name="my_hours"),
    path("my/honours/", training_views.my_honours, name="my_honours"),
    path("my/honours/record.pdf", training_views.my_honours_pdf, name="my_honours_pdf"),
]

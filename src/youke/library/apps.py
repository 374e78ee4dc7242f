from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "youke.library"
    label = "library"
    verbose_name = _("资源库")

    def ready(self) -> None:
        from youke.library import receivers  # noqa: F401  award_revoked/objection_upheld → unpublish
        from youke.library.domain import publishing  # noqa: F401  registers the batch job

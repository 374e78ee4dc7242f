from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "youke.selection"
    label = "selection"
    verbose_name = _("遴选")

    def ready(self) -> None:
        import youke.selection.domain.quota_import  # noqa: F401  registers the import job
        import youke.selection.domain.review_export  # noqa: F401  registers the export job
        from youke.selection.domain import (
            publicity_exports,  # noqa: F401  registers its job
            summary,  # noqa: F401  registers the sheet job
        )

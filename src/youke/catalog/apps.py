from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "youke.catalog"
    label = "catalog"
    verbose_name = _("课程目录")

    def ready(self) -> None:
        from youke.catalog.domain import imports  # noqa: F401  registers import/export jobs

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "youke.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from youke.core import lookups  # noqa: F401  registers path__under
        from youke.core.signals import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)

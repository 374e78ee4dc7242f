from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "youke.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from youke import celery  # noqa: F401  the app @shared_task binds to in every process
        from youke.core import lookups  # noqa: F401  registers path__under
        from youke.core.signals import create_cache_table
        from youke.core.text import refuse_unstorable

        post_migrate.connect(create_cache_table, sender=self)
        # The same storage limits on SQLite as on PostgreSQL for every model of the project.
        pre_save.connect(refuse_unstorable, dispatch_uid="youke.refuse_unstorable")

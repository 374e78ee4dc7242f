from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "youke.monitoring"
    label = "monitoring"
    verbose_name = _("监测与通报")

    def ready(self) -> None:
        from youke.monitoring import receivers  # noqa: F401  submitted / awarded → refresh

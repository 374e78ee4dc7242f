from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "youke.training"
    label = "training"
    verbose_name = _("培训学时")

    def ready(self) -> None:
        from youke.training import receivers  # noqa: F401  晒课 and awards → credits
        from youke.training.domain import exports  # noqa: F401  registers the export job

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "youke.programmes"
    label = "programmes"
    verbose_name = _("行动计划台账")

    def ready(self) -> None:
        from youke.programmes.domain import yearend  # noqa: F401  submit check and the job

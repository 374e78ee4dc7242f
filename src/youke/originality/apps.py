from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OriginalityConfig(AppConfig):
    name = "youke.originality"
    label = "originality"
    verbose_name = _("原创性检测")

    def ready(self) -> None:
        from youke.originality import gates, receivers  # noqa: F401  signals and selection gate

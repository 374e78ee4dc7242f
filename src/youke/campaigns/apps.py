from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "youke.campaigns"
    label = "campaigns"
    verbose_name = _("遴选活动")

    def ready(self) -> None:
        from youke.campaigns.domain import past_awards  # noqa: F401  registers the import job

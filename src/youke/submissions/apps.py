from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "youke.submissions"
    label = "submissions"
    verbose_name = _("申报")

    def ready(self) -> None:
        from youke.submissions.domain import uploads  # noqa: F401  registers the upload purpose

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "youke.certificates"
    label = "certificates"
    verbose_name = _("证书")

    def ready(self) -> None:
        from youke.certificates import receivers  # noqa: F401  award_revoked → revoke
        from youke.certificates.domain import issuing  # noqa: F401  registers the issue job

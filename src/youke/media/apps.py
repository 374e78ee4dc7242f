from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "youke.media"
    label = "media"
    verbose_name = _("上传与媒体")

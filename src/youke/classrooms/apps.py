from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "youke.classrooms"
    label = "classrooms"
    verbose_name = _("三个课堂")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from youke.classrooms.domain import replays  # noqa: F401  registers the upload purpose

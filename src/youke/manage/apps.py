from django.apps import AppConfig


class ManageConfig(AppConfig):
    name = "youke.manage"
    label = "manage"

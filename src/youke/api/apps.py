from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "youke.api"
    label = "api"

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "youke.portal"
    label = "portal"

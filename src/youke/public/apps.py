from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Pages for people without an account: publicity windows and objections."""

    name = "youke.public"
    label = "public"

"""`youke config`: every setting of the typed spec with its variable and current value."""

from django.conf import settings
from django.core.management.base import BaseCommand

from youke import config


class Command(BaseCommand):
    help = "列出全部配置项、对应的环境变量和当前值（密钥已隐藏）。"

    def handle(self, *args, **options):
        for name, env, shown, description in config.describe(settings.CONFIG):
            self.stdout.write(f"{name:24} {env:30} {shown}\n    {description}")

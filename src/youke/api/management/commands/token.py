"""`youke token USERNAME [--label L]`: issue a bearer token for scripts.

Only the SHA-256 digest is stored; the raw token is printed once and cannot be recovered.
"""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.models import ApiToken, Person


class Command(BaseCommand):
    help = _("为指定用户签发接口令牌（Bearer），令牌只显示一次。")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("用户名"))
        parser.add_argument("--label", default="", help=_("令牌用途，便于日后识别"))

    def handle(self, *args, username: str, label: str, **options):
        person = Person.objects.select_related("unit").filter(username=username).first()
        if person is None:
            raise CommandError(
                _("用户 %(username)s 不存在，请核对用户名。") % {"username": username}
            )
        if not person.is_active:
            raise CommandError(
                _("用户 %(username)s 已停用，不能签发令牌。") % {"username": username}
            )
        raw = secrets.token_urlsafe(32)
        with transaction.atomic():
            token = ApiToken.objects.create(
                person=person, digest=ApiToken.digest_of(raw), label=label[:64]
            )
            record(
                Actor.system(),
                AuditAction.TOKEN,
                token,
                unit=person.unit,
                after={"person": person.pk, "label": token.label},
            )
        self.stdout.write(raw)
        self.stderr.write(
            _(
                "已为 %(name)s（%(username)s）签发接口令牌，只显示这一次，请妥善保存。"
                "调用接口时使用请求头：Authorization: Bearer <令牌>"
            )
            % {"name": person.full_name, "username": person.username}
        )

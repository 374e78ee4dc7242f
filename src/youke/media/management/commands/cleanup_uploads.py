"""`youke cleanup_uploads [--older-than-hours N]`: abort abandoned uploads, free their disk.

Run it from cron (or a periodic Celery task) once an hour; the default age comes from the
``UPLOAD_ABANDON_HOURS`` setting (48 hours when unset).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from youke.media.domain.uploads import abandon_after, cleanup_abandoned_uploads


class Command(BaseCommand):
    help = _("中止长时间未继续的上传，并删除其未完成的临时文件。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=None,
            help=_("多少小时未继续上传即视为放弃（默认取配置 UPLOAD_ABANDON_HOURS，48 小时）"),
        )

    def handle(self, *args, older_than_hours: float | None, **options):
        if older_than_hours is not None and older_than_hours < 0:
            raise CommandError(_("--older-than-hours 不能为负数，请填写 0 或更大的小时数。"))
        older_than = (
            abandon_after() if older_than_hours is None else timedelta(hours=older_than_hours)
        )
        result = cleanup_abandoned_uploads(older_than=older_than)
        self.stdout.write(
            _(
                "已中止 %(aborted)s 个上传，删除 %(orphans)s 个孤立临时文件，%(busy)s 个正在上传已跳过。"
            )
            % {"aborted": result.aborted, "orphans": result.orphans, "busy": result.busy}
        )

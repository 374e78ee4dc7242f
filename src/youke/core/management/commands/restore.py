"""`youke restore IN`: load an archive into an empty database and storage, then verify."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from youke.core.domain import backup


class Command(BaseCommand):
    help = (
        "把 `youke backup` 写出的备份目录恢复到空数据库和空文件存储：先核对备份自身的 SHA-256 "
        "和迁移状态，再按依赖顺序写入全部行、写入全部文件，最后逐表、逐文件与清单核对，"
        "有任何不同即以非零状态退出。目标数据库须为空：将 DATABASE_URL 指向新数据库并运行 "
        "`youke migrate` 后再恢复。--verify 只核对现有数据库和存储与备份是否一致，不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="备份目录")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="只核对（行数、每张表的校验和、每个文件的 SHA-256），不写入任何数据",
        )

    def handle(self, *args, **options):
        try:
            if options["verify"]:
                report = backup.verify(options["archive"], progress=self.stdout.write)
            else:
                report = backup.restore(options["archive"], progress=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                _("与备份不一致：{count} 处（见上）。").format(count=len(report.problems))
            )
        self.stdout.write(self.style.SUCCESS(_("与备份一致。")))

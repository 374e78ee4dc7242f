"""`youke backup OUT`: the whole install (rows and stored files) into one archive directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from youke.core.domain import backup


class Command(BaseCommand):
    help = (
        "把整个安装备份到一个新的（或空的）目录 OUT：manifest.json（格式版本、时间、各应用最新"
        "迁移、每张表的行数与 SHA-256、每个文件的存储名、大小与 SHA-256）、db/ 下每张表一个 "
        "JSONL 文件、files/ 下默认存储中被引用的全部文件（经由 Django 存储读取，可以是 S3）。"
        "需要单个文件时可再执行 tar -cf OUT.tar OUT。身份证号以密文备份：没有原安装的 "
        "field_key 就无法读出，可用 --include-keys 一并备份密钥（请妥善保管该备份）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="备份目录（不存在或为空）")
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="同时备份 secret_key 和 field_key；没有 field_key，恢复后身份证号无法读出",
        )

    def handle(self, *args, **options):
        try:
            manifest = backup.backup(
                options["out"],
                include_keys=options["include_keys"],
                progress=self.stdout.write,
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(entry["rows"] for entry in manifest["models"])
        self.stdout.write(
            self.style.SUCCESS(
                _("备份完成：{tables} 张表共 {rows} 行，{files} 个文件 → {out}").format(
                    tables=len(manifest["models"]),
                    rows=rows,
                    files=len(manifest["files"]),
                    out=options["out"],
                )
            )
        )

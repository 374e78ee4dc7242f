"""`youke import KIND FILE --as USERNAME`: the same import jobs as the pages, from a shell."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.orgs.models import Person, Unit

KINDS = {
    "units": "orgs.import_units",
    "teachers": "orgs.import_teachers",
    "catalog": "catalog.import_nodes",
}


class Command(BaseCommand):
    help = "从 xlsx/CSV 文件导入单位、教师或课程目录（与页面导入相同的校验和错误报告）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as", dest="username", required=True, help="以该账号的权限导入（决定管理范围）"
        )
        parser.add_argument(
            "--school", default="", help="教师导入：表中未填学校代码时使用的学校代码"
        )

    def handle(self, *args, kind, file, username, school, **options):
        person = Person.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise CommandError(f"账号 {username} 不存在或已停用，请检查 --as 参数。")
        if not file.is_file():
            raise CommandError(f"找不到文件 {file}，请检查路径。")
        unit = None
        if school:
            unit = Unit.objects.filter(code=school).first()
            if unit is None:
                raise CommandError(f"学校代码 {school} 不存在，请核对。")
        upload = SimpleUploadedFile(file.name, file.read_bytes())
        with transaction.atomic():
            job = jobs.create_job(
                Actor(person), KINDS[kind], unit=unit, upload=upload, enqueue=False
            )
        jobs.run(job.pk)  # inline: a shell user waits for the result anyway
        job.refresh_from_db()
        self.stdout.write(job.message)
        for error in job.result.get("errors", [])[:50]:
            self.stdout.write(f"  第 {error['row']} 行 [{error['column']}] {error['reason']}")
        if job.state != "succeeded":
            raise CommandError(job.message)

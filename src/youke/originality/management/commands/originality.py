"""``youke originality fingerprint [--missing-audio] [--dry-run]``: queue the fingerprint job
for checked videos indexed before the sound track was fingerprinted (or for every checked
material), so an upgraded installation compares old lessons by their sound too."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from youke.originality.domain.backfill import materials_to_fingerprint
from youke.originality.tasks import fingerprint_material


class Command(BaseCommand):
    help = _("原创性检测：为已检查的材料补做指纹（默认只补声音指纹缺失的视频）。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("fingerprint", help=_("把需要补做指纹的材料排入后台任务"))
        run.add_argument(
            "--all",
            action="store_true",
            help=_("所有已检查的材料都重做（默认只补声音指纹缺失的视频）"),
        )
        run.add_argument("--dry-run", action="store_true", help=_("只报告数量，不排任务"))

    def handle(self, *args, action: str, **options):
        ids = list(materials_to_fingerprint(missing_audio_only=not options["all"]))
        if not options["dry_run"]:
            for material_id in ids:
                fingerprint_material.delay(material_id)
        message = (
            _("需要补做指纹的材料：%(n)d 件。")
            if options["dry_run"]
            else _("已排入指纹任务：%(n)d 件，后台处理完成后各作品会重新比对。")
        )
        self.stdout.write(message % {"n": len(ids)})

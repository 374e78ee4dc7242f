"""Library courses (shared network courses) and their ordered lessons.

Making the lesson's catalog node optional rebuilds the lesson table on SQLite, which drops
the FTS5 triggers of migration 0002: ``restore_triggers`` puts them back (both directions),
and the index is rebuilt from the table.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search_index = importlib.import_module("youke.library.migrations.0002_search_index")
    for sql in search_index.SQLITE_BACKWARD[:3]:
        schema_editor.execute(sql)
    for sql in search_index.SQLITE_FORWARD[1:]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_material_accepts_link"),
        ("catalog", "0001_course_nodes"),
        ("classrooms", "0006_network_recordings"),
        ("library", "0005_engagement_comments_reports"),
        ("orgs", "0004_encrypt_id_cards"),
        ("submissions", "0002_material_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),
        migrations.AddField(
            model_name="librarylesson",
            name="course_order",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="课序"),
        ),
        migrations.AddField(
            model_name="librarylesson",
            name="external_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="外部录像地址"),
        ),
        migrations.AddField(
            model_name="librarylesson",
            name="planned_lesson",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="classrooms.plannedlesson",
            ),
        ),
        migrations.AlterField(
            model_name="librarylesson",
            name="node",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.coursenode",
            ),
        ),
        migrations.AlterField(
            model_name="librarylesson",
            name="node_path",
            field=models.CharField(blank=True, db_index=True, max_length=255),
        ),
        migrations.CreateModel(
            name="LibraryCourse",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("school_name", models.CharField(blank=True, max_length=100, verbose_name="学校")),
                ("title", models.CharField(max_length=200, verbose_name="课程名称")),
                ("subject", models.CharField(max_length=32, verbose_name="学科")),
                ("grade", models.CharField(max_length=32, verbose_name="年级")),
                (
                    "node_trail",
                    models.CharField(blank=True, max_length=500, verbose_name="课程目录"),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("published", "已发布"), ("unpublished", "已下架")],
                        default="published",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("published_at", models.DateTimeField(verbose_name="发布时间")),
                (
                    "unpublished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="下架时间"),
                ),
                (
                    "unpublish_reason",
                    models.CharField(blank=True, max_length=300, verbose_name="下架理由"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "network_course",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="library_course",
                        to="classrooms.networkcourse",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "publishing_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.unit",
                    ),
                ),
                (
                    "school",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="orgs.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "资源库课程",
                "verbose_name_plural": "资源库课程",
                "ordering": ["-published_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="librarylesson",
            name="course",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lessons",
                to="library.librarycourse",
            ),
        ),
        migrations.AddIndex(
            model_name="librarylesson",
            index=models.Index(fields=["course", "course_order"], name="library_course_order"),
        ),
        migrations.AddConstraint(
            model_name="librarylesson",
            constraint=models.UniqueConstraint(
                condition=models.Q(("planned_lesson__isnull", False)),
                fields=("planned_lesson",),
                name="library_one_lesson_per_planned_lesson",
            ),
        ),
        migrations.AddIndex(
            model_name="librarycourse",
            index=models.Index(fields=["state", "-published_at"], name="library_course_newest"),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]

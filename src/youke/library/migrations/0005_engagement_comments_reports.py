"""Favourites, watch history, comments with a sensitive-word list, problem reports.

The lesson's two new counters are added with ``ALTER TABLE … ADD COLUMN`` on SQLite: Django
would rebuild the table for a NOT NULL column with a default, and the rebuild drops the FTS5
triggers of migration 0002 (search would silently stop following edits).
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COUNTERS = ("comments", "favourites")


def _sqlite_triggers(schema_editor):
    search_index = importlib.import_module("youke.library.migrations.0002_search_index")
    for sql in search_index.SQLITE_BACKWARD[:3]:  # the triggers, not the FTS table
        schema_editor.execute(sql)
    for sql in search_index.SQLITE_FORWARD[1:4]:
        schema_editor.execute(sql)


def add_counters(apps, schema_editor):
    model = apps.get_model("library", "LibraryLesson")
    for name in COUNTERS:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f'ALTER TABLE library_librarylesson ADD COLUMN "{name}" integer unsigned'
                f' NOT NULL DEFAULT 0 CHECK ("{name}" >= 0)'
            )
        else:
            schema_editor.add_field(model, model._meta.get_field(name))


def remove_counters(apps, schema_editor):
    model = apps.get_model("library", "LibraryLesson")
    for name in COUNTERS:
        schema_editor.remove_field(model, model._meta.get_field(name))
    if schema_editor.connection.vendor == "sqlite":
        _sqlite_triggers(schema_editor)  # a rebuilt table has lost them


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0004_analyze"),
        ("orgs", "0004_encrypt_id_cards"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the columns are added by add_counters below (see its docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="librarylesson",
                    name="comments",
                    field=models.PositiveIntegerField(default=0, verbose_name="评论数"),
                ),
                migrations.AddField(
                    model_name="librarylesson",
                    name="favourites",
                    field=models.PositiveIntegerField(default=0, verbose_name="收藏数"),
                ),
            ]
        ),
        migrations.RunPython(add_counters, remove_counters),
        migrations.AddField(
            model_name="librarysettings",
            name="comments_premoderated",
            field=models.BooleanField(default=True, verbose_name="评论先审后发"),
        ),
        migrations.CreateModel(
            name="LessonComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField(max_length=1000, verbose_name="评论内容")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "待审核"),
                            ("published", "已发布"),
                            ("rejected", "未通过"),
                            ("deleted", "已删除"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                (
                    "flagged_word",
                    models.CharField(blank=True, max_length=50, verbose_name="触发的审核词"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发表时间")),
                (
                    "moderated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="审核时间"),
                ),
                ("reason", models.CharField(blank=True, max_length=300, verbose_name="未通过理由")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lesson",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comment_set",
                        to="library.librarylesson",
                    ),
                ),
                (
                    "moderated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "课例评论",
                "verbose_name_plural": "课例评论",
                "indexes": [
                    models.Index(
                        fields=["lesson", "state", "-created_at", "-id"],
                        name="library_comment_list",
                    ),
                    models.Index(
                        fields=["state", "-created_at", "-id"], name="library_comment_queue"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LessonFavourite",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="收藏时间")),
                (
                    "lesson",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="library.librarylesson",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "收藏",
                "verbose_name_plural": "收藏",
                "indexes": [
                    models.Index(fields=["person", "-created_at", "-id"], name="library_fav_person")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("lesson", "person"), name="library_favourite_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ProblemReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("playback", "视频无法播放"),
                            ("content", "内容错误"),
                            ("copyright", "侵权"),
                            ("other", "其他"),
                        ],
                        max_length=16,
                        verbose_name="问题类型",
                    ),
                ),
                ("text", models.TextField(max_length=1000, verbose_name="问题描述")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "待处理"),
                            ("resolved", "已解决"),
                            ("dismissed", "已驳回"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("reply", models.TextField(blank=True, max_length=1000, verbose_name="处理答复")),
                (
                    "handled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="处理时间"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="报告时间")),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lesson",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="library.librarylesson",
                    ),
                ),
                (
                    "reporter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "问题报告",
                "verbose_name_plural": "问题报告",
                "indexes": [
                    models.Index(
                        fields=["state", "-created_at", "-id"], name="library_report_queue"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SensitiveWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=50, verbose_name="敏感词")),
                ("normalised", models.CharField(max_length=50)),
                (
                    "action",
                    models.CharField(
                        choices=[("block", "拒绝发布"), ("review", "转人工审核")],
                        default="block",
                        max_length=8,
                        verbose_name="处理方式",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "敏感词",
                "verbose_name_plural": "敏感词",
                "ordering": ["normalised", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "normalised"), name="library_word_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WatchHistory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_position", models.FloatField(default=0, verbose_name="上次播放位置（秒）")),
                (
                    "seconds_watched",
                    models.PositiveIntegerField(default=0, verbose_name="累计观看（秒）"),
                ),
                (
                    "duration_seconds",
                    models.PositiveIntegerField(default=0, verbose_name="视频总时长（秒）"),
                ),
                ("last_watched_at", models.DateTimeField(verbose_name="最近观看")),
                ("carry", models.FloatField(default=0)),
                (
                    "last_file",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="library.libraryfile",
                    ),
                ),
                (
                    "lesson",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="library.librarylesson",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "观看记录",
                "verbose_name_plural": "观看记录",
                "indexes": [
                    models.Index(
                        fields=["person", "-last_watched_at", "-id"], name="library_history_person"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("lesson", "person"), name="library_history_unique"
                    )
                ],
            },
        ),
    ]

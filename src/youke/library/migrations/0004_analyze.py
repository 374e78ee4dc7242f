"""Refresh the planner's statistics after 0003's indexes: without them SQLite may walk a new
index on ``state`` for every filtered query (seen at 200,000 lessons: 10× slower)."""

from django.db import migrations


def analyze(apps, schema_editor):
    schema_editor.execute("ANALYZE library_librarylesson")


class Migration(migrations.Migration):
    dependencies = [("library", "0003_filter_indexes")]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop)]

"""ID-card numbers encrypted at rest, with a keyed hash for uniqueness and look-ups.

The data step reads and writes the column with raw SQL: the historical model's field
already decrypts, and the rows it converts are still plaintext (or, going back, tokens).
"""

from django.db import migrations, models

import youke.core.fields


def _rows(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, id_card FROM orgs_person WHERE id_card IS NOT NULL")
        return cursor.fetchall()


def encrypt_existing(apps, schema_editor):
    from youke.core.fields import encrypt, keyed_hash

    rows = _rows(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE orgs_person SET id_card = %s, id_card_hash = %s WHERE id = %s",
            [(encrypt(number), keyed_hash(number), pk) for pk, number in rows if number],
        )


def decrypt_existing(apps, schema_editor):
    from youke.core.fields import decrypt

    rows = _rows(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE orgs_person SET id_card = %s, id_card_hash = NULL WHERE id = %s",
            [(decrypt(token), pk) for pk, token in rows],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_person_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="id_card_hash",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_card",
            field=youke.core.fields.EncryptedTextField(
                blank=True, hash_field="id_card_hash", null=True, verbose_name="身份证号"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

"""``path__under``: the subtree lookup for materialized paths, as an index range.

Django's ``startswith`` becomes ``LIKE 'P%' ESCAPE '\\'``; SQLite's LIKE is case-insensitive
and so never uses the ordinary index on ``path``. A range ``path >= P AND path < P || '~'``
does (path characters are 0-9A-Z, all below '~'). PostgreSQL keeps LIKE, which its
``varchar_pattern_ops`` index (added by Django for unique CharFields) serves.
"""

from django.db.models import CharField, Lookup


@CharField.register_lookup
class Under(Lookup):
    lookup_name = "under"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, *lhs_params, prefix + "~"]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} LIKE %s", [*lhs_params, str(self.rhs) + "%"]

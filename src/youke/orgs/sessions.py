"""Session engine (``SESSION_ENGINE``): Django's database sessions plus the owner's id.

Ending a person's sessions after a password reset or deactivation is then one indexed
DELETE instead of decoding every session row.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from youke.orgs.models import PersonSession

        return PersonSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        owner = data.get("_auth_user_id")
        instance.person_id = int(owner) if owner is not None and str(owner).isdigit() else None
        return instance

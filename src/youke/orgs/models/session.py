from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class PersonSession(AbstractBaseSession):
    """A database session that records whose it is, so all of one person's can be ended."""

    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "orgs_person_session"

    @classmethod
    def get_session_store_class(cls):
        from youke.orgs.sessions import SessionStore

        return SessionStore

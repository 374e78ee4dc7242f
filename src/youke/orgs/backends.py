from django.contrib.auth.backends import ModelBackend

from youke.orgs.domain.login import find_account
from youke.orgs.models import Person


class MobileOrUsernameBackend(ModelBackend):
    """Log in with the username or the mobile number, whichever the person remembers."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        person = find_account(username)
        if person is None:
            Person().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None

    def get_user(self, user_id):
        # The navbar's unread badge comes with the person: one query for both on every page.
        from youke.notifications.domain.badge import ANNOTATION, unread_subquery

        person = (
            Person.objects.filter(pk=user_id)
            .select_related("unit")
            .annotate(**{ANNOTATION: unread_subquery()})
            .first()
        )
        return person if person and self.user_can_authenticate(person) else None

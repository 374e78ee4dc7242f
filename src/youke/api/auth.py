"""API authentication: browser session (with CSRF) or a bearer token from `youke token`."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from youke.orgs.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = (
            ApiToken.objects.select_related("person", "person__unit")
            .filter(digest=ApiToken.digest_of(token), person__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.person
        return api_token.person


class ActiveSession(SessionAuth):
    def authenticate(self, request, key):
        person = super().authenticate(request, key)
        if person is None or getattr(person, "must_change_password", False):
            return None
        return person


AUTH = [BearerToken(), ActiveSession()]

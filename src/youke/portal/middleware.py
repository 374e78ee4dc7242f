from django.shortcuts import redirect
from django.urls import reverse


class ForcePasswordChangeMiddleware:
    """A person with a temporary password may do nothing but change it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("portal:password_change"), reverse("portal:logout")}
            if request.path not in allowed and not request.path.startswith(
                ("/static/", "/api/", "/jsi18n/")
            ):
                return redirect("portal:password_change")
        return self.get_response(request)

"""The signed-in person's notifications: unread first, opened or marked read by POST."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from youke.notifications.domain.notify import mark_all_read, mark_read
from youke.notifications.models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(person=request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def read(request, notification_id: int):
    """Mark read, then follow the notification's link when asked to open it."""
    try:
        notification = mark_read(request.user, notification_id)
    except Notification.DoesNotExist:
        raise Http404("notification") from None
    target = notification.url
    wanted = "open" in request.POST and target
    if wanted and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    mark_all_read(request.user)
    return redirect("notifications:list")

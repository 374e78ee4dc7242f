"""Loading collections for a viewer: 404 for missing and not-yours alike."""

from __future__ import annotations

from django.http import Http404

from youke.collections import rules
from youke.collections.models import CollectionReturn, CollectionTask, DocumentVersion
from youke.orgs.models import Person


def access_task(viewer: Person, task_id: int) -> CollectionTask:
    task = (
        rules.tasks_visible_to(viewer)
        .select_related("issuing_unit", "campaign")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("collection")
    return task


def access_managed_task(viewer: Person, task_id: int) -> CollectionTask:
    """A task the viewer's units issued (the follow-up side)."""
    task = access_task(viewer, task_id)
    if not rules.can_manage_task(viewer, task):
        raise Http404("collection")
    return task


def access_return(viewer: Person, return_id: int) -> CollectionReturn:
    collection_return = (
        rules.returns_visible_to(viewer)
        .select_related("task__issuing_unit", "task__campaign", "unit")
        .filter(pk=return_id)
        .first()
    )
    if collection_return is None:
        raise Http404("collection return")
    return collection_return


def access_version(viewer: Person, version_id: int) -> DocumentVersion:
    version = (
        DocumentVersion.objects.filter(
            pk=version_id, collection_return__in=rules.returns_visible_to(viewer)
        )
        .select_related("collection_return")
        .first()
    )
    if version is None:
        raise Http404("version")
    return version

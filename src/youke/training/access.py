"""Load a teacher for the hours and honours pages: 404 for missing and not yours."""

from django.http import Http404

from youke.training import rules


def access_teacher(viewer, person_id: int):
    """The viewer themself, or a person whose home unit the viewer administers."""
    if viewer.is_authenticated and viewer.pk == person_id:
        return viewer
    teacher = rules.teachers_visible_to(viewer).select_related("unit").filter(pk=person_id).first()
    if teacher is None:
        raise Http404("teacher")
    return teacher

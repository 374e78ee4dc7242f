"""The publication licence block on the teacher's package page (portal/_library_consent.html)."""

from django import template

from youke.library.domain import consent
from youke.library.models import LibraryLesson

register = template.Library()


def consent_context(submission, user) -> dict:
    """What the panel shows: two queries without consent, three with it."""
    active = consent.current_consent(submission)
    if active is None:
        title, text = consent.licence_for(submission.campaign)
        awarded, lesson = False, None
    else:
        title, text = active.licence_title, active.licence_text
        awarded = consent.has_active_award(submission)
        lesson = LibraryLesson.objects.filter(submission=submission).first()
    return {
        "submission": submission,
        "is_author": submission.teacher_id == user.pk,
        "licence_title": title,
        "licence_text": text,
        "consent": active,
        "awarded": awarded,
        "lesson": lesson,
    }


@register.inclusion_tag("portal/_library_consent_slot.html")
def library_consent(submission):
    """A placeholder the page fills after loading (keeps the package page's queries flat)."""
    return {"submission": submission}

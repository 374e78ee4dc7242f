"""The library follows the selection and network-course events it depends on (connected in
apps.ready)."""

from django.dispatch import receiver

from youke.classrooms.signals import network_course_shared, network_course_withdrawn
from youke.core.actor import Actor
from youke.library.domain.courses import follow_course_withdrawn, publish_course
from youke.library.domain.publishing import follow_award_revoked, follow_objection_upheld
from youke.selection.signals import award_revoked, objection_upheld


@receiver(award_revoked, dispatch_uid="library.follow_award_revoked")
def _award_revoked(sender, award_id: int, actor: Actor | None = None, reason: str = "", **kw):
    follow_award_revoked(actor or Actor.system(), award_id, reason)


@receiver(objection_upheld, dispatch_uid="library.follow_objection_upheld")
def _objection_upheld(sender, entry_id: int, actor: Actor | None = None, reason: str = "", **kw):
    follow_objection_upheld(actor or Actor.system(), entry_id, reason)


@receiver(network_course_shared, dispatch_uid="library.publish_course")
def _course_shared(sender, course_id: int, actor: Actor | None = None, **kw):
    publish_course(actor or Actor.system(), course_id)


@receiver(network_course_withdrawn, dispatch_uid="library.follow_course_withdrawn")
def _course_withdrawn(sender, course_id: int, actor: Actor | None = None, reason: str = "", **kw):
    follow_course_withdrawn(actor or Actor.system(), course_id, reason)

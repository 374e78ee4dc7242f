"""网络集体备课 (issue 12 item 6): a studio's host or member shares a draft design, the
studio's people annotate it (a paragraph, or the whole), the host posts revised versions
and finally a summary. Every version is kept; annotations stay with the version they read.

``set_prep_state`` is the only writer of a session's state (``PREP_TRANSITIONS``); the
participants are told after commit when a version or the summary is posted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.classrooms import rules
from youke.classrooms.enums import PREP_TRANSITIONS, PrepState
from youke.classrooms.models import (
    PrepAnnotation,
    PrepSession,
    PrepVersion,
    Studio,
    StudioMember,
)
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.enums import NotificationKind
from youke.orgs.domain.units import PermissionDenied

MAX_TEXT = 50_000


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写教学设计正文（每段一行），再提交。")]})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": [_("教学设计最多 %(n)d 字，请删减后再提交。") % {"n": MAX_TEXT}]}
        )
    return text


def _participants(prep: PrepSession) -> list[int]:
    ids = set(StudioMember.objects.filter(studio=prep.studio).values_list("person_id", flat=True))
    ids.add(prep.studio.host.person_id)
    return sorted(ids)


def _tell(prep: PrepSession, actor: Actor, title: str, body: str) -> None:
    """Notify the studio's people except the actor, after commit."""
    from youke.notifications.domain.notify import notify
    from youke.orgs.models import Person

    people = [pk for pk in _participants(prep) if pk != actor.person.pk]
    url = reverse("portal_classrooms:prep", args=[prep.pk])

    def send():
        for person in Person.objects.filter(pk__in=people):
            notify(person, NotificationKind.LESSON_PREP, title=title, body=body, url=url)

    transaction.on_commit(send, robust=True)


def start_prep(actor: Actor, studio: Studio, *, title: str, text: str, note: str = ""):
    """Open a session with version 1 of the draft design."""
    if not rules.can_start_prep(actor.person, studio):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写课题。")]})
    text = _clean_text(text)
    with transaction.atomic():
        prep = PrepSession.objects.create(studio=studio, host=actor.person, title=title[:200])
        PrepVersion.objects.create(
            prep=prep, number=1, text=text, note=note[:500], author=actor.person
        )
        record(actor, AuditAction.CREATE, prep, unit=studio.unit, after={"title": prep.title})
        _tell(
            prep,
            actor,
            _("集体备课：%(title)s") % {"title": prep.title},
            _("%(host)s 分享了教学设计初稿，请在段落上批注。") % {"host": actor.person.full_name},
        )
    return prep


def _locked(prep: PrepSession) -> PrepSession:
    return (
        PrepSession.objects.select_for_update(of=("self",))
        .select_related("studio__host", "studio__unit")
        .get(pk=prep.pk)
    )


def _require_open(prep: PrepSession) -> None:
    if prep.state != PrepState.OPEN:
        raise ValidationError(_("这次集体备课已总结，不能再修改或批注。"))


def annotate(
    actor: Actor, prep: PrepSession, *, body: str, paragraph: int | None = None
) -> PrepAnnotation:
    """A participant's comment on a paragraph of the latest version (or on the whole)."""
    if not rules.studio_participant(actor.person, prep.studio):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("请填写批注内容。")]})
    with transaction.atomic():
        locked = _locked(prep)
        _require_open(locked)
        version = locked.versions.order_by("-number").first()
        count = len(version.paragraphs)
        if paragraph is not None and not 1 <= paragraph <= count:
            raise ValidationError(
                {
                    "paragraph": [
                        _("段落编号须在 1–%(n)d 之间；批注整篇时请不选段落。") % {"n": count}
                    ]
                }
            )
        annotation = PrepAnnotation.objects.create(
            version=version, author=actor.person, paragraph=paragraph, body=body[:2000]
        )
    return annotation


def revise(actor: Actor, prep: PrepSession, *, text: str, note: str = "") -> PrepVersion:
    """The host posts a revised version; earlier versions and their annotations are kept."""
    text = _clean_text(text)
    with transaction.atomic():
        locked = _locked(prep)
        if locked.host_id != actor.person.pk:
            raise PermissionDenied
        _require_open(locked)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = PrepVersion.objects.create(
            prep=locked, number=number, text=text, note=(note or "")[:500], author=actor.person
        )
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=locked.studio.unit,
            after={"version": number, "note": version.note},
        )
        _tell(
            locked,
            actor,
            _("集体备课：%(title)s 有新版本") % {"title": locked.title},
            _("%(host)s 发布了第 %(n)d 版教学设计。%(note)s")
            % {"host": actor.person.full_name, "n": number, "note": version.note},
        )
    return version


def set_prep_state(
    actor: Actor, prep: PrepSession, new_state: str, *, summary: str = ""
) -> PrepSession:
    with transaction.atomic():
        locked = _locked(prep)
        if locked.host_id != actor.person.pk:
            raise PermissionDenied
        if new_state not in PREP_TRANSITIONS[locked.state]:
            raise ValidationError(
                _("这次集体备课当前为“%(state)s”，不能改为“%(new)s”。")
                % {"state": locked.get_state_display(), "new": PrepState(new_state).label}
            )
        before = locked.state
        locked.state = new_state
        fields = ["state"]
        if new_state == PrepState.CLOSED:
            summary = (summary or "").strip()
            if not summary:
                raise ValidationError({"summary": [_("请填写备课总结（采纳了哪些意见）。")]})
            locked.summary, locked.closed_at = summary[:5000], timezone.now()
            fields += ["summary", "closed_at"]
        locked.save(update_fields=fields)
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=locked.studio.unit,
            before={"state": before},
            after={"state": new_state},
        )
        if new_state == PrepState.CLOSED:
            _tell(
                locked,
                actor,
                _("集体备课：%(title)s 已总结") % {"title": locked.title},
                locked.summary[:200],
            )
    return locked


def conclude(actor: Actor, prep: PrepSession, *, summary: str) -> PrepSession:
    return set_prep_state(actor, prep, PrepState.CLOSED, summary=summary)


def prep_view(prep: PrepSession) -> list[dict]:
    """Each version with its paragraphs and annotations (by paragraph; 0 = the whole)."""
    versions = list(prep.versions.select_related("author").order_by("number"))
    notes = PrepAnnotation.objects.filter(version__prep=prep).select_related("author")
    by_version: dict[int, dict[int, list]] = {}
    for note in notes:
        by_version.setdefault(note.version_id, {}).setdefault(note.paragraph or 0, []).append(note)
    rows = []
    for version in versions:
        found = by_version.get(version.pk, {})
        rows.append(
            {
                "version": version,
                "whole": found.get(0, []),
                "paragraphs": [
                    (i, text, found.get(i, [])) for i, text in enumerate(version.paragraphs, 1)
                ],
                "count": sum(len(v) for v in found.values()),
            }
        )
    return rows

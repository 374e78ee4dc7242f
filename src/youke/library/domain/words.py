"""The sensitive-word list: data edited by admins, matched after normalisation.

A word belongs to a unit and applies to comments on lessons published by that unit or any
unit below it. Text and words are compared in one normal form: NFKC (full-width letters,
digits and punctuation become half-width), case-folded, without white space, so "ＡＢＣ",
"abc" and "a b c" all match "ABC".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.library.enums import WordAction
from youke.library.models import SensitiveWord
from youke.orgs import rules as org_rules

MAX_WORD = 50


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace())


@dataclass(frozen=True)
class Match:
    word: str
    action: str


def words_for(unit_path: str) -> list[tuple[str, str, str]]:
    """(normalised, word, action) of every word that applies under ``unit_path``."""
    rows = SensitiveWord.objects.values_list("normalised", "word", "action", "unit__path")
    return [(n, w, a) for n, w, a, path in rows if unit_path.startswith(path)]


def screen(text: str, unit_path: str) -> tuple[Match | None, Match | None]:
    """The first blocking word and the first review word found in ``text``."""
    haystack = normalise(text)
    blocked = review = None
    for normalised, word, action in words_for(unit_path):
        if normalised and normalised in haystack:
            if action == WordAction.BLOCK and blocked is None:
                blocked = Match(word, action)
            elif action == WordAction.REVIEW and review is None:
                review = Match(word, action)
    return blocked, review


def add_word(actor: Actor, unit, word: str, action: str = WordAction.BLOCK) -> SensitiveWord:
    if not org_rules.covers(actor.person, unit):
        raise PermissionDenied("unit")
    text = (word or "").strip()
    normalised = normalise(text)
    if not normalised:
        raise ValidationError(_("请填写敏感词（不能只有空格）。"))
    if len(text) > MAX_WORD:
        raise ValidationError(_("敏感词最长 %(n)s 个字，请缩短后再添加。") % {"n": MAX_WORD})
    if action not in WordAction.values:
        raise ValidationError(_("请选择处理方式：拒绝发布或转人工审核。"))
    try:
        with transaction.atomic():
            row = SensitiveWord.objects.create(
                unit=unit, word=text, normalised=normalised, action=action, created_by=actor.person
            )
            record(
                actor, AuditAction.CREATE, row, unit=unit, after={"word": text, "action": action}
            )
    except IntegrityError:
        raise ValidationError(
            _("“%(w)s”已在本单位的敏感词表中（全角半角、大小写视为相同）。") % {"w": text}
        ) from None
    return row


def delete_word(actor: Actor, row: SensitiveWord) -> None:
    if not org_rules.covers(actor.person, row.unit):
        raise PermissionDenied("word")
    with transaction.atomic():
        record(actor, AuditAction.DELETE, row, unit=row.unit, before={"word": row.word})
        row.delete()

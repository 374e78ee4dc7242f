"""Resource links as materials (seed 003: "所用课件及相关资源（或资源链接）").

Where a requirement ``accepts_link``, the teacher may give a link (title + URL) instead of or
beside a file; a saved link counts as that material being present. The server never fetches
a link (no request to the address is made, so there is nothing to forge on our side); the
checks protect the people who open it: only http/https, no credentials, no internal or
loopback host, bounded length.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from youke.campaigns.models import MaterialRequirement
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.core.text import text_problem
from youke.submissions.enums import SubmissionState
from youke.submissions.models import MaterialLink, Submission

TITLE_MAX = MaterialLink._meta.get_field("title").max_length
URL_MAX = MaterialLink._meta.get_field("url").max_length
MAX_LINKS_PER_SLOT = 5
# Names that only resolve inside a network (RFC 6761, RFC 8375 and common intranet suffixes).
INTERNAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".lan", ".home.arpa")
# Legacy IPv4 spellings browsers accept: 127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1.
NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+))*\.?$", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _internal_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return not address.is_global or address.is_multicast


def _host_problem(host: str) -> str | None:
    """Why ``host`` is not a public web host, or None."""
    host = host.rstrip(".")
    if not host:
        return _("网址缺少网站地址，请填写完整的网址，例如 https://www.example.cn/资源。")
    address = None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if NUMERIC_HOST.match(host):
            try:
                address = ipaddress.IPv4Address(socket.inet_aton(host))
            except OSError:
                return _("网址中的网站地址“%(host)s”无效，请核对后重新填写。") % {"host": host}
    if address is not None:
        if _internal_address(address):
            return _(
                "“%(host)s”是内网或本机地址，评审专家无法打开。"
                "请把资源放到公开可访问的网站上，再填写其网址。"
            ) % {"host": host}
        return None
    lowered = host.lower()
    if "." not in lowered or lowered == "localhost" or lowered.endswith(INTERNAL_SUFFIXES):
        return _(
            "“%(host)s”是内网或本机地址，评审专家无法打开。"
            "请把资源放到公开可访问的网站上，再填写其网址。"
        ) % {"host": host}
    try:
        ascii_host = lowered.encode("idna").decode("ascii")
    except UnicodeError:
        return _("网址中的网站地址“%(host)s”无效，请核对后重新填写。") % {"host": host}
    labels = ascii_host.split(".")
    if any(not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", label) for label in labels):
        return _("网址中的网站地址“%(host)s”无效，请核对后重新填写。") % {"host": host}
    return None


def clean_link_url(value: str) -> str:
    """The URL as stored, or ValidationError naming the problem and the fix."""
    url = (value or "").strip()
    if not url:
        raise ValidationError(_("请填写链接地址，例如 https://www.example.cn/资源。"), code="empty")
    if len(url) > URL_MAX:
        raise ValidationError(
            _("链接地址最长 %(n)s 个字符，请使用更短的网址（如分享短链接）。") % {"n": URL_MAX},
            code="too_long",
        )
    if text_problem(url) or CONTROL.search(url):
        raise ValidationError(
            _("链接地址中含有空格或不可见字符，请从浏览器地址栏重新复制网址。"), code="control"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise ValidationError(
            _("链接地址格式不正确，请从浏览器地址栏复制完整的网址。"), code="malformed"
        ) from None
    if not parts.scheme:
        raise ValidationError(
            _("网址须以 http:// 或 https:// 开头，请补上后重新填写，例如 https://%(url)s。")
            % {"url": url.lstrip("/")[:60]},
            code="scheme",
        )
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            _("只接受以 http:// 或 https:// 开头的网址，“%(scheme)s”链接不行。请填写网页地址。")
            % {"scheme": parts.scheme + ":"},
            code="scheme",
        )
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("网址中不能包含用户名或密码（“@”前的部分），请删除后重新填写，或改用公开分享链接。"),
            code="credentials",
        )
    problem = _host_problem(parts.hostname or "")
    if problem:
        raise ValidationError(problem, code="host")
    return url


def clean_link_title(value: str) -> str:
    title = (value or "").strip()
    if not title:
        raise ValidationError(_("请填写链接标题，说明这是什么资源。"), code="empty")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            _("链接标题最长 %(n)s 个字，请精简。") % {"n": TITLE_MAX}, code="too_long"
        )
    if problem := text_problem(title):
        raise ValidationError(problem, code="control")
    return title


def link_texts(link: MaterialLink) -> list[str]:
    """The texts of a link that may name a person: its title, its address and the address
    with %-escapes decoded (a Chinese name in a path arrives as %E5%BC%A0…)."""
    return list(dict.fromkeys([link.title, link.url, unquote(link.url)]))


def _back_to_draft(actor: Actor, submission: Submission, requirement: MaterialRequirement):
    if submission.state == SubmissionState.SUBMITTED:
        from youke.submissions.domain.packages import set_submission_state

        set_submission_state(
            submission,
            SubmissionState.DRAFT,
            actor=actor,
            reason=_("修改了材料“%(m)s”的资源链接，请重新提交。") % {"m": requirement.name},
        )


@transaction.atomic
def add_link(
    actor: Actor,
    submission: Submission,
    requirement: MaterialRequirement,
    period: int,
    *,
    title: str,
    url: str,
) -> MaterialLink:
    """Save a link for one material slot; a submitted package goes back to draft (as when a
    file is replaced) so the teacher submits the changed package again."""
    from youke.submissions.domain.packages import _check_author, guard_editable

    _check_author(actor, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    guard_editable(submission)
    if requirement.category_id != submission.category_id:
        raise ValidationError(_("该材料不属于此作品的类别。"))
    if not requirement.accepts_link:
        raise ValidationError(
            _("“%(m)s”只接受上传文件，不能提交链接。请上传 %(types)s 文件。")
            % {"m": requirement.name, "types": "、".join(requirement.extensions)}
        )
    if not 1 <= period <= (submission.periods if requirement.per_period else 1):
        raise ValidationError(_("课时编号超出范围，请刷新页面后重试。"))
    errors = {}
    try:
        title = clean_link_title(title)
    except ValidationError as exc:
        errors["title"] = exc.messages
    try:
        url = clean_link_url(url)
    except ValidationError as exc:
        errors["url"] = exc.messages
    if errors:
        raise ValidationError(errors)
    existing = MaterialLink.objects.filter(
        submission=submission, requirement=requirement, period=period
    )
    if existing.filter(url=url).exists():
        raise ValidationError({"url": _("这个链接已经添加过了，不需要重复添加。")})
    if existing.count() >= MAX_LINKS_PER_SLOT:
        raise ValidationError(
            {
                "url": _("“%(m)s”最多 %(n)s 个链接，请先删除不再需要的链接。")
                % {"m": requirement.name, "n": MAX_LINKS_PER_SLOT}
            }
        )
    link = MaterialLink.objects.create(
        submission=submission, requirement=requirement, period=period, title=title, url=url
    )
    record(
        actor,
        AuditAction.UPDATE,
        submission,
        unit=submission.unit,
        after={"material": requirement.code, "period": period, "link": url, "title": title},
    )
    _back_to_draft(actor, submission, requirement)
    return link


@transaction.atomic
def link_of(submission: Submission, link_id: int) -> MaterialLink:
    """A link of an already accessed package; 404 when it is not this package's."""
    link = (
        MaterialLink.objects.select_related("requirement", "submission")
        .filter(pk=link_id, submission_id=submission.pk)
        .first()
    )
    if link is None:
        raise Http404("link")
    return link


def remove_link(actor: Actor, link: MaterialLink) -> None:
    from youke.submissions.domain.packages import _check_author, guard_editable

    submission = link.submission
    _check_author(actor, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    guard_editable(submission)
    requirement = link.requirement
    before = {"material": requirement.code, "period": link.period, "link": link.url}
    before["title"] = link.title
    MaterialLink.objects.filter(pk=link.pk).delete()
    record(actor, AuditAction.UPDATE, submission, unit=submission.unit, before=before)
    _back_to_draft(actor, submission, requirement)

"""Demo certificates: the closed city round's awards get certificates (co-authors too),
one is revoked; each city commends its first county as 优秀组织单位 and issues the unit
certificate.

Called from ``youke demo`` after the selection demo; makes the key generation if the data
folder has none (``youke certs keygen`` would do the same).
"""

from __future__ import annotations

import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from PIL import Image, ImageDraw

from youke.campaigns.enums import LevelKey
from youke.certificates.domain import issuing
from youke.certificates.domain import keys as keyring
from youke.certificates.domain.commendations import DEFAULT_TITLE, commend_unit
from youke.certificates.domain.revocation import revoke_certificate
from youke.certificates.domain.templates import (
    DEFAULT_BODY,
    DEFAULT_UNIT_BODY,
    add_authority,
    save_template,
    set_seal,
)
from youke.certificates.enums import RecipientKind
from youke.certificates.models import Certificate, CertificateTemplate
from youke.core.actor import Actor
from youke.orgs.enums import UnitKind
from youke.orgs.models import Person, Unit
from youke.selection.models import Award

REVOKED_REASON = "演示：异议成立，撤销该奖项的证书"
AUTHORITIES = ("电化教育馆", "教育科学研究院")


def seal_image(text: str) -> SimpleUploadedFile:
    """A red ring with a star on a transparent ground, like a scanned seal."""
    size = 300
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 20, 20, 230)
    draw.ellipse((10, 10, size - 10, size - 10), outline=red, width=12)
    cx, cy, r = size / 2, size / 2, 50

    points = [
        (
            cx + (r if i % 2 == 0 else r * 0.4) * math.sin(i * math.pi / 5),
            cy - (r if i % 2 == 0 else r * 0.4) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(points, fill=red)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{text}.png", buffer.getvalue(), content_type="image/png")


def build_certificates() -> dict[str, int]:
    """Issue for every city whose awards have no template yet; {} when nothing to do."""
    keyring.generate()
    counts = {
        "certificates": 0,
        "certificates_revoked": 0,
        "certificates_coauthors": 0,
        "unit_certificates": 0,
    }
    awards = Award.objects.filter(level__key=LevelKey.CITY, revoked_at__isnull=True)
    pairs = awards.values_list("level_id", "entry__unit_id").distinct()
    for level_id, unit_id in pairs:
        if CertificateTemplate.objects.filter(level_id=level_id, unit_id=unit_id).exists():
            continue
        award = (
            awards.filter(level_id=level_id, entry__unit_id=unit_id)
            .select_related("level__campaign", "entry__unit")
            .first()
        )
        city = award.entry.unit
        admin = Person.objects.filter(is_platform_admin=True).first() or award.awarded_by
        actor = Actor(admin)
        template = save_template(
            actor,
            campaign=award.level.campaign,
            level=award.level,
            unit=city,
            title="荣誉证书",
            body=DEFAULT_BODY,
            orientation="landscape",
            include_coauthors=True,
        )
        _add_authorities(actor, template, city)
        counts["certificates"] += issuing.issue_missing(actor, template)
        issuing.render_missing(template)
        counts["certificates_coauthors"] += (
            Certificate.objects.filter(template=template)
            .exclude(recipient=F("award__entry__submission__teacher"))
            .count()
        )
        counts["unit_certificates"] += _commend_first_county(actor, award.level, city)
        first = Certificate.objects.filter(template=template).order_by("id").first()
        if first is not None:
            revoke_certificate(actor, first, REVOKED_REASON)
            counts["certificates_revoked"] += 1
    return counts if counts["certificates"] else {}


def _add_authorities(actor: Actor, template: CertificateTemplate, city) -> None:
    for name in AUTHORITIES:
        authority = add_authority(actor, template, unit=city, name=f"{city.name}{name}")
        set_seal(actor, authority, seal_image(name))


def _commend_first_county(actor: Actor, level, city) -> int:
    """The city commends its first county for organising the round; returns certificates."""
    county = (
        Unit.objects.filter(path__startswith=city.path, kind=UnitKind.COUNTY)
        .order_by("path")
        .first()
    )
    if county is None:
        return 0
    commend_unit(
        actor,
        level=level,
        issuer=city,
        unit=county,
        title=DEFAULT_TITLE,
        reason="演示：组织本区学校晒课、推荐作品工作扎实",
    )
    template = save_template(
        actor,
        campaign=level.campaign,
        level=level,
        unit=city,
        title="荣誉证书",
        body=DEFAULT_UNIT_BODY,
        orientation="landscape",
        recipient_kind=RecipientKind.UNIT,
    )
    _add_authorities(actor, template, city)
    made = issuing.issue_missing(actor, template)
    issuing.render_missing(template)
    return made

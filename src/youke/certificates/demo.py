"""Demo certificates: the closed city round's awards get certificates, one is revoked.

Called from ``youke demo`` after the selection demo; makes the key generation if the data
folder has none (``youke certs keygen`` would do the same).
"""

from __future__ import annotations

import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from youke.campaigns.enums import LevelKey
from youke.certificates.domain import issuing
from youke.certificates.domain import keys as keyring
from youke.certificates.domain.revocation import revoke_certificate
from youke.certificates.domain.templates import (
    DEFAULT_BODY,
    add_authority,
    save_template,
    set_seal,
)
from youke.certificates.models import Certificate, CertificateTemplate
from youke.core.actor import Actor
from youke.orgs.models import Person
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
    counts = {"certificates": 0, "certificates_revoked": 0}
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
        )
        for name in AUTHORITIES:
            authority = add_authority(actor, template, unit=city, name=f"{city.name}{name}")
            set_seal(actor, authority, seal_image(name))
        counts["certificates"] += issuing.issue_missing(actor, template)
        issuing.render_missing(template)
        first = Certificate.objects.filter(template=template).order_by("id").first()
        if first is not None:
            revoke_certificate(actor, first, REVOKED_REASON)
            counts["certificates_revoked"] += 1
    return counts if counts["certificates"] else {}

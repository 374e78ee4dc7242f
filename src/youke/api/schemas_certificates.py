"""Schemas of the certificates API: the portable credential and its verification."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Text
from youke.certificates.domain.credential import MAX_TOKEN


class CredentialOut(Schema):
    serial: str = Field(description=_lazy("证书编号"))
    media_type: str = Field(description=_lazy("JWT 的媒体类型（application/vc+jwt）"))
    jwt: str = Field(
        description=_lazy("签名后的可携带证书：紧凑 JWS，头部 alg=EdDSA、kid、typ=vc+jwt")
    )
    credential: dict[str, Any] = Field(
        description=_lazy("JWT 载荷，即 Open Badges 3.0 OpenBadgeCredential（W3C VC 2.0）")
    )


class CredentialIn(Schema):
    jwt: Text(MAX_TOKEN) = Field(description=_lazy("要核验的可携带证书（JWT 全文）"))


class CredentialCheckOut(Schema):
    status: str = Field(
        description=_lazy("valid 有效；revoked 已撤销；unknown 签名有效但未登记；forged 签名无效")
    )
    problem: str = Field(description=_lazy("不通过时的原因（中文）；有效时为空"))
    serial: str = Field(description=_lazy("凭证中的证书编号；无法读取时为空"))
    kid: str = Field(description=_lazy("签名所用的密钥编号"))
    revoked_reason: str = Field(description=_lazy("撤销理由；未撤销时为空"))
    credential: dict[str, Any] = Field(
        description=_lazy("解码后的凭证；签名无效时为空对象，不回显未经验证的内容")
    )

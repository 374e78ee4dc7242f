"""Schemas of the certificates API: the portable credential and its verification."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Id, Reason, Text
from youke.api.schemas import UnitRef
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


class CommendationOut(Schema):
    id: int
    campaign_id: int
    level_id: int
    issuer: UnitRef = Field(description=_lazy("表彰单位（该级别负责遴选的单位）"))
    unit: UnitRef = Field(description=_lazy("受表彰单位"))
    title: str = Field(description=_lazy("称号，如“优秀组织单位”"))
    reason: str
    created_at: datetime.datetime


class CommendationIn(Schema):
    level: Id = Field(description=_lazy("级别 id；其负责单位类型须与表彰单位一致"))
    issuer: Id = Field(description=_lazy("表彰单位 id（调用者管理范围内）"))
    unit: Id = Field(description=_lazy("受表彰单位 id（表彰单位的下属单位）"))
    title: Text(40, min_length=1) = Field(description=_lazy("称号"))
    reason: Reason


class UnitCertificateOut(Schema):
    id: int
    serial: str
    unit: UnitRef = Field(alias="commendation.unit", description=_lazy("获证单位"))
    title: str = Field(alias="commendation.title", description=_lazy("称号"))
    level: str = Field(alias="fields.l", description=_lazy("级别"))
    date: str = Field(alias="fields.d", description=_lazy("发证日期"))
    state: str = Field(description=_lazy("valid 有效 / revoked 已撤销"))
    revoked_reason: str

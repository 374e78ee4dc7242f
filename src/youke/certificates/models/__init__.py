from youke.certificates.models.certificate import Certificate, SerialCounter
from youke.certificates.models.commendation import Commendation
from youke.certificates.models.template import CertificateTemplate, IssuingAuthority

__all__ = [
    "Certificate",
    "CertificateTemplate",
    "Commendation",
    "IssuingAuthority",
    "SerialCounter",
]

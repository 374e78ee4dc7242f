from youke.certificates.models.certificate import Certificate, SerialCounter
from youke.certificates.models.template import CertificateTemplate, IssuingAuthority

__all__ = ["Certificate", "CertificateTemplate", "IssuingAuthority", "SerialCounter"]

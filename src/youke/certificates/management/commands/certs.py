"""``youke certs keygen [--rotate]``, ``youke certs verify FILE.pdf [--keys keys.json]`` and
``youke certs verify-credential FILE.jwt [--keys keys.json]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from youke.certificates.domain import keys as keyring
from youke.certificates.domain import offline
from youke.certificates.domain.credential import MAX_TOKEN, check_credential
from youke.certificates.domain.verify import register_status
from youke.certificates.enums import VerifyStatus


class Command(BaseCommand):
    help = _("证书密钥与核验：keygen 生成（或 --rotate 轮换）签名密钥；verify 核验证书 PDF。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help=_("生成证书签名密钥（已有时不变）"))
        keygen.add_argument("--rotate", action="store_true", help=_("生成新密钥并设为当前密钥"))
        verify = sub.add_parser("verify", help=_("核验证书 PDF"))
        verify.add_argument("file", type=Path)
        verify.add_argument(
            "--keys",
            type=Path,
            help=_("离线核验：使用保存的 keys.json（/public/certificates/keys.json），不查登记"),
        )

        credential = sub.add_parser(
            "verify-credential", help=_("核验可携带证书（Open Badges 3.0 JWT）")
        )
        credential.add_argument("file", type=Path)
        credential.add_argument(
            "--keys",
            type=Path,
            help=_("离线核验：使用保存的 keys.json（/public/certificates/keys.json），不查登记"),
        )

    def handle(self, *args, **options):
        if options["action"] == "keygen":
            return self._keygen(options["rotate"])
        if options["action"] == "verify-credential":
            return self._verify_credential(options["file"], options.get("keys"))
        return self._verify(options["file"], options.get("keys"))

    def _keys(self, keys_file: Path | None):
        try:
            return offline.read_keys(keys_file, keyring.public_keys)
        except offline.VerifyFailed as exc:
            raise CommandError(str(exc)) from exc

    def _verify_credential(self, file: Path, keys_file: Path | None) -> None:
        if not file.is_file():
            raise CommandError(_("找不到文件 %(f)s：请检查路径。") % {"f": file})
        if file.stat().st_size > MAX_TOKEN:
            raise CommandError(_("文件超过 16 KB，不是本平台的可携带证书。"))
        keys = self._keys(keys_file)
        token = file.read_text(encoding="ascii", errors="replace")
        result = check_credential(token, keys, with_register=keys_file is None)
        subject = result.credential.get("credentialSubject") or {}
        if result.serial:
            self.stdout.write(f"  {_('证书编号')}：{result.serial}")
        for ident in subject.get("identifier") or []:
            self.stdout.write(f"  {_('获证人')}：{ident.get('identityHash', '')}")
        achievement = subject.get("achievement") or {}
        if achievement.get("name"):
            self.stdout.write(f"  {_('成果')}：{achievement['name']}")
        if result.status != VerifyStatus.FORGED:
            self.stdout.write("✓ " + _("签名有效（密钥 %(kid)s）。") % {"kid": result.kid})
        if result.ok:
            self.stdout.write(_("核验通过。"))
            return
        if result.problem:
            self.stdout.write("✗ " + result.problem)
        raise CommandError(_("核验未通过。"))

    def _keygen(self, rotate: bool) -> None:
        before = keyring.public_keys()
        kid = keyring.generate(rotate=rotate)
        if any(k.kid == kid for k in before):
            self.stdout.write(
                _("已有当前密钥 %(kid)s，未改动（轮换请加 --rotate）。") % {"kid": kid}
            )
        else:
            self.stdout.write(
                _("已生成密钥 %(kid)s 并设为当前密钥，保存在 %(dir)s。")
                % {"kid": kid, "dir": keyring.keys_dir()}
            )
        self.stdout.write(
            _("已公布的密钥：%(kids)s") % {"kids": ", ".join(k.kid for k in keyring.public_keys())}
        )

    def _verify(self, file: Path, keys_file: Path | None) -> None:
        # ``youke certs verify`` itself runs youke.certificates.verify_cli, without Django;
        # this command (call_command, manage.py) prints the same through the same function.
        try:
            offline.verify_file(
                file, keys_file, keyring.public_keys, register_status, self.stdout.write
            )
        except offline.VerifyFailed as exc:
            raise CommandError(str(exc)) from exc

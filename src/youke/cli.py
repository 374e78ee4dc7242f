"""The `youke` console script: Django management commands with youke's settings.

``youke certs verify FILE.pdf [--keys keys.json]`` is the exception: it runs without Django
(``youke.certificates.verify_cli``), so checking a certificate takes a fraction of a second.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:3] == ["certs", "verify"]:
        from youke.certificates import verify_cli

        if verify_cli.parse(sys.argv[3:]) is not None:
            sys.exit(verify_cli.main(sys.argv[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youke.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""An HTTPS deployment behind a reverse proxy: Django's deployment checks and the headers."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest

from tests.core.test_serve import SERVICE_VARIABLES

# The browser tests set this in the test process (Playwright's loop shares the thread); a
# deployment never has it, and check --deploy rightly reports it (async.E001).
NOT_IN_DEPLOYMENT = (*SERVICE_VARIABLES, "DJANGO_ALLOW_ASYNC_UNSAFE")


def test_check_deploy_passes_with_an_https_site_url_and_a_real_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_DEPLOYMENT}
    env.update(
        YOUKE_DATA_DIR=str(tmp_path),
        YOUKE_SITE_URL="https://youke.example.edu.cn",
        YOUKE_SECRET_KEY=secrets.token_urlsafe(50),
    )
    done = subprocess.run(
        [sys.executable, "-m", "youke.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The one silenced check is security.W021 (HSTS preload), an opt-in for the domain owner.
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "System check identified no issues (1 silenced).\n",
        "",
    )


def test_check_deploy_names_what_a_plain_http_install_lacks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_DEPLOYMENT}
    env.update(YOUKE_DATA_DIR=str(tmp_path), YOUKE_SECRET_KEY=secrets.token_urlsafe(50))
    done = subprocess.run(
        [sys.executable, "-m", "youke.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    found = sorted(re.findall(r"\((security\.W\d+)\)", done.stderr))
    assert found == ["security.W004", "security.W008", "security.W012", "security.W016"]


@pytest.fixture
def https_site(settings):
    """The settings YOUKE_SITE_URL=https://… produces (settings.py reads them at start)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.ALLOWED_HOSTS = ["youke.example.edu.cn"]


@pytest.mark.django_db
def test_plain_http_is_redirected_except_the_health_check(client, https_site):
    page = client.get("/accounts/login/", HTTP_HOST="youke.example.edu.cn")
    assert (page.status_code, page["Location"]) == (
        301,
        "https://youke.example.edu.cn/accounts/login/",
    )
    health = client.get("/api/v1/health", HTTP_HOST="youke.example.edu.cn")
    assert health.status_code == 200


@pytest.mark.django_db
def test_https_through_the_proxy_gets_hsts_and_secure_cookies(client, https_site):
    page = client.get(
        "/accounts/login/", HTTP_HOST="youke.example.edu.cn", HTTP_X_FORWARDED_PROTO="https"
    )
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.cookies["csrftoken"]["secure"] is True

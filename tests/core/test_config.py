import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from youke import config


def test_defaults_give_a_one_machine_install(tmp_path):
    values = config.load({"YOUKE_DATA_DIR": str(tmp_path)})
    assert values["DATABASE_URL"] == ""
    assert values["CELERY_BROKER_URL"] == ""
    assert values["DATA_DIR"] == tmp_path.resolve()
    # The secret is generated once and reused by the next process.
    assert values["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert config.load({"YOUKE_DATA_DIR": str(tmp_path)})["SECRET_KEY"] == values["SECRET_KEY"]


def test_environment_overrides_are_typed(tmp_path):
    values = config.load(
        {
            "YOUKE_DATA_DIR": str(tmp_path),
            "YOUKE_DEBUG": "true",
            "YOUKE_LOGIN_MAX_FAILURES": "9",
            "YOUKE_ALLOWED_HOSTS": "a.example, b.example",
            "DATABASE_URL": "postgres://x@h/db",
        }
    )
    assert values["DEBUG"] is True
    assert values["LOGIN_MAX_FAILURES"] == 9
    assert values["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert values["DATABASE_URL"] == "postgres://x@h/db"


def test_describe_masks_secrets(tmp_path):
    values = config.load({"YOUKE_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:pw@h/d"})
    rows = {name: shown for name, _env, shown, _desc in config.describe(values)}
    assert rows["DATABASE_URL"] == "******"
    assert rows["SECRET_KEY"] == "******"
    assert rows["PORT"] == "8000"


def test_field_key_is_generated_beside_the_secret_key_or_read_from_env(tmp_path):
    values = config.load({"YOUKE_DATA_DIR": str(tmp_path)})
    assert values["FIELD_KEY"] == (tmp_path / "field_key").read_text().strip()
    assert values["FIELD_KEY"] != values["SECRET_KEY"]
    assert config.load({"YOUKE_DATA_DIR": str(tmp_path)})["FIELD_KEY"] == values["FIELD_KEY"]
    given = config.load({"YOUKE_DATA_DIR": str(tmp_path), "YOUKE_FIELD_KEY": "from-env"})
    assert given["FIELD_KEY"] == "from-env"
    rows = {name: shown for name, _env, shown, _desc in config.describe(given)}
    assert rows["FIELD_KEY"] == "******"


ROOT = Path(__file__).resolve().parents[2]
HTTPS_KEYS = (
    "SITE_URL",
    "SSL_REDIRECT",
    "SECURE_COOKIES",
    "HSTS_SECONDS",
    "HSTS_INCLUDE_SUBDOMAINS",
    "HSTS_PRELOAD",
    "PROXY_SSL_HEADER",
)


def test_data_folder_is_the_projects_var_whatever_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config.default_data_dir() == ROOT / "var"
    # ``load`` would create ROOT/var/secret_key; the folder choice is what matters here.
    assert config.load({"YOUKE_SECRET_KEY": "k" * 50})["DATA_DIR"] == ROOT / "var"
    assert list(tmp_path.iterdir()) == []


def test_a_command_run_elsewhere_writes_nothing_outside_the_data_folder(tmp_path):
    """Queueing a job through the file-system broker from another directory: kombu's
    exchange tables land in DATA_DIR/queue/control, not in ./control."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    data = tmp_path / "data"
    stray = [ROOT / "control", ROOT / "src" / "youke" / "var"]
    existed = {path: path.exists() for path in stray}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "YOUKE_JOBS_EAGER"}
    }
    env["YOUKE_DATA_DIR"] = str(data)
    script = (
        "import django; django.setup(); from youke.celery import app; "
        "app.send_task('media.cleanup_uploads')"
    )
    subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, check=True, timeout=120)
    assert list(cwd.iterdir()) == []
    assert {path: path.exists() for path in stray} == existed
    assert sorted(p.name for p in (data / "queue" / "control").iterdir()) == ["celery.exchange"]
    assert len(list((data / "queue").glob("*.celery.msg"))) == 1


def test_an_https_site_url_turns_on_the_https_settings(tmp_path):
    values = config.load(
        {"YOUKE_DATA_DIR": str(tmp_path), "YOUKE_SITE_URL": "https://youke.example.edu.cn"}
    )
    assert {key: values[key] for key in HTTPS_KEYS} == {
        "SITE_URL": "https://youke.example.edu.cn/",
        "SSL_REDIRECT": True,
        "SECURE_COOKIES": True,
        "HSTS_SECONDS": 31_536_000,
        "HSTS_INCLUDE_SUBDOMAINS": True,
        "HSTS_PRELOAD": False,
        "PROXY_SSL_HEADER": "X-Forwarded-Proto",
    }
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]", "youke.example.edu.cn"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://youke.example.edu.cn"]


def test_a_local_install_has_no_https_settings(tmp_path):
    values = config.load({"YOUKE_DATA_DIR": str(tmp_path), "YOUKE_PORT": "8123"})
    assert {key: values[key] for key in HTTPS_KEYS} == {
        "SITE_URL": "http://127.0.0.1:8123/",
        "SSL_REDIRECT": False,
        "SECURE_COOKIES": False,
        "HSTS_SECONDS": 0,
        "HSTS_INCLUDE_SUBDOMAINS": False,
        "HSTS_PRELOAD": False,
        "PROXY_SSL_HEADER": "",
    }
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8123"]


def test_explicit_https_values_win_over_the_site_url(tmp_path):
    values = config.load(
        {
            "YOUKE_DATA_DIR": str(tmp_path),
            "YOUKE_SITE_URL": "https://youke.example.edu.cn:8443/youke",
            "YOUKE_SSL_REDIRECT": "false",
            "YOUKE_HSTS_SECONDS": "3600",
            "YOUKE_HSTS_INCLUDE_SUBDOMAINS": "no",
            "YOUKE_PROXY_SSL_HEADER": "off",
            "YOUKE_ALLOWED_HOSTS": "youke.example.edu.cn",
            "YOUKE_CSRF_TRUSTED_ORIGINS": "https://admin.example.edu.cn",
        }
    )
    assert values["SITE_URL"] == "https://youke.example.edu.cn:8443/youke/"
    assert values["SSL_REDIRECT"] is False
    assert values["SECURE_COOKIES"] is True
    assert values["HSTS_SECONDS"] == 3600
    assert values["HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["PROXY_SSL_HEADER"] == ""
    assert values["ALLOWED_HOSTS"] == ["youke.example.edu.cn"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://admin.example.edu.cn",
        "https://youke.example.edu.cn:8443",
    ]


def test_a_site_url_without_scheme_is_refused_with_an_example(tmp_path):
    with pytest.raises(ValueError) as refused:
        config.load({"YOUKE_DATA_DIR": str(tmp_path), "YOUKE_SITE_URL": "youke.example.edu.cn"})
    assert str(refused.value) == (
        "YOUKE_SITE_URL must be an http:// or https:// address such as "
        "https://youke.example.edu.cn/, not 'youke.example.edu.cn'"
    )


def test_youke_config_lists_the_https_keys_with_descriptions(capsys):
    call_command("config")
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert names == [setting.name for setting in config.SPEC]
    for key in HTTPS_KEYS:
        index = next(i for i, line in enumerate(lines) if line.split()[0] == key)
        env = next(s.env for s in config.SPEC if s.name == key)
        description = next(s.description for s in config.SPEC if s.name == key)
        assert lines[index].split()[1] == env
        assert lines[index + 1] == "    " + description


def test_database_connections_are_persistent_by_default(tmp_path):
    sqlite = config.databases(config.load({"YOUKE_DATA_DIR": str(tmp_path)}))["default"]
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == tmp_path.resolve() / "youke.sqlite3"
    assert (sqlite["CONN_MAX_AGE"], sqlite["CONN_HEALTH_CHECKS"]) == (600, True)
    postgres = config.databases(
        config.load({"YOUKE_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@h:5433/d"})
    )["default"]
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == ("h", 5433, "d")
    assert (postgres["CONN_MAX_AGE"], postgres["CONN_HEALTH_CHECKS"]) == (600, True)


def test_database_connection_options_come_from_the_environment(tmp_path):
    values = config.load(
        {
            "YOUKE_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u@h/d",
            "YOUKE_DB_CONN_MAX_AGE": "0",
            "YOUKE_DB_CONN_HEALTH_CHECKS": "off",
        }
    )
    default = config.databases(values)["default"]
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"]) == (0, False)


def test_settings_apply_the_connection_options():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

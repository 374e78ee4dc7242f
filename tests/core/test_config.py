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

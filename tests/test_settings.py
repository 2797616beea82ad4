from pathlib import Path

import pytest

from saasapp.settings import PROJECT_ROOT, Settings, SettingsError


def make(monkeypatch, **env) -> Settings:
    for key in ("APP_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DATA_DIR"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings(_env_file=None)


def test_defaults_are_the_embedded_setup(monkeypatch):
    settings = make(monkeypatch)
    assert settings.app_env == "development"
    assert settings.effective_database_url == f"sqlite:///{PROJECT_ROOT / 'data' / 'saasapp.db'}"
    assert settings.is_embedded_redis
    assert settings.effective_redis_url == f"unix://{PROJECT_ROOT / 'data' / 'redis.sock'}"


def test_relative_data_dir_is_resolved_from_the_project(monkeypatch):
    settings = make(monkeypatch, DATA_DIR="var/state")
    assert settings.data_dir == (PROJECT_ROOT / "var" / "state").resolve()
    assert Path(settings.effective_database_url.removeprefix("sqlite:///")).is_absolute()


def test_explicit_urls_win(monkeypatch):
    settings = make(
        monkeypatch,
        DATABASE_URL="postgresql+psycopg://u:p@db/app",
        REDIS_URL="redis://cache:6379/2",
    )
    assert settings.effective_database_url == "postgresql+psycopg://u:p@db/app"
    assert not settings.is_embedded_redis
    assert settings.effective_redis_url == "redis://cache:6379/2"


@pytest.mark.parametrize("secret", [None, "", "changeme", "dev-secret-key", "short-but-real"])
def test_production_refuses_missing_or_placeholder_secret(monkeypatch, secret):
    env = {"APP_ENV": "production"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        make(monkeypatch, **env)


def test_production_accepts_a_real_secret(monkeypatch):
    settings = make(monkeypatch, APP_ENV="production", SECRET_KEY="x" * 16 + "Yz0-" * 5)
    assert settings.app_env == "production"


def test_development_tolerates_the_dev_secret(monkeypatch):
    assert make(monkeypatch, APP_ENV="development").secret_key == "dev-secret-key"


def test_invalid_values_are_refused_with_the_field_name(monkeypatch):
    with pytest.raises(Exception, match="app_env"):
        make(monkeypatch, APP_ENV="staging")


def test_env_example_lists_every_setting():
    text = (PROJECT_ROOT / ".env.example").read_text()
    missing = [name.upper() for name in Settings.model_fields if f"{name.upper()}=" not in text]
    assert missing == []

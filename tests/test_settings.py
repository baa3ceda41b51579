"""Settings come from the environment once; a bad value names the variable."""

from __future__ import annotations

import pytest

from settings import DEVELOPMENT_SECRET_KEY, Settings, SettingsError

PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": "s" * 40,
    "DATABASE_URL": "postgres://db/agora",
    "REDIS_URL": "redis://cache:6379/0",
    "MEDIA_URL": "s3://agora-media",
}


def test_defaults_are_the_embedded_engines() -> None:
    settings = Settings.from_env({})

    assert settings.database_url.startswith("sqlite://")
    assert settings.redis_url == "memory://"
    assert settings.media_url.startswith("file://")
    assert settings.auto_migrate
    assert settings.seed_demo
    assert settings.cors_origins == ("*",)


def test_production_turns_off_development_conveniences() -> None:
    settings = Settings.from_env(PRODUCTION)

    assert not settings.auto_migrate
    assert not settings.seed_demo
    assert not settings.run_worker_in_process
    assert settings.cors_origins == ()


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"MEDIA_URL": "ftp://files"}, "MEDIA_URL"),
        ({"MEDIA_URL": "s3://"}, "MEDIA_URL"),
        ({"S3_ENDPOINT_URL": "127.0.0.1:9000"}, "S3_ENDPOINT_URL"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"COUNT_SQL": "maybe"}, "COUNT_SQL"),
        ({"INTROSPECTION": "sometimes"}, "INTROSPECTION"),
        ({"SESSION_TTL_SECONDS": "soon"}, "SESSION_TTL_SECONDS"),
        ({"DATABASE_CONNECT_TIMEOUT_SECONDS": "0"}, "DATABASE_CONNECT_TIMEOUT_SECONDS"),
        ({"DATABASE_STATEMENT_TIMEOUT_SECONDS": "nan"}, "DATABASE_STATEMENT_TIMEOUT_SECONDS"),
        ({"DATABASE_POOL_TIMEOUT_SECONDS": "5s"}, "DATABASE_POOL_TIMEOUT_SECONDS"),
        ({"ANONYMOUS_CARTS_PER_HOUR": "0"}, "ANONYMOUS_CARTS_PER_HOUR"),
        ({"SIGNUPS_PER_HOUR": "0"}, "SIGNUPS_PER_HOUR"),
        ({"COST_BUDGET": "100"}, "COST_BUDGET"),
        ({"COST_BUDGET_RESTORE_RATE": "0"}, "COST_BUDGET_RESTORE_RATE"),
        ({"REDIS_TIMEOUT_SECONDS": "quick"}, "REDIS_TIMEOUT_SECONDS"),
        ({"REDIS_TIMEOUT_SECONDS": "0"}, "REDIS_TIMEOUT_SECONDS"),
        ({"REDIS_TIMEOUT_SECONDS": "nan"}, "REDIS_TIMEOUT_SECONDS"),
        ({"REDIS_BREAKER_COOLDOWN_SECONDS": "inf"}, "REDIS_BREAKER_COOLDOWN_SECONDS"),
        ({"CORS_ORIGINS": "shop.example"}, "CORS_ORIGINS"),
        ({"CORS_ORIGINS": "https://shop.example/"}, "CORS_ORIGINS"),
        ({"CORS_ORIGINS": "https://*.shop.example"}, "CORS_ORIGINS"),
        ({"CORS_ORIGINS": "https://shop.example:99999"}, "CORS_ORIGINS"),
        ({"CORS_ORIGINS": "https://a.example,,https://b.example"}, "CORS_ORIGINS"),
        ({"CORS_ORIGINS": "*, https://shop.example"}, "CORS_ORIGINS"),
        ({"MEDIA_IMAGE_TYPES": "image/tiff"}, "MEDIA_IMAGE_TYPES"),  # not resized by the worker
        ({"MEDIA_IMAGE_TYPES": "video/mp4"}, "MEDIA_IMAGE_TYPES"),
        ({"MEDIA_VIDEO_TYPES": "video/"}, "MEDIA_VIDEO_TYPES"),
        ({"MEDIA_VIDEO_TYPES": "image/png"}, "MEDIA_VIDEO_TYPES"),
        ({"MEDIA_IMAGE_MAX_BYTES": "0"}, "MEDIA_IMAGE_MAX_BYTES"),
        ({"MEDIA_VIDEO_MAX_BYTES": str(2**31)}, "MEDIA_VIDEO_MAX_BYTES"),
        ({"MEDIA_VIDEO_MAX_BYTES": "big"}, "MEDIA_VIDEO_MAX_BYTES"),
        ({"MEDIA_PRIVATE_URL_SECONDS": "0"}, "MEDIA_PRIVATE_URL_SECONDS"),
        ({"MEDIA_PRIVATE_URL_SECONDS": str(7 * 24 * 3600 + 1)}, "MEDIA_PRIVATE_URL_SECONDS"),
        ({"MEDIA_PRIVATE_URL_SECONDS": "soon"}, "MEDIA_PRIVATE_URL_SECONDS"),
        ({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY"),
        ({**PRODUCTION, "SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "SECRET_KEY"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)

    assert raised.value.variable == variable
    assert str(raised.value).startswith(f"{variable}: ")


def test_redis_timeouts_are_short_by_default_and_read_as_seconds() -> None:
    assert Settings.from_env({}).redis_timeout_seconds == 0.25
    assert Settings.from_env({}).redis_breaker_cooldown_seconds == 3.0

    settings = Settings.from_env(
        {"REDIS_TIMEOUT_SECONDS": "0.5", "REDIS_BREAKER_COOLDOWN_SECONDS": "10"}
    )

    assert settings.redis_timeout_seconds == 0.5
    assert settings.redis_breaker_cooldown_seconds == 10.0


def test_database_waits_are_bounded_by_default_and_read_in_seconds() -> None:
    defaults = Settings.from_env({})
    assert defaults.database_connect_timeout_seconds == 5
    assert defaults.database_statement_timeout_seconds == 10
    assert defaults.database_pool_timeout_seconds == 5

    read = Settings.from_env(
        {
            "DATABASE_CONNECT_TIMEOUT_SECONDS": "2.5",
            "DATABASE_STATEMENT_TIMEOUT_SECONDS": "30",
            "DATABASE_POOL_TIMEOUT_SECONDS": "0.5",
        }
    )
    assert read.database_connect_timeout_seconds == 2.5
    assert read.database_statement_timeout_seconds == 30
    assert read.database_pool_timeout_seconds == 0.5


def test_postgresql_scheme_is_accepted() -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgresql://u:p@h:5432/agora"})

    assert settings.database_url == "postgres://u:p@h:5432/agora"


def test_cors_origins_are_read_as_browsers_send_them() -> None:
    env = {**PRODUCTION, "CORS_ORIGINS": " https://Shop.Example:443, http://localhost:3000 "}

    settings = Settings.from_env(env)

    # CORSMiddleware compares strings: lower case, and no default port, as in `Origin`.
    assert settings.cors_origins == ("https://shop.example", "http://localhost:3000")


def test_any_origin_can_be_allowed_in_production() -> None:
    assert Settings.from_env({**PRODUCTION, "CORS_ORIGINS": "*"}).cors_origins == ("*",)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "postgres://u:secret@host:notaport/db"),
        ("DATABASE_URL", "postgres:///db"),
        ("REDIS_URL", "redis://host:99999/0"),
    ],
)
def test_malformed_server_urls_name_the_variable_and_hide_the_password(
    name: str, value: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({name: value})

    assert str(raised.value).startswith(f"{name}: ")
    assert "secret" not in str(raised.value)


def test_media_types_and_caps_are_read_per_kind() -> None:
    settings = Settings.from_env(
        {"MEDIA_IMAGE_TYPES": " image/PNG, image/webp ", "MEDIA_VIDEO_MAX_BYTES": "1000"}
    )

    assert settings.media_image_types == ("image/png", "image/webp")
    assert settings.media_video_max_bytes == 1000
    assert "video/mp4" in settings.media_video_types
    assert Settings.from_env({}).media_image_max_bytes == 10 * 1024 * 1024


def test_private_media_urls_last_ten_minutes_unless_set() -> None:
    assert Settings().media_private_url_seconds == 600
    assert Settings.from_env({}).media_private_url_seconds == 600
    assert Settings.from_env({"MEDIA_PRIVATE_URL_SECONDS": "30"}).media_private_url_seconds == 30

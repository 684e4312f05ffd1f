"""Node settings, read from the environment (``JIXIAO_*``) and validated at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host:port/dbname; SQLite files when unset",
    )

    secret_key: SecretStr | None = Field(
        default=None,
        description="signs the node's tokens; generated into the data dir outside production",
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("JIXIAO_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"),
        description="host:port of the Kafka brokers; without it the node does not sync",
    )
    aggregate_cache: int = Field(default=2000, ge=1, description="tables kept in memory")
    max_request_bytes: int = Field(default=1_048_576, gt=0)
    max_upload_bytes: int = Field(
        default=64 * 1_048_576, gt=0, description="the largest upload of documents to import"
    )
    token_days: int = Field(default=30, gt=0)
    dev_sign_in: bool = Field(
        default=False,
        description="the sign-in page offers development identities (set by `jixiao up`)",
    )

    @model_validator(mode="after")
    def _production_needs_postgres_and_a_secret(self) -> Settings:
        if self.environment == "production" and not self.database_url:
            raise ValueError("JIXIAO_DATABASE_URL is required in production")
        if self.environment == "production" and self.secret_key is None:
            raise ValueError("JIXIAO_SECRET_KEY is required in production")
        if self.environment == "production" and self.dev_sign_in:
            raise ValueError("JIXIAO_DEV_SIGN_IN cannot be used in production")
        if self.secret_key is not None and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("JIXIAO_SECRET_KEY must be at least 32 characters")
        if self.database_url and not self.database_url.startswith(("postgresql://", "postgres://")):
            raise ValueError("JIXIAO_DATABASE_URL must be a postgresql:// URL")
        return self

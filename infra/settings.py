"""Node settings, read from the environment (``JIXIAO_*``) and validated at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host:port/dbname; SQLite files when unset",
    )

    @model_validator(mode="after")
    def _production_needs_postgres(self) -> Settings:
        if self.environment == "production" and not self.database_url:
            raise ValueError("JIXIAO_DATABASE_URL is required in production")
        if self.database_url and not self.database_url.startswith(("postgresql://", "postgres://")):
            raise ValueError("JIXIAO_DATABASE_URL must be a postgresql:// URL")
        return self

"""Node settings, read from the environment (``JIXIAO_*``) and validated at start-up."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.scoring import EvaluationRules, Grade, Light, MonitoringRules


class EvaluationRulesSetting(BaseModel):
    """JIXIAO_EVALUATION_RULES: how this jurisdiction scores self-evaluations (JSON)."""

    model_config = ConfigDict(extra="forbid")

    execution_weight: Decimal = Field(default=Decimal(10), ge=0, le=100)
    indicator_weight: Decimal = Field(default=Decimal(90), gt=0, le=100)
    explain_from: Decimal = Field(default=Decimal("1.3"), gt=1)
    grades: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "优": Decimal(90),
            "良": Decimal(80),
            "中": Decimal(60),
            "差": Decimal(0),
        },
        description="each grade from its lowest total",
    )

    def rules(self) -> EvaluationRules:
        return EvaluationRules(
            execution_weight=self.execution_weight,
            indicator_weight=self.indicator_weight,
            explain_from=self.explain_from,
            grades=tuple(Grade(label, floor) for label, floor in self.grades.items()),
        )


class MonitoringRulesSetting(BaseModel):
    """JIXIAO_MONITORING_RULES: the lights and the 重点监控 rule of this jurisdiction (JSON)."""

    model_config = ConfigDict(extra="forbid")

    red_below: Decimal = Field(default=Decimal(60), ge=0)
    yellow_below: Decimal = Field(default=Decimal(80), ge=0)
    watch_budget_from: Decimal = Field(default=Decimal(200), ge=0, description="万元")
    watch_lights: tuple[Light, ...] = (Light.RED,)

    def rules(self) -> MonitoringRules:
        return MonitoringRules(
            red_below=self.red_below,
            yellow_below=self.yellow_below,
            watch_budget_from=self.watch_budget_from,
            watch_lights=self.watch_lights,
        )


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
    token_days: int = Field(default=30, gt=0, le=3660)
    receipt_wait_seconds: float = Field(
        default=60.0,
        ge=0.1,
        le=3600,
        description="how long a sent message waits for its receipt before it is sent again "
        "(doubling after each try, up to 30 minutes)",
    )
    evaluation_rules: EvaluationRulesSetting = Field(default_factory=EvaluationRulesSetting)
    monitoring_rules: MonitoringRulesSetting = Field(default_factory=MonitoringRulesSetting)
    dev_sign_in: bool = Field(
        default=False,
        description="the sign-in page offers development identities (set by `jixiao up`)",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="json: the node logs one JSON object per line"
    )
    ready_max_lag: int = Field(
        default=1000,
        ge=0,
        description="/health/ready answers 503 while a projection is more events behind than this",
    )
    probe_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        le=60,
        description="how long /health/ready and /metrics wait for the database to answer",
    )

    leadership_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="how often a process serving the node tries to take over the projections "
        "and the sync from one that stopped",
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

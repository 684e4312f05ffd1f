"""How a serving node logs: as uvicorn does by default, or one JSON object per line.

``JIXIAO_LOG_FORMAT=json`` sends every logger (the node's ``jixiao.*``, uvicorn's, the
libraries') through one handler on stderr, each record a JSON object with its time (UTC, ISO
8601), level, logger, message, the node's jurisdiction and, for a failure, the traceback as a
string, so a log shipper reads it without parsing multi-line text.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from uvicorn.config import LOGGING_CONFIG

LogFormat = Literal["text", "json"]


def log_config(log_format: LogFormat, jurisdiction: str) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` for ``uvicorn.run(log_config=...)``."""
    if log_format == "text":
        return copy.deepcopy(LOGGING_CONFIG)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
                "static_fields": {"jurisdiction": jurisdiction},
                "json_ensure_ascii": False,  # Chinese names and reasons stay readable
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        # uvicorn's loggers keep no handlers of their own: they reach the root's, once each.
        "loggers": {
            name: {"handlers": [], "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }

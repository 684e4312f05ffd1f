"""Read one workbook in this fresh process; print its table count, time and peak RSS (JSON)."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from infra.documents.reading import read_documents


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    path, jurisdiction = Path(sys.argv[1]), sys.argv[2]
    baseline = _rss_mb()
    data = path.read_bytes()
    started = time.perf_counter()
    documents = read_documents(data, path.name, jurisdiction)
    seconds = round(time.perf_counter() - started, 1)
    print(
        json.dumps(
            {
                "tables": len(documents),
                "seconds": seconds,
                "peak_rss_mb": _rss_mb(),
                "baseline_rss_mb": baseline,
            }
        )
    )


if __name__ == "__main__":
    main()

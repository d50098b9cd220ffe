"""The Metrics port as CloudWatch embedded-metric-format lines (Powertools), one per event."""

from __future__ import annotations

import threading

from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = "channelfin"

# Powertools prints each metric's line with print(): its text and newline are two writes, which
# threads (webhook delivery lanes) could interleave into a line CloudWatch cannot parse.
_printing = threading.Lock()


class EmfMetrics:
    def __init__(self, namespace: str = NAMESPACE) -> None:
        self.namespace = namespace

    def count(self, name: str, **dimensions: str) -> None:
        with _printing, single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=self.namespace) as metric:
            for key, value in dimensions.items():
                metric.add_dimension(name=key, value=value)

"""The Metrics port as CloudWatch embedded-metric-format lines (Powertools), one per event."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = "channelfin"


class EmfMetrics:
    def __init__(self, namespace: str = NAMESPACE) -> None:
        self.namespace = namespace

    def count(self, name: str, **dimensions: str) -> None:
        with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=self.namespace) as metric:
            for key, value in dimensions.items():
                metric.add_dimension(name=key, value=value)

#!/usr/bin/env python3
"""Parses a Prometheus text exposition on stdin with the official client's parser
(PyPI prometheus-client, text_string_to_metric_families) and prints its families as JSON:
[{"name", "type", "samples": [{"name", "labels", "value"}]}]. A parse error exits 1."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = [
    {
        "name": family.name,
        "type": family.type,
        "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
    }
    for family in text_string_to_metric_families(sys.stdin.read())
]
print(json.dumps(families))

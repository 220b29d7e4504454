#!/usr/bin/env python3
"""Reads an OTLP/HTTP trace body (ExportTraceServiceRequest, protobuf) on stdin with
OpenTelemetry's own generated messages (PyPI opentelemetry-proto) and prints it as JSON
(google.protobuf.json_format: bytes in base64, enums by name, 64-bit integers as strings)."""
import json
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

request = ExportTraceServiceRequest.FromString(sys.stdin.buffer.read())
print(json.dumps(json_format.MessageToDict(request)))

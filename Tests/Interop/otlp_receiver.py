#!/usr/bin/env python3
"""A small OTLP/HTTP trace receiver for tests: POST /v1/traces bodies are decoded with
OpenTelemetry's own generated messages (PyPI opentelemetry-proto,
ExportTraceServiceRequest.FromString) and printed, one JSON object per request
(google.protobuf.json_format), after a first line "listening PORT".

  otlp_receiver.py [--fail N]    answer the first N requests 503 (an export that fails)
  otlp_receiver.py --quiet       decode and count, print nothing (for benchmarks)
  otlp_receiver.py --traces ID,ID   print only the spans of these traces (32 hex digits each)
"""
import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

parser = argparse.ArgumentParser()
parser.add_argument("--fail", type=int, default=0)
parser.add_argument("--quiet", action="store_true")
parser.add_argument("--traces", default="")
arguments = parser.parse_args()
wanted = {bytes.fromhex(trace) for trace in arguments.traces.split(",") if trace}
failures = {"left": arguments.fail}


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/traces" or self.headers.get("Content-Type") != "application/x-protobuf":
            self.send_response(404)
            self.end_headers()
            return
        if failures["left"] > 0:
            failures["left"] -= 1
            self.send_response(503)
            self.end_headers()
            return
        request = ExportTraceServiceRequest.FromString(body)
        if wanted:
            # Keep the spans of the traces asked for; a body with none of them prints nothing.
            for resource in request.resource_spans:
                for scope in resource.scope_spans:
                    kept = [span for span in scope.spans if span.trace_id in wanted]
                    del scope.spans[:]
                    scope.spans.extend(kept)
            if not any(scope.spans for resource in request.resource_spans for scope in resource.scope_spans):
                request = None
        if request is not None and not arguments.quiet:
            print(json.dumps(json_format.MessageToDict(request)), flush=True)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()

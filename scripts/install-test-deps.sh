#!/usr/bin/env bash
# Installs what the test suite needs, idempotently: only what is missing is installed.
# Today: protoc (Debian's protobuf-compiler), the independent peer for the codec tests;
# curl, an independent HTTP client; Python's grpcio and h2 for the gRPC and HTTP/2 tests;
# h2load (nghttp2-client) for the gRPC load test; Graphviz for the architecture picture;
# headless Chromium, chromium-driver and selenium for the operator console.
# Later issues add the servers (Kafka-compatible broker, MongoDB-compatible server,
# Redis, S3) here.
set -euo pipefail

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
command -v h2load >/dev/null 2>&1 || need_apt+=(nghttp2-client)
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
# Headless Chromium and its WebDriver: the operator console's browser tests.
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
# cc builds scripts/skew's shim, which moves a process's wall clock (the fleet tests).
command -v cc >/dev/null 2>&1 || need_apt+=(gcc libc6-dev)

if ((${#need_apt[@]})); then
    echo "install-test-deps: installing ${need_apt[*]} from Debian"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "install-test-deps: need root or sudo to install ${need_apt[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Python peers: stock gRPC (grpcio, grpcio-tools), the h2 library for raw HTTP/2, and the
# OpenAPI contract checkers (openapi-spec-validator, schemathesis), and pymongo (its bson
# module is the BSON codec's independent peer; its client reads what the Mongo store wrote),
# opentelemetry-proto (OpenTelemetry's own generated messages read our OTLP bodies) and
# prometheus-client (its parser reads /metrics) and selenium (drives Chromium through the console).
python_packages=(grpcio grpcio-tools h2 openapi-spec-validator schemathesis pyyaml pymongo opentelemetry-proto
    prometheus-client selenium)
modules="grpc, grpc_tools, h2, hyperframe, hpack, openapi_spec_validator, yaml, schemathesis, pymongo, bson, opentelemetry.proto.collector.trace.v1.trace_service_pb2, prometheus_client.parser, selenium.webdriver"
if ! python3 -c "import $modules" >/dev/null 2>&1; then
    echo "install-test-deps: installing ${python_packages[*]} from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check "${python_packages[@]}" \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${python_packages[@]}"
fi

# Every peer must now be there: a test that finds one missing would only skip.
python3 -c "import $modules" \
    || { echo "install-test-deps: the Python peers did not install" >&2; exit 1; }
for tool in protoc curl h2load dot cc chromium chromedriver; do
    command -v "$tool" >/dev/null || { echo "install-test-deps: $tool did not install" >&2; exit 1; }
done
echo "install-test-deps: protoc $(protoc --version | awk '{print $2}'), $(python3 -c 'import grpc; print("grpcio", grpc.__version__)')"

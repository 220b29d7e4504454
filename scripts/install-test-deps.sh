#!/usr/bin/env bash
# Installs what the test suite needs, idempotently: only what is missing is installed.
# Today: protoc (Debian's protobuf-compiler), the independent peer for the codec tests,
# and curl, an independent HTTP client for the server tests.
# Later issues add the servers (Kafka-compatible broker, MongoDB-compatible server,
# Redis, S3) here.
set -euo pipefail

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)

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

echo "install-test-deps: protoc $(protoc --version | awk '{print $2}')"

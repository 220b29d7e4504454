// `pawnshop feeder`: the fraud list from an S3 object into a Redis set, every interval.
import Foundation
import PawnFeeder
import PawnPorts
import PawnRedis
import PawnS3
import PawnSigV4

enum FeederKeys {
    static let all: [SettingKey] = [
        SettingKey(
            "s3Endpoint", flag: "--s3-endpoint", environment: "PAWNSHOP_S3_ENDPOINT", kind: .string,
            default: nil,
            help: "S3 endpoint URL (default: AWS, https://s3.REGION.amazonaws.com)"),
        SettingKey(
            "s3Bucket", flag: "--s3-bucket", environment: "PAWNSHOP_S3_BUCKET", kind: .string, default: nil,
            help: "bucket holding the list (required)"),
        SettingKey(
            "s3Key", flag: "--s3-key", environment: "PAWNSHOP_S3_KEY", kind: .string,
            default: "fraudsters.txt",
            help: "the list's object key: UTF-8, one name per line"),
        SettingKey(
            "s3Region", flag: "--s3-region", environment: "AWS_REGION", kind: .string, default: "us-east-1",
            help: "region the signatures are for"),
        SettingKey(
            "s3AccessKeyId", flag: "--s3-access-key-id", environment: "AWS_ACCESS_KEY_ID", kind: .string,
            default: nil, help: "access key id (required)"),
        SettingKey(
            "s3SecretAccessKey", flag: "--s3-secret-access-key", environment: "AWS_SECRET_ACCESS_KEY",
            kind: .string, default: nil, help: "secret access key (required)"),
        SettingKey(
            "s3SessionToken", flag: "--s3-session-token", environment: "AWS_SESSION_TOKEN", kind: .string,
            default: nil, help: "session token of temporary credentials"),
        SettingKey(
            "s3Addressing", flag: "--s3-addressing", environment: "PAWNSHOP_S3_ADDRESSING", kind: .string,
            default: nil, help: "path or virtualHost (default: virtualHost for AWS, path otherwise)"),
        SettingKey(
            "s3TimeoutMs", flag: "--s3-timeout-ms", environment: "PAWNSHOP_S3_TIMEOUT_MS",
            kind: .integer(1_000...3_600_000), default: "30000", help: "how long a download may take (ms)"),
        SettingKey(
            "intervalSeconds", flag: "--interval-seconds", environment: "PAWNSHOP_FEEDER_INTERVAL_SECONDS",
            kind: .integer(1...86_400), default: "60", help: "seconds between checks of the list"),
        SettingKey(
            "redis", flag: "--redis", environment: "PAWNSHOP_REDIS", kind: .string, default: "127.0.0.1:6379",
            help: "Redis host:port the list is loaded into"),
        RealAdapterKeys.fraudKey,
        SettingKey(
            "once", flag: "--once", environment: "PAWNSHOP_FEEDER_ONCE", kind: .boolean, default: "false",
            help: "load the list once and exit (non-zero when that failed)"),
    ]
}

/// A required setting's value, or a one-line error naming every place it can come from.
func required(_ settings: Settings, _ name: String) -> String {
    if let value = settings.string(name) { return value }
    let key = settings.keys.first { $0.name == name }!
    fail(
        SettingsError(
            key: name, source: "flag \(key.flag), environment \(key.environment) or the config file",
            message: "is required"
        ).description)
}

func runFeeder(_ settings: Settings) async -> Never {
    let region = settings.string("s3Region")!
    let endpointText = settings.string("s3Endpoint") ?? "https://s3.\(region).amazonaws.com"
    // Without an endpoint the URL is made from the region, so a bad one names the region.
    let (endpointKey, endpointSource) =
        settings.string("s3Endpoint") != nil
        ? ("s3Endpoint", settings.source("s3Endpoint")!) : ("s3Region", settings.source("s3Region")!)
    guard let endpoint = URL(string: endpointText), endpoint.host != nil else {
        fail("invalid \(endpointKey) (from \(endpointSource)): \"\(endpointText)\" is not a URL with a host")
    }
    let addressing: S3Configuration.Addressing
    switch settings.string("s3Addressing") {
    case nil: addressing = settings.string("s3Endpoint") == nil ? .virtualHost : .path
    case "path": addressing = .path
    case "virtualHost": addressing = .virtualHost
    case let other?:
        fail(
            "invalid s3Addressing (from \(settings.source("s3Addressing")!)): \"\(other)\" is not path or virtualHost"
        )
    }
    let bucket = required(settings, "s3Bucket")
    let credentials = AWSCredentials(
        accessKeyId: required(settings, "s3AccessKeyId"),
        secretAccessKey: required(settings, "s3SecretAccessKey"),
        sessionToken: settings.string("s3SessionToken"))
    let configuration: S3Configuration
    do {
        configuration = try S3Configuration(
            endpoint: endpoint, region: region, credentials: credentials, addressing: addressing,
            timeout: .milliseconds(settings.integer("s3TimeoutMs")!))
    } catch {
        fail("invalid \(endpointKey) (from \(endpointSource)): \(error)")
    }
    let redisAddress = settings.string("redis")!
    let redisConfiguration: RedisConfiguration
    do { redisConfiguration = try RedisConfiguration(address: redisAddress) } catch {
        fail("invalid redis (from \(settings.source("redis")!)): \(error)")
    }
    let redis = RedisClient(configuration: redisConfiguration)
    do { try await redis.ping() } catch {
        fail("cannot reach Redis at \(redisAddress) (from \(settings.source("redis")!)): \(error)")
    }
    let source = S3FraudListSource(
        client: S3Client(configuration: configuration), bucket: bucket, key: settings.string("s3Key")!)
    let feeder = Feeder(
        source: source, store: RedisFraudList(client: redis, key: settings.string("fraudKey")!),
        interval: .seconds(settings.integer("intervalSeconds")!))
    print("pawnshop feeder: \(source) into Redis \(redisAddress) set \(settings.string("fraudKey")!)")
    let first = await feeder.runOnce()
    if case .failed = first {
        // What cannot get better by waiting is a configuration error: say so and stop.
        if let error = await feeder.lastError, [.refused, .unreachable].contains(error.code) {
            fail("cannot read s3://\(bucket)/\(settings.string("s3Key")!) at \(endpointText): \(error)")
        }
    }
    if settings.boolean("once") {
        if case .failed = first { exit(1) }
        exit(0)
    }
    print("pawnshop feeder: checking every \(settings.integer("intervalSeconds")!) s")
    let task = Task { await feeder.run(startImmediately: false) }
    await Signals.waitForTermination()
    task.cancel()
    print("pawnshop feeder: stopping")
    exit(0)
}

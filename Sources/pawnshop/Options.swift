// Typed options per command, built once from the loaded settings: the rest of the
// executable reads fields, never a setting by name.
import Foundation
import PawnLog
import PawnS3
import PawnSettings
import PawnSigV4
import PawnWorker

/// Where the HTTP API listens, and what every service process shares.
struct ServerOptions {
    var host: String
    var port: Int
    var maxConnections: Int
    var loops: Int?
    var seedDemo: Bool
    var fraudsters: [String]
    var console: Bool

    init(_ settings: Settings) throws(SettingsError) {
        console = settings.boolean(Keys.console)
        host = try settings.value(Keys.host)
        port = try settings.integerValue(Keys.port)
        maxConnections = try settings.integerValue(Keys.maxConnections)
        loops = settings.integer(Keys.loops)
        seedDemo = settings.boolean(Keys.seedDemo)
        fraudsters = settings.string(Keys.fraudsters)?.split(separator: ",").map(String.init) ?? []
    }
}

/// What the process logs and how: `--log-level`, `--log-format`, `--access-log`.
struct LogOptions {
    var level: LogLevel
    var format: LogFormat
    var accessLog: Bool

    init(_ settings: Settings) throws(SettingsError) {
        let levelText = try settings.value(Keys.logLevel)
        guard let level = LogLevel(name: levelText) else {
            throw SettingsError(
                Keys.logLevel, in: settings,
                "\"\(levelText)\" is not trace, debug, info, notice, warning, error or critical")
        }
        self.level = level
        switch try settings.value(Keys.logFormat) {
        case "logfmt": format = .logfmt
        case "json": format = .json
        case let other:
            throw SettingsError(Keys.logFormat, in: settings, "\"\(other)\" is not logfmt or json")
        }
        accessLog = settings.boolean(Keys.accessLog)
    }
}

/// Which real servers a process uses; `nil` fields stay in memory.
struct AdapterOptions {
    var kafka: String?
    var kafkaSource: String
    var kafkaPartitions: Int
    var kafkaReplication: Int
    var kafkaSessionTimeout: Duration?
    /// Raw librdkafka properties (`--kafka-options`).
    var kafkaOptions: [String: String] = [:]
    var consumerGroup: String
    var mongo: String?
    var mongoSource: String
    var mongoDatabase: String
    var redis: String?
    var redisSource: String
    var fraudKey: String
    var fraudRefresh: Duration
    var fraudFailOpen: Bool
    var publishTimeout: Duration
    var parkingKey: String?

    init(_ settings: Settings) throws(SettingsError) {
        let real = settings.boolean(Keys.real)
        func server(_ key: SettingKey, realDefault: String) -> (String?, String) {
            if let value = settings.string(key) { return (value, settings.source(key) ?? key.flag) }
            return real ? (realDefault, "--real") : (nil, "memory")
        }
        (kafka, kafkaSource) = server(Keys.kafka, realDefault: "127.0.0.1:9092")
        (mongo, mongoSource) = server(Keys.mongo, realDefault: "mongodb://127.0.0.1:27017")
        (redis, redisSource) = server(Keys.redis, realDefault: "127.0.0.1:6379")
        kafkaPartitions = settings.integer(Keys.kafkaPartitions) ?? 6
        kafkaReplication = settings.integer(Keys.kafkaReplication) ?? 1
        kafkaSessionTimeout = settings.integer(Keys.kafkaSessionTimeout).map { .milliseconds($0) }
        for pair in (settings.string(Keys.kafkaOptions) ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingASCIIWhitespace() }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw SettingsError(Keys.kafkaOptions, in: settings, "\"\(pair)\" is not key=value")
            }
            kafkaOptions[parts[0]] = parts[1]
        }
        consumerGroup = settings.string(Keys.group) ?? "pawnshop-workers"
        mongoDatabase = settings.string(Keys.mongoDatabase) ?? "auction-db"
        fraudKey = settings.string(Keys.fraudKey) ?? "fraudsters"
        fraudRefresh = .milliseconds(settings.integer(Keys.fraudRefresh) ?? 1000)
        fraudFailOpen = settings.boolean(Keys.fraudFailOpen)
        publishTimeout = .milliseconds(settings.integer(Keys.publishTimeout) ?? 5000)
        parkingKey = settings.string(Keys.parkingKey)
    }

    /// Whether any real server is configured.
    var anyReal: Bool { kafka != nil || mongo != nil || redis != nil }

    /// The adapters in use, for the start-up line.
    var description: String {
        let parts = [kafka.map { "Kafka \($0)" }, mongo.map { "MongoDB \($0)" }, redis.map { "Redis \($0)" }]
            .compactMap { $0 }
        return parts.isEmpty ? "in memory" : parts.joined(separator: ", ")
    }
}

/// `pawnshop dispatcher`.
struct DispatcherOptions {
    var server: ServerOptions
    var adapters: AdapterOptions
    var grpcHost: String
    var grpcPort: Int
    var token: String
    var log: LogOptions

    init(_ settings: Settings) throws(SettingsError) {
        log = try LogOptions(settings)
        server = try ServerOptions(settings)
        adapters = try AdapterOptions(settings)
        grpcHost = try settings.value(Keys.grpcHost)
        grpcPort = try settings.integerValue(Keys.grpcPort)
        token = try joinToken(settings, Keys.dispatcherToken)
    }
}

/// `pawnshop worker`.
struct WorkerOptions {
    var id: String
    var host: String
    var port: Int
    var maxConnections: Int
    var metricsPort: Int?
    var loops: Int?
    var seedDemo: Bool
    var dispatchers: [(host: String, port: Int)]
    var dispatcherText: String
    var advertise: (host: String, port: Int)?
    var token: String
    var stallAfter: Duration
    var adapters: AdapterOptions
    var log: LogOptions

    init(_ settings: Settings) throws(SettingsError) {
        log = try LogOptions(settings)
        stallAfter = .milliseconds(settings.integer(Keys.stallAfter) ?? 30_000)
        id = settings.string(Keys.workerId) ?? Self.uniqueId()
        host = try settings.value(Keys.workerHost)
        port = try settings.integerValue(Keys.workerPort)
        maxConnections = try settings.integerValue(Keys.workerMaxConnections)
        metricsPort = settings.integer(Keys.workerMetricsPort)
        loops = settings.integer(Keys.loops)
        seedDemo = settings.boolean(Keys.seedDemo)
        token = try joinToken(settings, Keys.workerToken)
        adapters = try AdapterOptions(settings)
        dispatcherText = try settings.value(Keys.dispatcher)
        var dispatchers: [(host: String, port: Int)] = []
        for entry in dispatcherText.split(separator: ",") {
            guard let address = Self.hostPort(String(entry).trimmingASCIIWhitespace()) else {
                throw SettingsError(Keys.dispatcher, in: settings, "\"\(entry)\" is not host:port")
            }
            dispatchers.append(address)
        }
        guard !dispatchers.isEmpty else {
            throw SettingsError(Keys.dispatcher, in: settings, "\"\(dispatcherText)\" names no host:port")
        }
        self.dispatchers = dispatchers
        if let text = settings.string(Keys.advertise) {
            guard let address = Self.hostPort(text), !WorkerNode.isWildcard(address.host) else {
                throw SettingsError(
                    Keys.advertise, in: settings, "\"\(text)\" is not a host:port dispatchers can reach")
            }
            advertise = address
        } else if WorkerNode.isWildcard(host) {
            throw SettingsError(
                Keys.advertise, in: settings,
                "the worker binds \(host), which dispatchers cannot connect to: give the address they reach it at"
            )
        }
    }

    /// `host:port` (`[v6]:port` too), or `nil`.
    static func hostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), colon > text.startIndex,
            let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port)
        else { return nil }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    /// `worker-HOSTNAME-XXXXXXXX`: the pid alone is 1 in every container.
    static func uniqueId() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "worker-\(host)-\(String(UInt32.random(in: 0 ... .max), radix: 16))"
    }
}

/// `pawnshop all-in-one` (and `pawnshop` alone).
struct AllInOneOptions {
    var server: ServerOptions
    var adapters: AdapterOptions
    var workers: Int
    var log: LogOptions

    init(_ settings: Settings) throws(SettingsError) {
        log = try LogOptions(settings)
        server = try ServerOptions(settings)
        adapters = try AdapterOptions(settings)
        workers = try settings.integerValue(Keys.workers)
    }
}

/// `pawnshop feeder`.
struct FeederOptions {
    var s3: S3Configuration
    var endpointText: String
    var bucket: String
    var key: String
    var interval: Duration
    var redis: String
    var redisSource: String
    var fraudKey: String
    var once: Bool
    var log: LogOptions

    init(_ settings: Settings) throws(SettingsError) {
        log = try LogOptions(settings)
        let region = try settings.value(Keys.s3Region)
        endpointText = settings.string(Keys.s3Endpoint) ?? "https://s3.\(region).amazonaws.com"
        // Without an endpoint the URL is made from the region, so a bad one names the region.
        let endpointKey = settings.string(Keys.s3Endpoint) != nil ? Keys.s3Endpoint : Keys.s3Region
        guard let endpoint = URL(string: endpointText), endpoint.host != nil else {
            throw SettingsError(endpointKey, in: settings, "\"\(endpointText)\" is not a URL with a host")
        }
        let addressing: S3Configuration.Addressing
        switch settings.string(Keys.s3Addressing) {
        case nil: addressing = settings.string(Keys.s3Endpoint) == nil ? .virtualHost : .path
        case "path": addressing = .path
        case "virtualHost": addressing = .virtualHost
        case let other?:
            throw SettingsError(Keys.s3Addressing, in: settings, "\"\(other)\" is not path or virtualHost")
        }
        bucket = try settings.value(Keys.s3Bucket)
        key = try settings.value(Keys.s3Key)
        let credentials = AWSCredentials(
            accessKeyId: try settings.value(Keys.s3AccessKeyId),
            secretAccessKey: try settings.value(Keys.s3SecretAccessKey),
            sessionToken: settings.string(Keys.s3SessionToken))
        let timeout = Duration.milliseconds(try settings.integerValue(Keys.s3Timeout))
        do {
            s3 = try S3Configuration(
                endpoint: endpoint, region: region, credentials: credentials, addressing: addressing,
                timeout: timeout)
        } catch {
            throw SettingsError(endpointKey, in: settings, "\(error)")
        }
        interval = .seconds(try settings.integerValue(Keys.feederInterval))
        redis = try settings.value(Keys.feederRedis)
        redisSource = settings.source(Keys.feederRedis) ?? "default"
        fraudKey = try settings.value(Keys.fraudKey)
        once = settings.boolean(Keys.once)
    }
}

/// `pawnshop parked`.
struct ParkedOptions {
    var redis: String
    var redisSource: String
    var parkingKey: String
    var count: Int

    init(_ settings: Settings) throws(SettingsError) {
        redis = try settings.value(Keys.feederRedis)
        redisSource = settings.source(Keys.feederRedis) ?? "default"
        parkingKey = settings.string(Keys.parkingKey) ?? "pawnshop:parked"
        count = try settings.integerValue(Keys.parkedCount)
    }
}

/// The join token: from `--token` (or its environment variable or the config file), or read
/// from `--token-file` (its first line), not both.
func joinToken(_ settings: Settings, _ key: SettingKey) throws(SettingsError) -> String {
    switch (settings.string(key), settings.string(Keys.tokenFile)) {
    case (let token?, nil):
        return token
    case (nil, let path?):
        guard let file = FileHandle(forReadingAtPath: path), let data = try? file.readToEnd() ?? Data() else {
            throw SettingsError(Keys.tokenFile, in: settings, "cannot read \(path)")
        }
        try? file.close()
        let token =
            String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
            ?? ""
        guard !token.isEmpty else {
            throw SettingsError(Keys.tokenFile, in: settings, "\(path) holds no token")
        }
        return token
    case (_?, _?):
        throw SettingsError(Keys.tokenFile, in: settings, "give the token or a token file, not both")
    case (nil, nil):
        throw SettingsError(key: key.name, source: key.sources, message: "is required (or --token-file)")
    }
}

// `pawnshop feeder`: the fraud list from an S3 object into a Redis set, every interval.
import Foundation
import PawnFeeder
import PawnLog
import PawnPorts
import PawnRedis
import PawnS3

func runFeeder(_ options: FeederOptions) async -> Never {
    startLog(options.log, service: "feeder")
    let redisConfiguration: RedisConfiguration
    do { redisConfiguration = try RedisConfiguration(address: options.redis) } catch {
        fail("invalid redis (from \(options.redisSource)): \(error)", .usage)
    }
    let redis = RedisClient(configuration: redisConfiguration)
    do { try await redis.ping() } catch {
        fail("cannot reach Redis at \(options.redis) (from \(options.redisSource)): \(error)")
    }
    let source = S3FraudListSource(
        client: S3Client(configuration: options.s3), bucket: options.bucket, key: options.key)
    let feeder = Feeder(
        source: source, store: RedisFraudList(client: redis, key: options.fraudKey),
        interval: options.interval)
    processLog.notice("\(source) into Redis \(options.redis) set \(options.fraudKey)")
    let first = await feeder.runOnce()
    if case .failed = first {
        // What cannot get better by waiting (a refusal, no such host) is worth stopping for.
        if let error = await feeder.lastError, [.refused, .unreachable].contains(error.code) {
            fail("cannot read s3://\(options.bucket)/\(options.key) at \(options.endpointText): \(error)")
        }
    }
    if options.once {
        flushTelemetry()
        if case .failed = first { exit(ExitCode.failure.rawValue) }
        exit(ExitCode.ok.rawValue)
    }
    processLog.notice("checking every \(options.interval)")
    let task = Task { await feeder.run(startImmediately: false) }
    await Signals.waitForTermination()
    task.cancel()
    processLog.notice("stopping")
    flushTelemetry()
    exit(ExitCode.ok.rawValue)
}

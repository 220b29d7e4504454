// `pawnshop parked list|redrive`: the parking lot's dead letters, for operators.
import Foundation
import PawnPorts
import PawnProtocol
import PawnRedis

/// What `pawnshop parked` does.
enum ParkedVerb: String, CaseIterable {
    /// Prints the lot's length and its dead letters, oldest first.
    case list
    /// Moves dead letters back to the lot's tail, for the drainer to publish again.
    case redrive
}

func runParked(_ verb: ParkedVerb, _ options: ParkedOptions) async -> Never {
    let configuration: RedisConfiguration
    do { configuration = try RedisConfiguration(address: options.redis) } catch {
        fail("invalid redis (from \(options.redisSource)): \(error)", .usage)
    }
    let client = RedisClient(configuration: configuration)
    let lot = RedisParkingLot(client: client, key: options.parkingKey)
    do {
        let (records, total) = try await lot.deadLetters(options.count)
        switch verb {
        case .list:
            print(
                "\(try await lot.count()) events waiting in \(lot); \(total) dead letters in \(options.parkingKey):dead"
            )
            for (index, bytes) in records.enumerated() { print("\(index + 1). \(describe(bytes))") }
            if total > records.count { print("… and \(total - records.count) more (--count)") }
        case .redrive:
            // An unreadable record cannot be published; it stays (and stops the redrive) for people.
            var heads: [(record: [UInt8], item: String)] = []
            for bytes in records {
                guard let record = try? Wire.ParkedRecord(serializedBytes: bytes) else { break }
                heads.append((bytes, record.key))
            }
            let moved = try await lot.redrive(heads)
            print("moved \(moved) of \(total) dead letters back to \(lot); a dispatcher re-publishes them")
            if moved < records.count {
                print("stopped at dead letter \(moved + 1): \(describe(records[moved]))")
            }
        }
    } catch {
        fail("\(lot): \(error)")
    }
    client.close()
    exit(ExitCode.ok.rawValue)
}

/// One line for a parked record: where it was going, its item, its headers, its size, when.
private func describe(_ bytes: [UInt8]) -> String {
    guard let record = try? Wire.ParkedRecord(serializedBytes: bytes) else {
        return "unreadable (\(bytes.count) bytes, not a pawnshop.v1.ParkedRecord)"
    }
    let parkedAt = Date(timeIntervalSince1970: Double(record.parkedAtMicros) / 1_000_000)
    let headers = record.headers.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    return
        "topic \(record.topic) item \(record.key) \(record.value.count) bytes, parked \(parkedAt) \(headers)"
}

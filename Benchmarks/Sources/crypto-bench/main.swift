// The hashing under S3's signatures: PawnSigV4's own SHA-256 and HMAC-SHA256 against
// swift-crypto (the library a Swift user would pick), on the same inputs; and the cost of
// signing one S3 GET with our SigV4 (no peer in Swift without an AWS SDK; printed alone).
// Prints one line per case: `case ours-ns peer-ns bytes` (peer-ns 0 when there is none).
// Usage: crypto-bench [seconds] [peer-first]   (peer-first: each pair measures swift-crypto
// first; Benchmarks/run.sh alternates the order across repetitions)
import Crypto
import Foundation
import PawnSigV4

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 1.0
let peerFirst = CommandLine.arguments.contains("peer-first")

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Nanoseconds per call of `body`, over about `seconds`, after a warm-up.
func measure(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    for _ in 0..<10 { body() }
    var iterations = 10
    while true {
        let start = clock.now
        for _ in 0..<iterations { body() }
        let elapsed = start.duration(to: clock.now)
        let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        if nanos >= seconds * 1e9 { return nanos / Double(iterations) }
        iterations = nanos < 1e6 ? iterations * 10 : Int(Double(iterations) * seconds * 1.1e9 / nanos)
    }
}

/// (ours, peer) nanoseconds per call, measured in the order the command line asks for.
func pair(_ ours: () -> Void, _ peer: () -> Void) -> (Double, Double) {
    if peerFirst {
        let peerNs = measure(peer)
        return (measure(ours), peerNs)
    }
    let oursNs = measure(ours)
    return (oursNs, measure(peer))
}

func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }

for size in [64, 1024, 1 << 20] {
    let input = bytes(size)
    precondition(PawnSigV4.SHA256.hash(input) == Array(Crypto.SHA256.hash(data: input)), "SHA-256 differs")
    let (ours, peer) = pair(
        { blackHole(PawnSigV4.SHA256.hash(input)) }, { blackHole(Crypto.SHA256.hash(data: input)) })
    print("sha256-\(size)B \(String(format: "%.1f", ours)) \(String(format: "%.1f", peer)) \(size)")
}

let key = bytes(32)
for size in [64, 1024] {
    let message = bytes(size)
    let symmetric = SymmetricKey(data: key)
    precondition(
        HMACSHA256.authenticate(message, key: key)
            == Array(HMAC<Crypto.SHA256>.authenticationCode(for: message, using: symmetric)),
        "HMAC differs")
    let (ours, peer) = pair(
        { blackHole(HMACSHA256.authenticate(message, key: key)) },
        { blackHole(HMAC<Crypto.SHA256>.authenticationCode(for: message, using: symmetric)) })
    print("hmac-sha256-\(size)B \(String(format: "%.1f", ours)) \(String(format: "%.1f", peer)) \(size)")
}

let signer = SigV4Signer(
    credentials: AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret"),
    region: "eu-west-1", service: "s3")
let request = SigV4Signer.Request(
    method: "GET", path: "/bucket/fraudsters.txt",
    headers: [("Host", "s3.eu-west-1.amazonaws.com"), ("If-None-Match", "\"abc\"")])
let date = Int64(Date().timeIntervalSince1970)
let sign = measure { blackHole(signer.signedHeaders(for: request, atSecondsSince1970: date)) }
print("sigv4-sign-s3-get \(String(format: "%.1f", sign)) 0 0")

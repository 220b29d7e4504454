import Foundation
import PawnS3
import PawnSigV4
import PawnTestSupport

/// The S3-compatible server (moto) of `scripts/servers.sh`, with the key of the IAM user it
/// checks signatures against.
enum S3TestSupport {
    static var endpoint: String? { ProcessInfo.processInfo.environment["PAWN_TEST_S3"] }
    static var accessKey: String { ProcessInfo.processInfo.environment["PAWN_TEST_S3_ACCESS_KEY"] ?? "" }
    static var secretKey: String { ProcessInfo.processInfo.environment["PAWN_TEST_S3_SECRET_KEY"] ?? "" }

    static let available: Bool = {
        guard endpoint != nil, !accessKey.isEmpty else {
            _ = TestServers.skipReason("S3-compatible server", "PAWN_TEST_S3")
            return false
        }
        guard RedisTestSupport.serverIsConfigured else { return false }
        return true
    }()

    static func client(secret: String? = nil, timeout: Duration = .seconds(5)) throws -> S3Client {
        S3Client(
            configuration: try S3Configuration(
                endpoint: URL(string: endpoint!)!,
                credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret ?? secretKey),
                timeout: timeout))
    }

    /// Uploads `body` with boto3 (the independent peer), creating the bucket if needed;
    /// returns the ETag S3 gave it.
    @discardableResult
    static func upload(bucket: String, key: String, body: [UInt8]) async throws -> String {
        let script = """
            import sys, boto3
            endpoint, access, secret, bucket, key = sys.argv[1:6]
            s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id=access, aws_secret_access_key=secret)
            try:
                s3.create_bucket(Bucket=bucket)
            except s3.exceptions.BucketAlreadyOwnedByYou:
                pass
            print(s3.put_object(Bucket=bucket, Key=key, Body=sys.stdin.buffer.read())["ETag"])
            """
        return try await offPool {
            let result = try Command.run(
                Command.find("python3")!, ["-c", script, endpoint!, accessKey, secretKey, bucket, key],
                input: body)
            guard result.status == 0 else { throw Command.Failure(result) }
            return result.text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// `scripts/servers.sh` with `arguments` (pause/resume s3, down/up kafka-proxy).
    static func servers(_ arguments: [String]) async throws {
        let script =
            ProcessInfo.processInfo.environment["PAWN_TEST_SERVERS_SCRIPT"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/servers.sh").path
        try await offPool {
            let result = try Command.run("/bin/bash", [script] + arguments)
            guard result.status == 0 else { throw Command.Failure(result) }
        }
    }
}

import PawnPorts

/// The fraud list as an object in S3: one name per line, UTF-8. Fetched with
/// `If-None-Match`, so an unchanged object is not downloaded again, and read line by line
/// from a temporary file.
public struct S3FraudListSource: FraudListSource {
    /// The client.
    public let client: S3Client
    /// The bucket.
    public let bucket: String
    /// The object's key.
    public let key: String

    /// The list at `s3://bucket/key`.
    public init(client: S3Client, bucket: String, key: String) {
        self.client = client
        self.bucket = bucket
        self.key = key
    }

    public func fetch(ifChangedFrom version: String?) async throws -> FraudListFetch {
        switch try await client.getObject(bucket: bucket, key: key, ifNoneMatch: version) {
        case .notModified:
            return .unchanged
        case .downloaded(let download):
            var parser = FraudListParser()
            try download.forEachLine { line in try parser.add(line: line) }
            return .list(parser.names, version: download.etag)
        }
    }

    public var description: String {
        "s3://\(bucket)/\(key) at \(client.configuration.endpoint.absoluteString)"
    }
}

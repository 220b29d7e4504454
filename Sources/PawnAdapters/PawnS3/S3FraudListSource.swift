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

    public func fetch(ifChangedFrom version: String?) async throws(FraudListError) -> FraudListFetch {
        let result: S3GetResult
        do { result = try await client.getObject(bucket: bucket, key: key, ifNoneMatch: version) } catch {
            throw Self.fraudListError(error)
        }
        switch result {
        case .notModified:
            return .unchanged
        case .downloaded(let download):
            var parser = FraudListParser()
            do { try download.forEachLine { line in try parser.add(line: line) } } catch let error
                as FraudListError
            {
                throw error
            } catch {
                throw FraudListError(.unavailable, "cannot read the downloaded list: \(error)")
            }
            return .list(parser.names, version: download.etag)
        }
    }

    /// An S3 failure as the port's: what waiting will not fix is ``FraudListError/Code/refused``.
    static func fraudListError(_ error: S3Error) -> FraudListError {
        switch error.code {
        case .accessDenied, .notFound, .invalidConfiguration: FraudListError(.refused, error.description)
        case .unreachable: FraudListError(.unreachable, error.description)
        default: FraudListError(.unavailable, error.description)
        }
    }

    public var description: String {
        "s3://\(bucket)/\(key) at \(client.configuration.endpoint.absoluteString)"
    }
}

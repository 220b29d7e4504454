import Foundation
import PawnSigV4
import Testing

@_spi(Fuzzing) @testable import PawnS3

/// The S3 client's addressing, configuration checks and error mapping (no server needed;
/// the requests themselves are checked against moto in PawnIntegrationTests).
@Suite("S3 client")
struct S3ClientTests {
    let credentials = AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret")

    func configuration(_ endpoint: String, _ addressing: S3Configuration.Addressing) throws -> S3Configuration
    {
        try S3Configuration(
            endpoint: URL(string: endpoint)!, credentials: credentials, addressing: addressing)
    }

    @Test("path style: the bucket is the first path segment; the key is encoded once, slashes kept")
    func pathStyle() throws {
        let target = S3Client.target(
            try configuration("http://127.0.0.1:9000", .path), bucket: "risk", key: "lists/fraud list ü.txt")
        #expect(target.url == "http://127.0.0.1:9000/risk/lists/fraud%20list%20%C3%BC.txt")
        #expect(target.host == "127.0.0.1:9000")
        #expect(target.path == "/risk/lists/fraud list ü.txt")
    }

    @Test("virtual-host style: the bucket is part of the host; default ports are left out of Host")
    func virtualHostStyle() throws {
        let aws = S3Client.target(
            try configuration("https://s3.eu-west-1.amazonaws.com", .virtualHost), bucket: "risk",
            key: "fraudsters.txt")
        #expect(aws.url == "https://risk.s3.eu-west-1.amazonaws.com/fraudsters.txt")
        #expect(aws.host == "risk.s3.eu-west-1.amazonaws.com")
        #expect(aws.path == "/fraudsters.txt")
        let explicitPort = S3Client.target(
            try configuration("https://s3.example.com:443", .virtualHost), bucket: "b", key: "k")
        #expect(explicitPort.host == "b.s3.example.com")
    }

    @Test("an endpoint with a base path keeps it in front of the bucket")
    func basePath() throws {
        let target = S3Client.target(
            try configuration("http://gateway:8080/s3/", .path), bucket: "b", key: "k")
        #expect(target.url == "http://gateway:8080/s3/b/k")
        #expect(target.path == "/s3/b/k")
    }

    @Test("the signed request carries the signature of exactly the host, path and headers sent")
    func signedRequest() throws {
        let client = S3Client(configuration: try configuration("http://127.0.0.1:9000", .path))
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        let request = try client.makeRequest(
            method: "GET", bucket: "examplebucket", key: "test.txt", headers: [("If-None-Match", "\"e\"")],
            date: date)
        #expect(request.url?.absoluteString == "http://127.0.0.1:9000/examplebucket/test.txt")
        #expect(request.value(forHTTPHeaderField: "X-Amz-Date") == "20130524T000000Z")
        #expect(request.value(forHTTPHeaderField: "X-Amz-Content-SHA256") == SigV4Signer.emptyPayloadHash)
        let authorization = try #require(request.value(forHTTPHeaderField: "Authorization"))
        #expect(
            authorization.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date, Signature="
            ))
        // The same request signed independently.
        let expected = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3").sign(
            SigV4Signer.Request(
                method: "GET", path: "/examplebucket/test.txt",
                headers: [
                    ("Host", "127.0.0.1:9000"), ("If-None-Match", "\"e\""),
                    ("X-Amz-Date", "20130524T000000Z"),
                    ("X-Amz-Content-SHA256", SigV4Signer.emptyPayloadHash),
                ]), timestamp: "20130524T000000Z")
        #expect(authorization == expected.authorization)
    }

    @Test("a configuration that cannot work is refused, naming what is wrong")
    func badConfiguration() {
        #expect(throws: S3Error.self) {
            try S3Configuration(endpoint: URL(string: "ftp://x")!, credentials: credentials)
        }
        #expect(throws: S3Error.self) {
            try S3Configuration(
                endpoint: URL(string: "http://x")!,
                credentials: AWSCredentials(accessKeyId: "", secretAccessKey: "s"))
        }
        #expect(throws: S3Error.self) {
            try S3Configuration(endpoint: URL(string: "http://x")!, region: "", credentials: credentials)
        }
    }

    @Test("S3's XML error body is named in the error; 403 and 404 are not retried, 5xx is")
    func errors() {
        let body = Array(
            "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>no match</Message></Error>"
                .utf8)
        let denied = S3Client.statusError(403, body: body, what: "s3://b/k")
        #expect(denied.code == .accessDenied)
        #expect(
            denied.description
                == "access to s3://b/k was refused (SignatureDoesNotMatch: no match) (HTTP 403)")
        #expect(!denied.isRetryable)
        #expect(S3Client.statusError(404, body: [], what: "s3://b/k").code == .notFound)
        let unavailable = S3Client.statusError(503, body: Array("not xml".utf8), what: "s3://b/k")
        #expect(unavailable.code == .failed && unavailable.isRetryable)
    }
}

import Foundation
import PawnSigV4

extension SigV4Signer {
    /// ``SigV4Signer/signedHeaders(for:atSecondsSince1970:)`` at a Foundation `Date`.
    public func signedHeaders(for request: Request, at date: Date) -> [(name: String, value: String)] {
        signedHeaders(for: request, atSecondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `date` as SigV4's `yyyyMMdd'T'HHmmss'Z'`.
    public static func timestamp(_ date: Date) -> String {
        timestamp(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}

/// The operator console: a page of plain HTML, CSS and ES modules that calls the public JSON
/// API, compiled into the binary (no files to ship, no build step, no framework).
///
/// The dispatcher serves ``index`` at `/` and every other asset at its ``Asset/path``; the
/// page does the rest in the browser: search, an item's history as a timeline, the actions'
/// forms, the platform's health and live figures from `/metrics`.
public enum Console {
    /// One file of the console.
    public struct Asset: Sendable {
        /// Where it is served (`/console/app.js`).
        public let path: String
        /// Its media type.
        public let contentType: String
        /// Its bytes.
        public let body: [UInt8]

        init(_ path: String, _ contentType: String, _ text: String) {
            self.path = path
            self.contentType = contentType
            body = Array(text.utf8)
        }
    }

    /// The page, served at `/`.
    public static let index = Asset("/", "text/html; charset=utf-8", indexHTML)

    /// Every asset, the page first.
    public static let assets: [Asset] = [
        index,
        Asset("/console/style.css", "text/css; charset=utf-8", styleCSS),
        Asset("/console/app.js", "text/javascript; charset=utf-8", appJS),
        Asset("/console/api.js", "text/javascript; charset=utf-8", apiJS),
        Asset("/console/charts.js", "text/javascript; charset=utf-8", chartsJS),
    ]

    /// The asset served at `path`, if there is one.
    public static func asset(at path: String) -> Asset? { assets.first { $0.path == path } }

    /// The headers every asset is served with: its type, revalidation on each load (the
    /// binary is the version), and a policy that lets the page load only its own scripts and
    /// styles and talk only to its own origin.
    public static func headers(for asset: Asset) -> [(String, String)] {
        [
            ("Content-Type", asset.contentType),
            ("Cache-Control", "no-cache"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            (
                "Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            ),
        ]
    }
}

import Foundation
import PawnConsole
import PawnPlatform
import PawnTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The operator console as files: served at `/` and `/console/…` with their types and a
/// content security policy, absent when turned off.
@Suite("The operator console's files")
struct ConsoleFilesTests {
    @Test(
        "the page at /, each asset with its type and the policy; an unknown file 404 with JSON; off with console: false"
    )
    func served() async throws {
        try await withPlatform { client, _ in
            let page = try await client.get("/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
            #expect(page.text.contains(#"<script type="module" src="/console/app.js">"#))
            for asset in Console.assets where asset.path != "/" {
                let reply = try await client.get(asset.path)
                #expect(reply.status == 200, "\(asset.path)")
                #expect(reply.headers["content-type"] == asset.contentType, "\(asset.path)")
                #expect(reply.headers["x-content-type-options"] == "nosniff")
                #expect(Array(reply.text.utf8) == asset.body)
            }
            let missing = try await client.get("/console/nope.js")
            #expect(missing.status == 404 && missing.errorCode == "notFound")
        }
        let platform = try EmbeddedPlatform(port: 0, loops: 1, console: false)
        let port = try await platform.start()
        #expect(try await Client(base: "http://127.0.0.1:\(port)").get("/").status == 404)
        await platform.stop(gracePeriod: .seconds(1))
    }

    @Test("the history's entries carry their position, so that the console can merge them into one timeline")
    func positions() async throws {
        try await withPlatform { client, _ in
            try await client.write("/item/add", addBody("timeline-1"))
            try await client.write(
                "/item/action/sell",
                #"{"itemId":"timeline-1","clientId":"ana","price":2000,"date":"2024-03-01"}"#)
            try await client.write(
                "/item/action/sell",
                #"{"itemId":"timeline-1","clientId":"ben","price":2000,"date":"2024-03-02"}"#)
            try await client.write(
                "/item/action/buy",
                #"{"itemId":"timeline-1","clientId":"ana","price":900,"date":"2024-03-03"}"#)
            let history = try await client.get("/item/fetch/timeline-1").json
            let sells = try #require(history["sells"] as? [[String: Any]])
            let rejected = try #require(history["rejected"] as? [[String: Any]])
            let buys = try #require(history["buys"] as? [[String: Any]])
            #expect(sells.count == 1 && rejected.count == 1 && buys.count == 1, "\(history)")
            #expect(sells.first?["position"] as? Int == 0)
            #expect(rejected.first?["position"] as? Int == 1)
            #expect(buys.first?["position"] as? Int == 2)
        }
    }
}

/// Debian's Chromium, when installed.
let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The console in a real browser: headless Chromium driven by PyPI selenium
/// (Tests/Interop/console_browser.py) against the embedded platform with the demo catalogue.
@Suite(
    "The operator console in headless Chromium", .serialized,
    .enabled(
        if: Python.available(["selenium"]) && chromium != nil,
        "no headless Chromium: scripts/install-test-deps.sh installs chromium, chromium-driver and selenium"))
struct ConsoleBrowserTests {
    @Test(
        "search, open an item, add one (a field error first), sell and pawn it, a 403, the platform page; no console error"
    )
    func scenario() async throws {
        let platform = try EmbeddedPlatform(port: 0, fraudsters: ["mallory"], loops: 2)
        let port = try await platform.start()
        try await platform.seedDemo()
        let client = Client(base: "http://127.0.0.1:\(port)")
        for _ in 0..<200 where try await client.get("/item/fetch/ring-1").status != 200 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/console_browser.py").path
        var arguments = [script, "http://127.0.0.1:\(port)", "--fraudster", "mallory"]
        if let folder = ProcessInfo.processInfo.environment["PAWN_CONSOLE_SCREENSHOTS"] {
            arguments += ["--screenshots", folder]
        }
        let browser = try ChildProcess(Command.find("python3")!, arguments)
        let status = await browser.wait(timeout: .seconds(240))
        await platform.stop(gracePeriod: .seconds(1))
        #expect(status == 0, "\(browser.output.joined(separator: "\n"))")
    }
}

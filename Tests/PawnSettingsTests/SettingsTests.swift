import PawnSettings
import Testing

@Suite("Settings")
struct SettingsTests {
    let port = SettingKey(
        "port", flag: "--port", environment: "P_PORT", kind: .integer(0...65_535), default: "8080",
        help: "port")
    let host = SettingKey("host", flag: "--host", environment: "P_HOST", kind: .string, help: "host")
    let verbose = SettingKey(
        "verbose", flag: "--verbose", environment: "P_VERBOSE", kind: .boolean, default: "false",
        help: "chatty")
    let token = SettingKey(
        "token", flag: "--token", environment: "P_TOKEN", kind: .string, required: true, help: "secret")
    var keys: [SettingKey] { [port, host, verbose, token] }

    func load(
        _ arguments: [String], _ environment: [String: String] = [:], file: String? = nil
    ) throws(SettingsError) -> Settings {
        var environment = environment
        if file != nil { environment["PAWNSHOP_CONFIG"] = "/config.json" }
        return try Settings.load(
            keys, arguments: ["--token", "t"] + arguments, environment: environment,
            readFile: { path in path == "/config.json" ? file.map { Array($0.utf8) } : nil })
    }

    func error(_ body: () throws(SettingsError) -> Settings) -> SettingsError? {
        do {
            _ = try body()
            return nil
        } catch { return error }
    }

    @Test("precedence: flag over environment over file over default, each value's source kept")
    func precedence() throws {
        let file = #"{"port": 1, "host": "file"}"#
        let all = try load(["--port", "3"], ["P_PORT": "2", "P_HOST": "env"], file: file)
        #expect(all.integer(port) == 3 && all.source(port) == "flag --port")
        #expect(all.string(host) == "env" && all.source(host) == "environment P_HOST")
        let noFlag = try load([], ["P_PORT": "2"], file: file)
        #expect(noFlag.integer(port) == 2)
        #expect(noFlag.string(host) == "file" && noFlag.source(host) == "file /config.json")
        let fileOnly = try load([], file: file)
        #expect(fileOnly.integer(port) == 1)
        let defaults = try load([])
        #expect(defaults.integer(port) == 8080 && defaults.source(port) == "default")
        #expect(defaults.string(host) == nil && defaults.source(host) == nil)
        #expect(!defaults.boolean(verbose))
    }

    @Test("flag forms: --flag value, --flag=value, a boolean alone, a boolean with a value")
    func flagForms() throws {
        let settings = try load(["--port=9", "--host", "h", "--verbose"])
        #expect(settings.integer(port) == 9 && settings.string(host) == "h" && settings.boolean(verbose))
        #expect(try !load(["--verbose=no"]).boolean(verbose))
        #expect(try load([], ["P_VERBOSE": "YES"]).boolean(verbose))
        #expect(try load(["--config", "/config.json"], file: #"{"verbose": true}"#).boolean(verbose))
    }

    @Test("every error names the key and where its value came from")
    func errors() {
        let cases: [(() throws(SettingsError) -> Settings, SettingsError)] = [
            (
                { () throws(SettingsError) in try load(["--colour"]) },
                SettingsError(key: "--colour", source: "command line", message: "unknown flag; see --help")
            ),
            (
                { () throws(SettingsError) in try load(["--port"]) },
                SettingsError(key: "port", source: "flag --port", message: "needs a value")
            ),
            (
                { () throws(SettingsError) in try load(["--port", "x"]) },
                SettingsError(key: "port", source: "flag --port", message: "\"x\" is not an integer")
            ),
            (
                { () throws(SettingsError) in try load([], ["P_PORT": "70000"]) },
                SettingsError(key: "port", source: "environment P_PORT", message: "70000 is not in 0…65535")
            ),
            (
                { () throws(SettingsError) in try load(["--host", ""]) },
                SettingsError(key: "host", source: "flag --host", message: "must not be empty")
            ),
            (
                { () throws(SettingsError) in try load(["--verbose=maybe"]) },
                SettingsError(
                    key: "verbose", source: "flag --verbose", message: "\"maybe\" is not true or false")
            ),
            (
                { () throws(SettingsError) in try load([], file: #"{"port": "80"}"#) },
                SettingsError(key: "port", source: "file /config.json", message: "must be an integer")
            ),
            (
                { () throws(SettingsError) in try load([], file: #"{"host": 1}"#) },
                SettingsError(key: "host", source: "file /config.json", message: "must be a string")
            ),
            (
                { () throws(SettingsError) in try load([], file: #"{"verbose": "yes"}"#) },
                SettingsError(key: "verbose", source: "file /config.json", message: "must be true or false")
            ),
            (
                { () throws(SettingsError) in try load([], file: #"{"colour": 1}"#) },
                SettingsError(key: "colour", source: "file /config.json", message: "unknown key")
            ),
            (
                { () throws(SettingsError) in try load([], file: "[1]") },
                SettingsError(
                    key: "config", source: "environment PAWNSHOP_CONFIG",
                    message: "/config.json is not a JSON object")
            ),
            (
                { () throws(SettingsError) in try load(["--config", "/missing.json"]) },
                SettingsError(key: "config", source: "flag --config", message: "cannot read /missing.json")
            ),
            (
                { () throws(SettingsError) in try load(["--config"]) },
                SettingsError(key: "config", source: "flag --config", message: "needs a file path")
            ),
        ]
        for (body, expected) in cases {
            #expect(error(body) == expected)
        }
    }

    @Test("a required key without a value is an error naming every place it can come from")
    func required() {
        let missing = error { () throws(SettingsError) in
            try Settings.load(keys, arguments: [], environment: [:])
        }
        #expect(
            missing
                == SettingsError(
                    key: "token", source: "flag --token, environment P_TOKEN or the config file",
                    message: "is required"))
        #expect(
            missing?.description
                == "invalid token (from flag --token, environment P_TOKEN or the config file): is required")
    }

    @Test("usage: flags in full and aligned, each default or 'required' printed once")
    func usage() {
        let long = SettingKey(
            "long", flag: "--a-very-long-flag-name-indeed", environment: "P_LONG", kind: .integer(1...2),
            defaultDescription: "computed", help: "long")
        let lines = Settings.usage(keys + [long]).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(
            lines[4].hasPrefix("  --a-very-long-flag-name-indeed N  long (default: computed); env P_LONG"))
        // The widest flag and its placeholder set the column; two spaces follow it.
        func line(_ flag: String, _ text: String) -> String {
            "  " + flag
                + String(repeating: " ", count: "--a-very-long-flag-name-indeed N".count - flag.count + 2)
                + text
        }
        #expect(lines[0] == line("--port N", "port (default: 8080); env P_PORT"))
        #expect(lines[1] == line("--host VALUE", "host; env P_HOST"))
        #expect(lines[3] == line("--token VALUE", "secret (required); env P_TOKEN"))
    }
}

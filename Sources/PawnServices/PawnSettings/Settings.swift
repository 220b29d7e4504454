import Foundation

/// One configuration key: its name in the JSON file, its flag, its environment variable,
/// its type, its default and whether it is required.
public struct SettingKey: Sendable, Hashable {
    /// A value's type.
    public enum Kind: Sendable, Hashable {
        /// Any non-empty text.
        case string
        /// An integer within the range.
        case integer(ClosedRange<Int>)
        /// `true`/`false` (also `1`/`0`, `yes`/`no`); a flag alone means true.
        case boolean
    }

    /// The key's name in the JSON file and in error messages (`port`).
    public var name: String
    /// The command-line flag (`--port`).
    public var flag: String
    /// The environment variable (`PAWNSHOP_PORT`).
    public var environment: String
    /// The value's type and range.
    public var kind: Kind
    /// The value when no source gives one (`nil`: none).
    public var defaultValue: String?
    /// What `--help` says the default is when it is not a fixed value (`one per core`).
    public var defaultDescription: String?
    /// Whether loading fails when no source gives a value.
    public var required: Bool
    /// A phrase for `--help`, without the default (printed once, from the fields above).
    public var help: String

    /// A key named `name` in the JSON file.
    public init(
        _ name: String, flag: String, environment: String, kind: Kind, default defaultValue: String? = nil,
        defaultDescription: String? = nil, required: Bool = false, help: String
    ) {
        self.name = name
        self.flag = flag
        self.environment = environment
        self.kind = kind
        self.defaultValue = defaultValue
        self.defaultDescription = defaultDescription
        self.required = required
        self.help = help
    }

    /// Every place a value can come from, for an error about a missing one.
    public var sources: String { "flag \(flag), environment \(environment) or the config file" }
}

/// A bad configuration value, naming the key and where the value came from.
public struct SettingsError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The key at fault.
    public var key: String
    /// Where the value came from (`flag --port`, `environment PAWNSHOP_PORT`, `file …`).
    public var source: String
    /// What is wrong with it.
    public var message: String

    /// An error.
    public init(key: String, source: String, message: String) {
        self.key = key
        self.source = source
        self.message = message
    }

    /// An error about `key`'s value as it was loaded.
    public init(_ key: SettingKey, in settings: Settings, _ message: String) {
        self.init(key: key.name, source: settings.source(key) ?? key.sources, message: message)
    }

    public var description: String { "invalid \(key) (from \(source)): \(message)" }
}

/// Typed configuration: flags win over the environment, the environment over a JSON file
/// (`--config FILE` or `PAWNSHOP_CONFIG`), and that over the defaults. Every value is
/// checked, and every required key found, before anything starts.
public struct Settings: Sendable {
    private var values: [String: (value: String, source: String)] = [:]
    /// The keys these settings were loaded for.
    public private(set) var keys: [SettingKey]

    /// Loads `keys` from `arguments` (flags only, no command), `environment` and the file
    /// (read with `readFile`, which returns `nil` when the file cannot be read).
    public static func load(
        _ keys: [SettingKey], arguments: [String], environment: [String: String],
        readFile: (String) -> [UInt8]? = { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
    ) throws(SettingsError) -> Settings {
        var settings = Settings(keys: keys)
        var flags: [String: String] = [:]
        var configPath = environment["PAWNSHOP_CONFIG"].map { ($0, "environment PAWNSHOP_CONFIG") }
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var name = argument
            var inline: String? = nil
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            if name == "--config" {
                guard let path = inline ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw SettingsError(key: "config", source: "flag --config", message: "needs a file path")
                }
                if inline == nil { index += 1 }
                configPath = (path, "flag --config")
                continue
            }
            guard let key = keys.first(where: { $0.flag == name }) else {
                throw SettingsError(
                    key: argument, source: "command line", message: "unknown flag; see --help")
            }
            if case .boolean = key.kind, inline == nil {
                flags[key.name] = "true"
                continue
            }
            guard let value = inline ?? (index < arguments.count ? arguments[index] : nil) else {
                throw SettingsError(key: key.name, source: "flag \(key.flag)", message: "needs a value")
            }
            if inline == nil { index += 1 }
            flags[key.name] = value
        }
        if let (path, source) = configPath {
            guard let bytes = readFile(path) else {
                throw SettingsError(key: "config", source: source, message: "cannot read \(path)")
            }
            guard let object = try? JSONDecoder().decode([String: FileValue].self, from: Data(bytes)) else {
                throw SettingsError(key: "config", source: source, message: "\(path) is not a JSON object")
            }
            for name in object.keys.sorted() where !keys.contains(where: { $0.name == name }) {
                throw SettingsError(key: name, source: "file \(path)", message: "unknown key")
            }
            for key in keys {
                guard let value = object[key.name] else { continue }
                settings.values[key.name] = (
                    try Self.text(of: value, key: key, source: "file \(path)"), "file \(path)"
                )
            }
        }
        for key in keys {
            if let value = flags[key.name] {
                settings.values[key.name] = (value, "flag \(key.flag)")
            } else if let value = environment[key.environment] {
                settings.values[key.name] = (value, "environment \(key.environment)")
            } else if settings.values[key.name] == nil, let value = key.defaultValue {
                settings.values[key.name] = (value, "default")
            }
            if let (value, source) = settings.values[key.name] {
                try Self.check(value, key: key, source: source)
            } else if key.required {
                throw SettingsError(key: key.name, source: key.sources, message: "is required")
            }
        }
        return settings
    }

    /// A value of the JSON file, kept with its JSON type.
    private enum FileValue: Decodable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) {
                self = .boolean(value)
            } else if let value = try? container.decode(Int.self) {
                self = .integer(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else {
                self = .other
            }
        }
    }

    private static func text(of value: FileValue, key: SettingKey, source: String) throws(SettingsError)
        -> String
    {
        switch (key.kind, value) {
        case (.string, .string(let text)): return text
        case (.integer, .integer(let number)): return String(number)
        case (.boolean, .boolean(let flag)): return flag ? "true" : "false"
        case (.string, _): throw SettingsError(key: key.name, source: source, message: "must be a string")
        case (.integer, _): throw SettingsError(key: key.name, source: source, message: "must be an integer")
        case (.boolean, _):
            throw SettingsError(key: key.name, source: source, message: "must be true or false")
        }
    }

    private static func check(_ value: String, key: SettingKey, source: String) throws(SettingsError) {
        switch key.kind {
        case .string:
            if value.isEmpty {
                throw SettingsError(key: key.name, source: source, message: "must not be empty")
            }
        case .integer(let range):
            guard let number = Int(value) else {
                throw SettingsError(key: key.name, source: source, message: "\"\(value)\" is not an integer")
            }
            guard range.contains(number) else {
                throw SettingsError(
                    key: key.name, source: source,
                    message: "\(number) is not in \(range.lowerBound)…\(range.upperBound)")
            }
        case .boolean:
            guard Self.truths.contains(value.lowercased()) || Self.falsehoods.contains(value.lowercased())
            else {
                throw SettingsError(
                    key: key.name, source: source, message: "\"\(value)\" is not true or false")
            }
        }
    }

    private static let truths: Set = ["true", "1", "yes"]
    private static let falsehoods: Set = ["false", "0", "no"]

    /// The value of `key`, or `nil` when no source gave one and it has no default.
    public func string(_ key: SettingKey) -> String? { values[key.name]?.value }

    /// The value of `key` when it has a default or is required (so loading found one).
    /// Asking for any other key is a programming error, reported as a missing value.
    public func value(_ key: SettingKey) throws(SettingsError) -> String {
        guard let value = values[key.name]?.value else {
            throw SettingsError(key: key.name, source: key.sources, message: "is required")
        }
        return value
    }

    /// The integer value of `key`, or `nil` (loading checked that it is one).
    public func integer(_ key: SettingKey) -> Int? { values[key.name].flatMap { Int($0.value) } }

    /// The integer value of a key with a default, or a required one.
    public func integerValue(_ key: SettingKey) throws(SettingsError) -> Int {
        guard let number = integer(key) else {
            throw SettingsError(key: key.name, source: key.sources, message: "is required")
        }
        return number
    }

    /// Whether `key` is set to true.
    public func boolean(_ key: SettingKey) -> Bool {
        Self.truths.contains(values[key.name]?.value.lowercased() ?? "")
    }

    /// Where `key`'s value came from (`flag --port`, `default`, …), or `nil`.
    public func source(_ key: SettingKey) -> String? { values[key.name]?.source }

    /// Usage text for `keys`: one line each, the flag in full, then what it is, then its
    /// default once, then its environment variable.
    public static func usage(_ keys: [SettingKey]) -> String {
        func placeholder(_ key: SettingKey) -> String {
            switch key.kind {
            case .boolean: ""
            case .integer: " N"
            case .string: " VALUE"
            }
        }
        let width = keys.map { $0.flag.count + placeholder($0).count }.max() ?? 0
        return keys.map { key in
            let flag = key.flag + placeholder(key)
            let padded = flag + String(repeating: " ", count: width - flag.count)
            var text = key.help
            if key.required {
                text += " (required)"
            } else if let value = key.defaultValue ?? key.defaultDescription {
                text += " (default: \(value))"
            }
            return "  \(padded)  \(text); env \(key.environment)"
        }.joined(separator: "\n")
    }
}

import Foundation

/// One configuration key: its name in the JSON file, its flag, its environment variable,
/// its type and its default.
public struct SettingKey: Sendable {
    /// A value's type.
    public enum Kind: Sendable {
        /// Any non-empty text.
        case string
        /// An integer within the range.
        case integer(ClosedRange<Int>)
        /// `true`/`false` (also `1`/`0`, `yes`/`no`); a flag alone means true.
        case boolean
    }

    public var name: String
    /// The command-line flag (`--port`).
    public var flag: String
    /// The environment variable (`PAWNSHOP_PORT`).
    public var environment: String
    /// The value's type and range.
    public var kind: Kind
    /// The value when no source gives one (`nil`: none).
    public var defaultValue: String?
    /// A phrase for `--help`.
    public var help: String

    /// A key named `name` in the JSON file.
    public init(
        _ name: String, flag: String, environment: String, kind: Kind, default defaultValue: String?,
        help: String
    ) {
        self.name = name
        self.flag = flag
        self.environment = environment
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// A bad configuration value, naming the key and where the value came from.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
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

    public var description: String { "invalid \(key) (from \(source)): \(message)" }
}

/// Typed configuration: flags win over the environment, the environment over a JSON file
/// (`--config FILE` or `PAWNSHOP_CONFIG`), and that over the defaults. Every value is
/// checked before anything starts.
public struct Settings: Sendable {
    private var values: [String: (value: String, source: String)] = [:]
    /// The keys these settings were loaded for.
    public private(set) var keys: [SettingKey]

    /// Loads `keys` from `arguments` (flags only, no command), `environment` and the file.
    public static func load(_ keys: [SettingKey], arguments: [String], environment: [String: String])
        throws(SettingsError)
        -> Settings
    {
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
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SettingsError(key: "config", source: source, message: "cannot read \(path)")
            }
            guard let object = try? JSONDecoder().decode([String: FileValue].self, from: data) else {
                throw SettingsError(key: "config", source: source, message: "\(path) is not a JSON object")
            }
            for name in object.keys where !keys.contains(where: { $0.name == name }) {
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
            guard ["true", "false", "1", "0", "yes", "no"].contains(value.lowercased()) else {
                throw SettingsError(
                    key: key.name, source: source, message: "\"\(value)\" is not true or false")
            }
        }
    }

    /// The value of `name`, or `nil`.
    public func string(_ name: String) -> String? { values[name]?.value }

    /// The value of `name` as an integer, or `nil`.
    public func integer(_ name: String) -> Int? { values[name].flatMap { Int($0.value) } }

    /// Whether `name` is set to true.
    public func boolean(_ name: String) -> Bool {
        ["true", "1", "yes"].contains(values[name]?.value.lowercased() ?? "")
    }

    /// Where a key's value came from.
    public func source(_ name: String) -> String? { values[name]?.source }

    /// Usage text for the keys.
    public static func usage(_ keys: [SettingKey]) -> String {
        keys.map { key in
            let value: String =
                switch key.kind {
                case .boolean: ""
                case .integer: " N"
                case .string: " VALUE"
                }
            let flag = (key.flag + value).padding(toLength: 22, withPad: " ", startingAt: 0)
            let defaultText = key.defaultValue.map { " (default \($0))" } ?? ""
            return "  \(flag) \(key.help)\(defaultText); env \(key.environment)"
        }.joined(separator: "\n")
    }
}

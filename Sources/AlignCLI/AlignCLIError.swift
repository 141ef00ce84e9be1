// AlignCLIError: the CLI's own failures (configuration files and training-run output), each naming the
// file, line or key and what was expected. Library errors (AlignDataError, TrainingError, …) pass through.

/// Errors of the `align` commands.
public enum AlignCLIError: Error, CustomStringConvertible, Equatable {
    /// A config file cannot be read.
    case unreadableConfig(file: String, reason: String)
    /// A config file line is not valid JSON / supported YAML.
    case configSyntax(file: String, line: Int, reason: String)
    /// A config key has a value of the wrong type or range.
    case badConfigValue(key: String, value: String, expected: String)
    /// A config key that no supported TRL config field has.
    case unknownConfigKey(file: String, key: String)
    /// Every row was dropped by max_length.
    case noTrainableRows(file: String, dropped: Int, maxLength: Int)
    /// A file of the run cannot be written.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadableConfig(file, reason): return "\(file): cannot read config: \(reason)"
        case let .configSyntax(file, line, reason): return "\(file):\(line): \(reason)"
        case let .badConfigValue(key, value, expected): return "config key '\(key)' = \(value): expected \(expected)"
        case let .unknownConfigKey(file, key): return "\(file): unknown config key '\(key)'"
        case let .noTrainableRows(file, dropped, maxLength):
            return "\(file): all \(dropped) rows have a prompt of ≥ max_length = \(maxLength) tokens; nothing to train on"
        case let .writeFailed(file, reason): return "cannot write \(file): \(reason)"
        }
    }
}

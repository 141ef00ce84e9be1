// AlignModelsError: the typed errors AlignModels throws for files and configs a user supplies
// (safetensors checkpoints, shard indexes, config.json, generation_config.json). Every case names
// the file and, where there is one, the tensor or the config key, and says what was expected.

/// An error caused by a checkpoint or config a user handed to AlignModels.
public enum AlignModelsError: Error, CustomStringConvertible, Equatable {
    // MARK: files

    /// The file could not be opened, read or mapped.
    case unreadableFile(file: String, reason: String)
    /// The file ends before `what` (e.g. "the 8-byte header length") is complete.
    case truncatedFile(file: String, size: Int, needed: Int, what: String)
    /// The 8-byte header length points past the end of the file or past the format's 100 MB limit.
    case headerTooLarge(file: String, headerLength: UInt64, limit: Int)
    /// The JSON header is not valid JSON or not the expected layout; `reason` says where.
    case invalidHeader(file: String, reason: String)
    /// A dtype string that is not one of safetensors' dtypes.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// A valid safetensors dtype that AlignKit does not convert to Float32 (I64, U8, F64, …).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// `data_offsets` out of order, out of the data section, or leaving a gap; `reason` says which.
    case invalidOffsets(file: String, tensor: String, reason: String)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(file: String, first: String, second: String)
    /// A tensor's byte range does not hold shape × dtype size bytes.
    case byteSizeMismatch(file: String, tensor: String, shape: [Int], dtype: String, expectedBytes: Int, actualBytes: Int)
    /// The same tensor name is declared twice (twice in one header, or in two shards).
    case duplicateTensor(name: String, files: [String])
    /// A tensor that was asked for is not in the checkpoint.
    case missingTensor(name: String, file: String)
    /// `strict` loading found tensors nobody asked for.
    case unexpectedTensors(names: [String], file: String)
    /// A tensor's shape differs from the shape the model expects.
    case shapeMismatch(tensor: String, file: String, expected: [Int], actual: [Int])
    /// A sequence-classification checkpoint lacks its head (`score.weight` of `expectedShape`); `hint` says what to do.
    case missingHead(name: String, file: String, expectedShape: [Int], hint: String)
    /// A model folder holds neither model.safetensors nor model.safetensors.index.json.
    case noCheckpoint(directory: String, found: [String])
    /// model.safetensors.index.json is malformed or points at a shard that is not there.
    case invalidIndex(file: String, reason: String)
    /// Writing a file failed; nothing was left under its final name.
    case writeFailed(file: String, reason: String)

    // MARK: configs

    /// A config key holds a value of the wrong type or an impossible value.
    case invalidConfig(file: String, key: String, reason: String)
    /// A config key the architecture needs is absent.
    case missingConfigKey(file: String, key: String)
    /// `model_type` is not one AlignKit implements.
    case unsupportedModelType(file: String, modelType: String, supported: [String])
    /// A config value that changes the model's math in a way AlignKit does not implement.
    case unsupportedConfigValue(file: String, key: String, value: String, reason: String)

    // MARK: steering

    /// An activation-steering term does not fit the model (layer out of range, direction of the wrong
    /// length, non-finite values); `reason` says which and what was expected.
    case invalidSteering(term: Int, reason: String)

    public var description: String {
        switch self {
        case let .unreadableFile(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .truncatedFile(file, size, needed, what):
            return "\(file): truncated: \(what) needs \(needed) bytes but the file has \(size)"
        case let .headerTooLarge(file, headerLength, limit):
            return "\(file): header length \(headerLength) exceeds \(limit) bytes (file too short or corrupt)"
        case let .invalidHeader(file, reason):
            return "\(file): invalid safetensors header: \(reason)"
        case let .unknownDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' has unknown dtype '\(dtype)'"
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): unsupported dtype \(dtype) for tensor '\(tensor)'; expected F32, F16 or BF16"
        case let .invalidOffsets(file, tensor, reason):
            return "\(file): tensor '\(tensor)': invalid data_offsets: \(reason)"
        case let .overlappingTensors(file, first, second):
            return "\(file): tensors '\(first)' and '\(second)' overlap"
        case let .byteSizeMismatch(file, tensor, shape, dtype, expectedBytes, actualBytes):
            return "\(file): tensor '\(tensor)' of shape \(shape) and dtype \(dtype) needs \(expectedBytes) bytes, "
                + "its data_offsets span \(actualBytes)"
        case let .duplicateTensor(name, files):
            return "tensor '\(name)' is declared more than once (in \(files.joined(separator: ", ")))"
        case let .missingTensor(name, file):
            return "\(file): tensor '\(name)' is missing"
        case let .unexpectedTensors(names, file):
            return "\(file): unexpected tensors: \(names.joined(separator: ", "))"
        case let .shapeMismatch(tensor, file, expected, actual):
            return "\(file): tensor '\(tensor)' has shape \(actual), expected \(expected)"
        case let .missingHead(name, file, expectedShape, hint):
            return "\(file): head tensor '\(name)' of shape \(expectedShape) is missing; \(hint)"
        case let .noCheckpoint(directory, found):
            let list = found.isEmpty ? "nothing" : found.joined(separator: ", ")
            return "\(directory): no model.safetensors or model.safetensors.index.json; found \(list)"
        case let .invalidIndex(file, reason):
            return "\(file): invalid shard index: \(reason)"
        case let .writeFailed(file, reason):
            return "\(file): write failed: \(reason)"
        case let .invalidConfig(file, key, reason):
            return "\(file): key '\(key)': \(reason)"
        case let .missingConfigKey(file, key):
            return "\(file): required key '\(key)' is missing"
        case let .unsupportedModelType(file, modelType, supported):
            return "\(file): model_type '\(modelType)' is not supported; supported: \(supported.joined(separator: ", "))"
        case let .unsupportedConfigValue(file, key, value, reason):
            return "\(file): '\(key)' = \(value) is not supported: \(reason)"
        case let .invalidSteering(term, reason):
            return "steering term \(term): \(reason)"
        }
    }
}

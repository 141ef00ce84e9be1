// TrainConfigFile+Values: assigning one TRL-named key to TrainingConfig / the dataset settings, with a
// typed error naming the key when the value has the wrong type or range; and ChatJSON → Foundation values
// for decoding DPOConfig with its own (TRL-default-keeping) decoder.
import AlignData
import AlignTokenizers
import AlignTraining
import Foundation

extension TrainConfigFile {
    static func apply(_ key: String, _ v: ChatJSON, to s: inout DPORunSettings) throws {
        if try applyTraining(key, v, to: &s.training) { return }
        if try s.lora.apply(key, v) { return }
        switch key {
        case "max_length": s.maxLength = try maxLength(key, v)
        case "truncation_mode": s.truncationMode = try truncationMode(key, v)
        case "ref_logps_cache_dir": s.refLogpsCacheDir = v == .null ? nil : try string(key, v)
        case "ref_model": s.refModel = v == .null ? nil : try string(key, v)
        case "disable_dropout": s.disableDropout = try bool(key, v)
        case "precompute_ref_log_probs": s.precomputeRefLogProbs = try bool(key, v)
        case "sync_ref_model": s.referenceSync.syncRefModel = try bool(key, v)
        case "ref_model_mixup_alpha": s.referenceSync.refModelMixupAlpha = try double(key, v)
        case "ref_model_sync_steps": s.referenceSync.refModelSyncSteps = try int(key, v)
        default: throw AlignCLIError.unknownConfigKey(file: "flags", key: key)
        }
    }

    /// Assigns a TrainingConfig key; false when `key` is not one.
    static func applyTraining(_ key: String, _ v: ChatJSON, to t: inout TrainingConfig) throws -> Bool {
        switch key {
        case "learning_rate": t.learningRate = try double(key, v)
        case "max_steps": t.maxSteps = try int(key, v)
        case "num_train_epochs": t.numTrainEpochs = try double(key, v)
        case "per_device_train_batch_size": t.perDeviceTrainBatchSize = try int(key, v)
        case "gradient_accumulation_steps": t.gradientAccumulationSteps = try int(key, v)
        case "max_grad_norm": t.maxGradNorm = try double(key, v)
        case "weight_decay": t.weightDecay = try double(key, v)
        case "lr_scheduler_type": t.lrSchedulerType = try string(key, v)
        case "warmup_steps": t.warmupSteps = try int(key, v)
        case "logging_steps": t.loggingSteps = try int(key, v)
        case "save_steps": t.saveSteps = try int(key, v)
        case "seed":
            let n = try int(key, v)
            guard n >= 0 else { throw AlignCLIError.badConfigValue(key: key, value: "\(n)", expected: "≥ 0") }
            t.seed = UInt64(n)
        case "shuffle": t.shuffle = try bool(key, v)
        case "output_dir": t.outputDir = try string(key, v)
        default: return false
        }
        return true
    }

    /// `max_length`: an integer ≥ 1, or null for no truncation.
    static func maxLength(_ key: String, _ v: ChatJSON) throws -> Int? {
        if v == .null { return nil }
        let n = try int(key, v)
        guard n >= 1 else { throw AlignCLIError.badConfigValue(key: key, value: "\(n)", expected: "≥ 1 or null") }
        return n
    }

    /// `truncation_mode`: keep_start or keep_end.
    static func truncationMode(_ key: String, _ v: ChatJSON) throws -> TruncationMode {
        let m = try string(key, v)
        guard let mode = TruncationMode(rawValue: m) else {
            throw AlignCLIError.badConfigValue(key: key, value: m, expected: "keep_start or keep_end")
        }
        return mode
    }

    static func int(_ key: String, _ v: ChatJSON) throws -> Int {
        if case .int(let n) = v { return n }
        if case .double(let d) = v, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
        throw AlignCLIError.badConfigValue(key: key, value: "\(foundation(v))", expected: "an integer")
    }

    static func double(_ key: String, _ v: ChatJSON) throws -> Double {
        if case .int(let n) = v { return Double(n) }
        if case .double(let d) = v { return d }
        throw AlignCLIError.badConfigValue(key: key, value: "\(foundation(v))", expected: "a number")
    }

    static func string(_ key: String, _ v: ChatJSON) throws -> String {
        if case .string(let s) = v { return s }
        throw AlignCLIError.badConfigValue(key: key, value: "\(foundation(v))", expected: "a string")
    }

    static func bool(_ key: String, _ v: ChatJSON) throws -> Bool {
        if case .bool(let b) = v { return b }
        throw AlignCLIError.badConfigValue(key: key, value: "\(foundation(v))", expected: "true or false")
    }

    /// The value as JSONSerialization accepts it.
    static func foundation(_ v: ChatJSON) -> Any {
        switch v {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let n): return n
        case .double(let d): return d
        case .string(let s): return s
        case .array(let a): return a.map(foundation)
        case .object(let o): return Dictionary(o.map { ($0.0, foundation($0.1)) }, uniquingKeysWith: { $1 })
        }
    }
}

/// The flat YAML subset of TRL example configs (see TrainConfigFile.swift's header).
enum FlatYAML {
    static func parse(_ text: String, file: String) throws -> [(String, ChatJSON)] {
        var out: [(String, ChatJSON)] = []
        var listKey: String?
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(raw))
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "---" { continue }
            if trimmed.hasPrefix("- ") || trimmed == "-" {
                guard let key = listKey, case .array(var items)? = out.last?.1 else {
                    throw AlignCLIError.configSyntax(file: file, line: n + 1, reason: "list item outside a list")
                }
                items.append(scalar(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)))
                out[out.count - 1] = (key, .array(items))
                continue
            }
            guard line.first.map({ !$0.isWhitespace }) == true, let colon = line.firstIndex(of: ":") else {
                throw AlignCLIError.configSyntax(file: file, line: n + 1, reason: "expected 'key: value' (nested mappings are not supported)")
            }
            let key = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            listKey = value.isEmpty ? key : nil
            out.append((key, value.isEmpty ? .array([]) : try flowOrScalar(value, file: file, line: n + 1)))
        }
        return out
    }

    static func stripComment(_ s: String) -> String {
        var quote: Character?
        var prev: Character = " "
        for (i, c) in zip(s.indices, s) {
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == "#" && prev.isWhitespace {
                return String(s[..<i])
            }
            prev = c
        }
        return s
    }

    static func flowOrScalar(_ v: String, file: String, line: Int) throws -> ChatJSON {
        guard v.hasPrefix("[") else { return scalar(v) }
        guard v.hasSuffix("]") else { throw AlignCLIError.configSyntax(file: file, line: line, reason: "unclosed '['") }
        let inner = v.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        if inner.isEmpty { return .array([]) }
        return .array(inner.split(separator: ",").map { scalar($0.trimmingCharacters(in: .whitespaces)) })
    }

    /// YAML 1.2 core-schema scalars: null, booleans, integers, floats (incl. `1e-6`), else a string.
    static func scalar(_ v: String) -> ChatJSON {
        if v.count >= 2, let f = v.first, f == "\"" || f == "'", v.last == f { return .string(String(v.dropFirst().dropLast())) }
        switch v {
        case "null", "~", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let n = Int(v) { return .int(n) }
        if let d = Double(v), v.rangeOfCharacter(from: .decimalDigits) != nil { return .double(d) }
        return .string(v)
    }
}

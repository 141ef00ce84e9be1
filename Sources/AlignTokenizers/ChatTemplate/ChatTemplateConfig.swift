// ChatTemplateConfig: the chat-template part of tokenizer_config.json — `chat_template` as one string or as
// a list of `{"name", "template"}` (selected like transformers' `get_chat_template`: "tool_use" when tools
// are given and present, else "default"), and the special tokens (`bos_token`, `eos_token`, `unk_token`,
// `sep_token`, `pad_token`, `cls_token`, `mask_token`) as strings or AddedToken objects `{"content": …}`;
// from a model folder also `chat_template.jinja` and `additional_chat_templates/*.jinja`, which win.
import Foundation

/// Chat templates and special tokens read from tokenizer_config.json.
public struct ChatTemplateConfig: Sendable {
    /// Template texts by name; a single-string `chat_template` is stored as "default".
    public var templates: [String: String]
    /// Special tokens by their template variable name (`bos_token`, `eos_token`, …).
    public var specialTokens: [String: String]

    private static let specialTokenKeys = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
                                           "cls_token", "mask_token"]

    /// Reads `tokenizer_config.json`.
    /// - Throws: `ChatTemplateError.invalidConfig` naming the file and key when it is unreadable or malformed.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ChatTemplateError.invalidConfig("cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ChatTemplateError.invalidConfig("\(url.path) is not UTF-8")
        }
        do { try self.init(json: try ChatJSON.parse(text)) } catch let ChatTemplateError.invalidConfig(message) {
            throw ChatTemplateError.invalidConfig("\(url.path): \(message)")
        }
    }

    /// Reads a model folder as transformers does: tokenizer_config.json, then `chat_template.jinja` (as
    /// "default") and `additional_chat_templates/<name>.jinja`, which replace the config's own templates
    /// when any exist (transformers 5 `PreTrainedTokenizerBase._from_pretrained`).
    /// - Throws: `ChatTemplateError.invalidConfig` naming the file that is unreadable or malformed.
    public init(directory: URL) throws {
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        if FileManager.default.fileExists(atPath: configURL.path) {
            try self.init(contentsOf: configURL)
        } else {
            try self.init(json: .object([]))
        }
        var fileTemplates: [String: String] = [:]
        let main = directory.appendingPathComponent("chat_template.jinja")
        if FileManager.default.fileExists(atPath: main.path) { fileTemplates["default"] = try Self.readText(main) }
        let extraDir = directory.appendingPathComponent("additional_chat_templates")
        var isDirectory: ObjCBool = false
        var extras: [String] = []
        if FileManager.default.fileExists(atPath: extraDir.path, isDirectory: &isDirectory), isDirectory.boolValue {
            do { extras = try FileManager.default.contentsOfDirectory(atPath: extraDir.path) } catch {
                throw ChatTemplateError.invalidConfig("cannot list \(extraDir.path): \(error.localizedDescription)")
            }
        }
        for file in extras.sorted() where file.hasSuffix(".jinja") {
            fileTemplates[String(file.dropLast(".jinja".count))] = try Self.readText(extraDir.appendingPathComponent(file))
        }
        if !fileTemplates.isEmpty { templates = fileTemplates }
    }

    private static func readText(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw ChatTemplateError.invalidConfig("cannot read \(url.path) as UTF-8 text")
        }
        return text
    }

    /// Reads the parsed JSON of a tokenizer_config.json.
    public init(json: ChatJSON) throws {
        guard case .object = json else { throw ChatTemplateError.invalidConfig("expected a JSON object at the top level") }
        templates = try Self.readTemplates(json["chat_template"])
        specialTokens = [:]
        for key in Self.specialTokenKeys {
            switch json[key] {
            case .string(let s)?: specialTokens[key] = s
            case .object?:
                guard let content = json[key]?["content"]?.stringValue else {
                    throw ChatTemplateError.invalidConfig("'\(key)' is an object without a string 'content'")
                }
                specialTokens[key] = content
            case nil, .null?: break
            default: throw ChatTemplateError.invalidConfig("'\(key)' must be a string or an AddedToken object")
            }
        }
    }

    private static func readTemplates(_ value: ChatJSON?) throws -> [String: String] {
        switch value {
        case nil, .null?: return [:]
        case .string(let s)?: return ["default": s]
        case .array(let entries)?:
            var out: [String: String] = [:]
            for (k, entry) in entries.enumerated() {
                guard let name = entry["name"]?.stringValue, let template = entry["template"]?.stringValue else {
                    throw ChatTemplateError.invalidConfig("chat_template[\(k)] needs string 'name' and 'template'")
                }
                out[name] = template
            }
            return out
        default:
            throw ChatTemplateError.invalidConfig("'chat_template' must be a string or a list of {name, template}")
        }
    }

    /// Compiles the template transformers would pick, with this config's special tokens set.
    /// - Parameters:
    ///   - name: an explicit template name; nil selects "tool_use" when `withTools` and present, else "default".
    ///   - withTools: whether the conversation will be rendered with tools.
    public func template(named name: String? = nil, withTools: Bool = false) throws -> ChatTemplate {
        let chosen = name ?? (withTools && templates["tool_use"] != nil ? "tool_use" : "default")
        guard let source = templates[chosen] else {
            let known = templates.keys.sorted().joined(separator: ", ")
            throw ChatTemplateError.invalidConfig("no chat template named '\(chosen)' (have: \(known.isEmpty ? "none" : known))")
        }
        var template = try ChatTemplate(source: source)
        template.specialTokens = specialTokens
        return template
    }
}

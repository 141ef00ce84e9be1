// Dataset loading and validation: TRL's formats are read as given, and every malformed row is a typed
// error naming file:line (JSONL) or file[index] (JSON array) and the reason; hand-made inputs.
import AlignData
import AlignTestSupport
import Foundation
import Testing

func tempFile(_ name: String, _ text: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aligndata-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

func loadError(_ text: String, name: String = "d.jsonl") throws -> AlignDataError? {
    let url = try tempFile(name, text)
    do { _ = try PreferenceExample.load(url); return nil } catch let e as AlignDataError { return e }
}

@Suite("Dataset validation")
struct DatasetValidationTests {
    @Test("a bad row names file:line and the reason")
    func malformedRows() throws {
        let good = #"{"prompt": "a", "chosen": "b", "rejected": "c"}"#
        let cases: [(String, Int, String)] = [
            (good + "\n" + #"{"prompt": "a", "chosen": "b""#, 2, "invalid JSON"),
            (good + "\n\n" + #"{"prompt": "a", "chosen": "b"}"#, 3, "missing column 'rejected'"),
            (#"{"prompt": "a", "chosen": 3, "rejected": "c"}"#, 1, "column 'chosen' must be a string or a list"),
            (#"{"prompt": "a", "chosen": "", "rejected": "c"}"#, 1, "column 'chosen' is an empty string"),
            (#"{"prompt": "a", "chosen": [], "rejected": []}"#, 1, "column 'chosen' is an empty message list"),
            (#"{"prompt": "a", "chosen": [{"role": "assistant", "content": "x"}], "rejected": "c"}"#, 1, "both be text"),
            (#"{"prompt": "a", "chosen": [{"role": "assistant"}], "rejected": [{"role": "assistant", "content": "y"}]}"#, 1, "needs a string 'content'"),
            (good + "\n" + #"3"#, 2, "expected a JSON object, found a number"),
            (good + "\n" + #"{"chosen": "ab", "rejected": "ac"}"#, 2, "the first row has 'prompt' column"),
            (good + "\n" + #"{"prompt": [], "chosen": [{"role": "assistant", "content": "x"}], "rejected": [{"role": "assistant", "content": "y"}]}"#,
             2, "conversational row in a text dataset"),
        ]
        for (text, line, reason) in cases {
            let err = try #require(try loadError(text))
            guard case let .malformedRow(loc, r) = err else { Issue.record("\(err)"); continue }
            #expect(loc.line == line, "\(text)")
            #expect(r.contains(reason), "\(r)")
            #expect(err.description.hasPrefix("\(loc.file):\(line): "))
        }
    }

    @Test("a JSON array names the element index")
    func jsonArray() throws {
        let url = try tempFile("d.json", #"[{"chosen": "ab", "rejected": "ac"}, {"chosen": "x"}]"#)
        #expect(throws: AlignDataError.malformedRow(RowLocation(file: url.path, line: nil, index: 1), reason: "missing column 'rejected'")) {
            try PreferenceExample.load(url)
        }
    }

    @Test("implicit text prompt: TRL's character prefix, the space goes to the completions")
    func implicitText() throws {
        let url = try tempFile("d.jsonl", #"{"chosen": "Q: hi A: yes", "rejected": "Q: hi A: no"}"# + "\n"
            + #"{"chosen": "same", "rejected": "same!"}"#)
        let ex = try PreferenceExample.load(url)
        #expect(ex[0].prompt == .text("Q: hi A:") && ex[0].chosen == .text(" yes") && ex[0].rejected == .text(" no"))
        // No divergence within the shorter one: TRL's loop index ends at min length − 1.
        #expect(ex[1].prompt == .text("sam") && ex[1].chosen == .text("e") && ex[1].rejected == .text("e!"))
    }

    @Test("unpaired and SFT formats load and validate")
    func otherFormats() throws {
        let un = try tempFile("u.jsonl", #"{"prompt": "p", "completion": "c", "label": false}"#)
        #expect(try UnpairedExample.load(un).map(\.label) == [false])
        let badLabel = try tempFile("u.jsonl", #"{"prompt": "p", "completion": "c", "label": 1}"#)
        #expect(throws: AlignDataError.malformedRow(RowLocation(file: badLabel.path, line: 1, index: 0),
                                                    reason: "column 'label' must be true or false, found a number")) {
            try UnpairedExample.load(badLabel)
        }
        let sft = try tempFile("s.jsonl", #"{"text": "t"}"# + "\n" + #"{"messages": [{"role": "user", "content": "x"}]}"#
            + "\n" + #"{"prompt": "p", "completion": "c"}"#)
        let rows = try SFTExample.load(sft)
        #expect(rows.count == 3)
        if case .promptCompletion(.text("p"), .text("c"), _) = rows[2] {} else { Issue.record("row 3: \(rows[2])") }
        let emptyText = try tempFile("s.jsonl", #"{"text": ""}"#)
        #expect(throws: AlignDataError.malformedRow(RowLocation(file: emptyText.path, line: 1, index: 0),
                                                    reason: "column 'text' is an empty string")) {
            try SFTExample.load(emptyText)
        }
    }

    @Test("conversational rows without a chat template fail naming the row")
    func noTemplate() throws {
        let url = try tempFile("c.jsonl", #"{"prompt": [{"role": "user", "content": "x"}], "chosen": [{"role": "assistant", "content": "a"}], "rejected": [{"role": "assistant", "content": "b"}]}"#)
        let tok = try PreferenceTokenizer(directory: FixturePaths.shared("models/tiny-llama"))
        #expect(throws: AlignDataError.noChatTemplate(RowLocation(file: url.path, line: 1, index: 0))) {
            try tok.tokenize(try PreferenceExample.load(url), maxLength: nil)
        }
    }
}

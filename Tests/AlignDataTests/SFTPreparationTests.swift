// SFT dataset preparation by hand: TRL 1.16's pack_dataset docstring examples for bfd, bfd_split and
// wrapped; EOS appended once; completion-only targets; truncation and the drop of target-less rows;
// bad rows and mixed layouts named by file:line. (Token-exact parity with TRL: SFTTokenizationParityTests.)
import AlignData
import AlignTestSupport
import Foundation
import Testing

func seq(_ ids: [Int32], targets: [Bool]? = nil) -> TokenizedSFT {
    TokenizedSFT(ids: ids, isTarget: targets ?? Array(repeating: true, count: ids.count))
}

func tinyLlamaSFT() throws -> SFTTokenizer {
    let template = try String(contentsOf: FixturePaths.fixture("data/chat_template.jinja"), encoding: .utf8)
    return try SFTTokenizer(directory: FixturePaths.shared("models/tiny-llama"), chatTemplateSource: template)
}

@Suite("SFT preparation")
struct SFTPreparationTests {
    let docs = [seq([1, 2, 3, 4, 5]), seq([6, 7]), seq([8, 9, 10]), seq([11])]

    @Test("bfd packs as TRL's pack_dataset docstring: [[1,2,3,4],[8,9,10,11],[6,7]], seq_lengths [[4],[3,1],[2]]")
    func bfd() {
        let packed = SFTPacking.pack(docs, maxLength: 4, strategy: .bfd)
        #expect(packed.map { $0.sequences.flatMap(\.ids) } == [[1, 2, 3, 4], [8, 9, 10, 11], [6, 7]])
        #expect(packed.map { $0.sequences.map(\.ids.count) } == [[4], [3, 1], [2]])
    }

    @Test("bfd_split keeps every token: [[1,2,3,4],[8,9,10,5],[6,7,11]], seq_lengths [[4],[3,1],[2,1]]")
    func bfdSplit() {
        let packed = SFTPacking.pack(docs, maxLength: 4, strategy: .bfdSplit)
        #expect(packed.map { $0.sequences.flatMap(\.ids) } == [[1, 2, 3, 4], [8, 9, 10, 5], [6, 7, 11]])
        #expect(packed.map { $0.sequences.map(\.ids.count) } == [[4], [3, 1], [2, 1]])
    }

    @Test("wrapped cuts the concatenation every max_length tokens and carries the target flags")
    func wrapped() {
        let withPrompt = [seq([1, 2, 3], targets: [false, true, true]), seq([4, 5, 6, 7], targets: [false, false, true, true])]
        let packed = SFTPacking.pack(withPrompt, maxLength: 3, strategy: .wrapped)
        #expect(packed.map { $0.sequences.map(\.ids) } == [[[1, 2, 3]], [[4, 5, 6]], [[7]]])
        #expect(packed.map { $0.sequences[0].isTarget } == [[false, true, true], [false, false, true], [true]])
    }

    @Test("text rows get EOS once; prompt-completion targets only the completion by default")
    func tokenize() throws {
        let tok = try tinyLlamaSFT()
        let loc = RowLocation(file: "f", line: 1, index: 0)
        let a = try tok.tokenize(.text("hello world", loc), completionOnlyLoss: false)
        let b = try tok.tokenize(.text("hello world</s>", loc), completionOnlyLoss: false)
        #expect(a == b)
        #expect(a.ids.last == 2 && a.ids.filter { $0 == 2 }.count == 1)  // </s> = 2
        #expect(a.isTarget.allSatisfy { $0 })
        let data = try tok.prepare([.promptCompletion(prompt: .text("The sky is"), completion: .text(" blue."), loc)],
                                   config: SFTDataConfig())
        let pc = try #require(data.examples.first?.sequences.first)
        let promptLength = tok.base.tokenizer.encode("The sky is", addSpecialTokens: true).ids.count
        #expect(pc.isTarget == (0 ..< pc.ids.count).map { $0 >= promptLength })
        #expect(pc.ids.last == 2)
    }

    @Test("keep_start truncation drops a row whose completion falls outside max_length, and reports it")
    func truncationDrop() throws {
        let tok = try tinyLlamaSFT()
        let rows: [SFTExample] = [
            .promptCompletion(prompt: .text("a b c d e f g h i j"), completion: .text(" k"), RowLocation(file: "f", line: 1, index: 0)),
            .promptCompletion(prompt: .text("a"), completion: .text(" b c"), RowLocation(file: "f", line: 2, index: 1)),
        ]
        var config = SFTDataConfig()
        config.maxLength = 4
        let data = try tok.prepare(rows, config: config)
        #expect(data.droppedByLength == [RowLocation(file: "f", line: 1, index: 0)])
        #expect(data.examples.count == 1 && data.examples[0].tokenCount <= 4)
        config.truncationMode = .keepEnd  // keeps the end, where the completion is
        #expect(try tok.prepare(rows, config: config).droppedByLength.isEmpty)
    }

    @Test("bad SFT rows and a layout change name file:line")
    func badRows() throws {
        let cases: [(String, Int, String)] = [
            (#"{"text": "a"}"# + "\n" + #"{"text": 5}"#, 2, "column 'text' must be a string"),
            (#"{"text": "a"}"# + "\n" + #"{"prompt": "p", "completion": "c"}"#, 2, "prompt-completion row in a text dataset"),
            (#"{"prompt": "p"}"#, 1, "missing column 'completion'"),
            (#"{"messages": "hi"}"#, 1, "must be a list of {role, content} messages"),
            (#"{"foo": 1}"#, 1, "expected an SFT row"),
        ]
        let tok = try tinyLlamaSFT()
        for (text, line, reason) in cases {
            let url = try tempFile("sft.jsonl", text)
            do {
                _ = try tok.prepare(try SFTExample.load(url), config: SFTDataConfig())
                Issue.record("no error for \(text)")
            } catch let e as AlignDataError {
                #expect(e.description.hasPrefix("\(url.path):\(line):"), "\(e)")
                #expect(e.description.contains(reason), "\(e)")
            }
        }
    }

    @Test("bfd packing counts the tokens it cuts beyond max_length")
    func packingCutCount() throws {
        let tok = try tinyLlamaSFT()
        let rows: [SFTExample] = ["one two three four five six", "a", "x y z"].enumerated().map {
            .text($1, RowLocation(file: "f", line: $0 + 1, index: $0))
        }
        let lengths = try rows.map { try tok.tokenize($0, completionOnlyLoss: false).ids.count }
        var config = SFTDataConfig()
        config.packing = true
        config.maxLength = 3
        let data = try tok.prepare(rows, config: config)
        #expect(data.tokensCutByPacking == lengths.reduce(0) { $0 + Swift.max($1 - 3, 0) } && data.tokensCutByPacking > 0)
        #expect(data.examples.allSatisfy { $0.tokenCount <= 3 })
    }

    @Test("packing needs max_length")
    func packingNeedsLength() throws {
        var config = SFTDataConfig()
        config.packing = true
        config.maxLength = nil
        #expect(throws: AlignDataError.self) {
            try tinyLlamaSFT().prepare([.text("a", RowLocation(file: "f", line: 1, index: 0))], config: config)
        }
    }
}

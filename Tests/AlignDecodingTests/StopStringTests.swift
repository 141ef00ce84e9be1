// Stop strings on the decoded byte stream, across token boundaries, and the streaming deltas that
// hold back possible stop-string prefixes and split UTF-8 characters. Toy byte vocabulary below.
import Testing
import AlignDecoding

/// id → text: 0 is EOS (no bytes); 7 and 8 are the two halves of "é" (0xC3 0xA9).
let toyVocabulary = TokenByteTable([
    [], Array("hel".utf8), Array("lo<".utf8), Array("en".utf8), Array("d>".utf8), Array(" world".utf8),
    Array("<e".utf8), [0xC3], [0xA9], Array("x".utf8),
])

func scriptedRun(_ script: [Int32], stops: [String], maxNewTokens: Int = 10)
    throws -> (GeneratedRow, [GenerationEvent]) {
    var p = GenerateParameters()
    p.maxNewTokens = maxNewTokens
    p.eosTokenIds = [0]
    p.stopStrings = stops
    let model = ScriptedLM(script: script, vocabularySize: 10, promptLength: 1)
    var events: [GenerationEvent] = []
    let rows = try TokenGenerator(model: model, prompts: [[9]], parameters: p, decoder: toyVocabulary)
        .run { events.append($0) }
    return (rows[0], events)
}

@Suite("Stop strings and streamed text")
struct StopStringTests {
    @Test("a stop string split over three tokens ends the row; the text stops before it")
    func acrossTokens() throws {
        // "hel" "lo<" "en" "d>" " world" → stop "<end>" completes at token 4.
        let (row, events) = try scriptedRun([1, 2, 3, 4, 5], stops: ["<end>"])
        #expect(row == GeneratedRow(tokens: [1, 2, 3, 4], text: "hello", finishReason: .stop))
        // "<" is held back from the second delta until the stop resolves.
        #expect(events.map(\.textDelta) == ["hel", "lo", "", ""])
        #expect(events.map(\.textDelta).joined() == row.text)
    }

    @Test("a stop-string prefix that does not complete is released")
    func falseStart() throws {
        // "hel" "lo<" "<e" "x" … : "<", "<e" are prefixes of "<end>" but "<<ex" never completes it.
        let (row, events) = try scriptedRun([1, 2, 6, 9, 0], stops: ["<end>"])
        #expect(row == GeneratedRow(tokens: [1, 2, 6, 9, 0], text: "hello<<ex", finishReason: .stop))
        // After "<e" only the first "<" is safe: the suffix "<e" could still grow into "<end>".
        #expect(events.map(\.textDelta) == ["hel", "lo", "<", "<ex", ""])
    }

    @Test("the earliest of several stop strings wins; EOS adds no text; max tokens gives 'length'")
    func severalStops() throws {
        let (row, _) = try scriptedRun([1, 2, 3, 4], stops: ["d>", "lo"])
        #expect(row == GeneratedRow(tokens: [1, 2], text: "hel", finishReason: .stop))
        let (eos, _) = try scriptedRun([1, 0], stops: [])
        #expect(eos == GeneratedRow(tokens: [1, 0], text: "hel", finishReason: .stop))
        let (long, _) = try scriptedRun([1, 5, 5, 5], stops: ["zzz"], maxNewTokens: 3)
        #expect(long == GeneratedRow(tokens: [1, 5, 5], text: "hel world world", finishReason: .length))
    }

    @Test("a character split over two tokens is streamed whole")
    func utf8Split() throws {
        let (row, events) = try scriptedRun([7, 8, 9, 0], stops: [])
        #expect(row.text == "éx")
        #expect(events.map(\.textDelta) == ["", "é", "x", ""])
    }

    @Test("rollback past a stop string un-finishes the row and regenerates it")
    func rollbackPastStop() throws {
        var p = GenerateParameters()
        p.maxNewTokens = 10
        p.eosTokenIds = [0]
        p.stopStrings = ["<end>"]
        let gen = try TokenGenerator(model: ScriptedLM(script: [1, 2, 3, 4, 5], vocabularySize: 10, promptLength: 1),
                                     prompts: [[9]], parameters: p, decoder: toyVocabulary)
        let first = try gen.run()
        try gen.rollback(2)
        // A running row's text includes the held-back "<" that may still start the stop string.
        #expect(gen.rows[0] == GeneratedRow(tokens: [1, 2], text: "hello<", finishReason: nil))
        #expect(try gen.run() == first)
    }

    @Test("RowText finds a stop string that straddles the window edge exactly once")
    func rowTextWindow() {
        var text = RowText(stops: ["abab"])
        var found: [Bool] = []
        for piece in ["aba", "c", "ab", "ab"] { found.append(text.append(Array(piece.utf8))) }
        #expect(found == [false, false, false, true])
        #expect(String(decoding: text.visibleBytes, as: UTF8.self) == "abac")
    }
}

@Suite("RowText against a naive search")
struct RowTextSweepTests {
    /// First token boundary at which the text contains a stop string, and that text's earliest match.
    func naive(_ pieces: [[UInt8]], stops: [[UInt8]]) -> (tokens: Int, stopAt: Int)? {
        var text: [UInt8] = []
        for (t, piece) in pieces.enumerated() {
            text += piece
            var best: Int?
            for stop in stops where stop.count <= text.count {
                for s in 0...(text.count - stop.count) where text[s..<(s + stop.count)].elementsEqual(stop) {
                    best = min(best ?? .max, s)
                }
            }
            if let best { return (t + 1, best) }
        }
        return nil
    }

    @Test("incremental matching and streamed deltas agree with a full re-search on 500 random splits")
    func sweep() {
        var seed: UInt64 = 2024
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33) % n
        }
        let alphabet = Array("ab<>".utf8)
        for trial in 0..<500 {
            let stops = (0..<(1 + next(2))).map { _ in (0..<(1 + next(4))).map { _ in alphabet[next(4)] } }
            let pieces = (0..<(1 + next(8))).map { _ in (0..<next(4)).map { _ in alphabet[next(4)] } }
            var text = RowText(stops: stops.map { String(decoding: $0, as: UTF8.self) })
            var deltas = ""
            var finishedAt: Int?
            for (t, piece) in pieces.enumerated() {
                let stopped = text.append(piece)
                deltas += text.takeDelta(final: stopped || t == pieces.count - 1)
                if stopped { finishedAt = t + 1; break }
            }
            let expected = naive(pieces, stops: stops)
            #expect(finishedAt == expected?.tokens, "trial \(trial)")
            #expect(text.stopAt == expected?.stopAt, "trial \(trial)")
            #expect(deltas == String(decoding: text.visibleBytes, as: UTF8.self), "trial \(trial)")
        }
    }
}

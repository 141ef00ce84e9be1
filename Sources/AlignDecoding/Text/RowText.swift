// RowText: one row's decoded byte stream with stop-string detection and stream-safe deltas. Stop
// strings are matched on bytes, incrementally: after new bytes arrive, only the window that can
// contain a new match (the new bytes plus the longest stop string minus one before them) is
// searched, so a stop string split across any number of tokens is found (as transformers'
// StopStringCriteria and OpenAI's `stop`). The reported text ends before the stop string (OpenAI
// semantics). A delta never ends inside a UTF-8 character or inside a possible stop-string prefix;
// those bytes are held back until they are resolved or the row finishes.

/// The decoded text of one generated row.
public struct RowText: Equatable, Sendable {
    /// Stop strings as UTF-8 bytes.
    public let stops: [[UInt8]]
    /// Every byte decoded so far (stop string included, if one matched).
    public private(set) var bytes: [UInt8] = []
    /// Bytes handed out as deltas so far.
    public private(set) var emitted = 0
    /// Where the first stop string starts, once one matched.
    public private(set) var stopAt: Int?

    /// Creates an empty text with the given stop strings (empty strings are ignored).
    public init(stops: [String]) {
        self.stops = stops.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// The final text bytes: everything before the stop string.
    public var visibleBytes: ArraySlice<UInt8> { bytes[..<(stopAt ?? bytes.count)] }

    /// Appends a token's bytes; returns true if a stop string is now complete.
    public mutating func append(_ newBytes: [UInt8]) -> Bool {
        let oldCount = bytes.count
        bytes += newBytes
        guard stopAt == nil else { return true }
        var earliest: Int?
        for stop in stops where bytes.count >= stop.count {
            let first = max(0, oldCount - stop.count + 1)
            guard first <= bytes.count - stop.count else { continue }
            for start in first...(bytes.count - stop.count) where bytes[start..<(start + stop.count)].elementsEqual(stop) {
                if start < (earliest ?? .max) { earliest = start }
                break
            }
        }
        stopAt = earliest
        return earliest != nil
    }

    /// Marks at most `count` bytes as already streamed (used when a row is rebuilt after rollback).
    mutating func markEmitted(_ count: Int) { emitted = min(count, visibleBytes.count) }

    /// The next stream delta. While running, bytes that may start a stop string or end inside a
    /// UTF-8 character are held back; once `final`, everything up to the stop string is released.
    public mutating func takeDelta(final: Bool) -> String {
        let end = final || stopAt != nil ? visibleBytes.count : safeEnd()
        guard end > emitted else { return "" }
        let delta = String(decoding: bytes[emitted..<end], as: UTF8.self)
        emitted = end
        return delta
    }

    /// End of the prefix that can be released without risking a stop string or a split character.
    private func safeEnd() -> Int {
        var end = bytes.count
        // Hold back the longest suffix that is a proper prefix of some stop string.
        for stop in stops {
            for length in stride(from: min(stop.count - 1, bytes.count), through: 1, by: -1)
            where bytes[(bytes.count - length)...].elementsEqual(stop[..<length]) {
                end = min(end, bytes.count - length)
                break
            }
        }
        return RowText.completeUTF8End(bytes, upTo: end)
    }

    /// The largest index ≤ `end` that does not cut a UTF-8 sequence (looks back at most 3 bytes).
    static func completeUTF8End(_ bytes: [UInt8], upTo end: Int) -> Int {
        var i = end - 1
        while i >= 0, i >= end - 4, bytes[i] & 0xC0 == 0x80 { i -= 1 }
        guard i >= 0, i >= end - 4 else { return end }
        let lead = bytes[i]
        let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return end - i >= needed ? end : i
    }
}

// LangProfiles: the 55 n-gram language profiles and normalization tables of langdetect 1.0.9.
//
// Mirrors langdetect 1.0.9 `detector_factory.py` (`load_profile`, `add_profile`) and `utils/messages.py`:
// for each profile `{"freq": {gram: count}, "n_words": [n1, n2, n3], "name": lang}` and each gram of 1–3 code
// points, P(gram | lang) = count / n_words[len(gram) - 1]. Grams are keyed by their packed code points (21 bits
// each), so lookups compare code points exactly as Python's dict does (Swift String would compare canonically).
// The data (Resources/langdetect: profiles and messages.properties) is Apache-2.0, copied verbatim from PyPI.
import Foundation

/// Language profiles: per-gram probability rows over the language list.
public final class LangProfiles: @unchecked Sendable {
    // Immutable after init; shared read-only between threads.

    /// Language codes in row order (sorted profile file names, e.g. "ar", "en", "zh-cn").
    public let languages: [String]
    /// Packed gram → row start in `rowLangs`/`rowProbs` and row length (sparse: only languages with count > 0).
    let rows: [UInt64: (start: Int32, count: Int32)]
    let rowLangs: [UInt8]
    let rowProbs: [Double]
    /// Normalization tables from messages.properties.
    let tables: LangNormalizationTables

    /// Packs up to three code points into one key (code points are ≤ 21 bits; 0 marks "absent").
    @inline(__always)
    static func pack(_ a: Unicode.Scalar, _ b: Unicode.Scalar?, _ c: Unicode.Scalar?) -> UInt64 {
        UInt64(a.value) | (UInt64(b?.value ?? 0) << 21) | (UInt64(c?.value ?? 0) << 42)
    }

    /// Loads the profiles from `directory/profiles/*` and the tables from `directory/messages.properties`.
    public init(directory: URL) throws {
        let profileDir = directory.appendingPathComponent("profiles")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: profileDir.path)
                .filter { !$0.hasPrefix(".") }.sorted()
        } catch { throw AlignEvalError.unreadableFile(path: profileDir.path, reason: "\(error)") }
        guard names.count >= 2, names.count < 256 else {
            throw AlignEvalError.badResource(name: profileDir.path, reason: "expected 2–255 profiles, found \(names.count)")
        }
        // All (gram, language, probability) triples, sorted by gram, become one flat table of sparse rows.
        var triples: [(key: UInt64, lang: UInt8, prob: Double)] = []
        triples.reserveCapacity(200_000)
        var langs: [String] = []
        for (index, file) in names.enumerated() {
            let (lang, freqs) = try LangProfiles.readProfile(profileDir.appendingPathComponent(file))
            langs.append(lang)
            for (key, p) in freqs { triples.append((key, UInt8(index), p)) }
        }
        triples.sort { $0.key < $1.key }
        var rows: [UInt64: (start: Int32, count: Int32)] = [:]
        rows.reserveCapacity(triples.count)
        var rowLangs = [UInt8](), rowProbs = [Double]()
        rowLangs.reserveCapacity(triples.count)
        rowProbs.reserveCapacity(triples.count)
        var i = 0
        while i < triples.count {
            let key = triples[i].key
            let start = i
            while i < triples.count, triples[i].key == key {
                rowLangs.append(triples[i].lang); rowProbs.append(triples[i].prob); i += 1
            }
            rows[key] = (Int32(start), Int32(i - start))
        }
        self.languages = langs
        self.rows = rows
        self.rowLangs = rowLangs
        self.rowProbs = rowProbs
        self.tables = try LangNormalizationTables(url: directory.appendingPathComponent("messages.properties"))
    }

    /// One profile file: its language name and P(gram | lang) for grams of 1–3 code points.
    static func readProfile(_ url: URL) throws -> (String, [(UInt64, Double)]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        var reader = LangProfileReader(data: data, path: url.path)
        let profile = try reader.read()
        guard profile.nWords.count == 3, profile.nWords.allSatisfy({ $0 > 0 }) else {
            throw AlignEvalError.badResource(name: url.path, reason: "n_words must be three positive numbers")
        }
        var out: [(UInt64, Double)] = []
        out.reserveCapacity(profile.freq.count)
        for (s, count) in profile.freq where (1...3).contains(s.count) {  // add_profile ignores other lengths
            let key = pack(s[0], s.count > 1 ? s[1] : nil, s.count > 2 ? s[2] : nil)
            out.append((key, count / profile.nWords[s.count - 1]))
        }
        return (profile.name, out)
    }

    /// The profiles bundled with AlignEval (langdetect 1.0.9's 55 languages), loaded once.
    public static func bundled() throws -> LangProfiles {
        try bundledResult.get()
    }

    private static let bundledResult: Result<LangProfiles, Error> = Result {
        guard let url = Bundle.module.url(forResource: "langdetect", withExtension: nil) else {
            throw AlignEvalError.badResource(name: "langdetect", reason: "not found in the AlignEval bundle")
        }
        return try LangProfiles(directory: url)
    }
}

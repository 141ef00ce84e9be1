// Response length statistics: characters, words and (with a tokenizer) tokens per response, summarized by
// mean, median, p90, p95, min and max (../shared/methods/evaluation.md §4, "Length statistics").
// Conventions mirror Python so the numbers match the fixture script (scripts/fixtures/evalmetrics_diversity.py):
// characters = `len(s)` (Unicode scalars), words = `len(s.split())` (runs of non-whitespace),
// percentiles = numpy's default `np.percentile(x, q)` (linear interpolation between order statistics).
import AlignTokenizers

/// Summary statistics of one list of numbers.
public struct Distribution: Sendable, Equatable {
    /// Number of values.
    public var count: Int
    /// Arithmetic mean (0 when empty).
    public var mean: Double
    /// 50th percentile.
    public var median: Double
    /// 90th percentile.
    public var p90: Double
    /// 95th percentile.
    public var p95: Double
    /// Smallest value (0 when empty).
    public var min: Double
    /// Largest value (0 when empty).
    public var max: Double

    /// Summarizes `values`; all fields are 0 for an empty list.
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = values.count
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        median = Distribution.percentile(sorted, 50)
        p90 = Distribution.percentile(sorted, 90)
        p95 = Distribution.percentile(sorted, 95)
        min = sorted.first ?? 0
        max = sorted.last ?? 0
    }

    /// numpy's default (`method="linear"`) percentile `q` ∈ [0, 100] of ascending `sorted`: the value at
    /// fractional rank (n − 1)·q/100, interpolated between its two neighbours.
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard let first = sorted.first else { return 0 }
        let rank = Double(sorted.count - 1) * q / 100
        let lo = Int(rank.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
        let frac = rank - Double(lo)
        return sorted.count == 1 ? first : sorted[lo] + (sorted[hi] - sorted[lo]) * frac
    }
}

/// Length statistics of a set of responses.
public struct LengthStats: Sendable, Equatable {
    /// Unicode scalars per response (Python `len`).
    public var characters: Distribution
    /// Whitespace-separated words per response (Python `str.split()`).
    public var words: Distribution
    /// Tokens per response (no special tokens added), when a tokenizer was given.
    public var tokens: Distribution?

    /// Measures `responses`; `tokenizer` adds token counts (encoded without special tokens).
    public init(responses: [String], tokenizer: Tokenizer? = nil) {
        characters = Distribution(responses.map { Double($0.unicodeScalars.count) })
        words = Distribution(responses.map { Double(PyText(py: $0).pySplitWhitespace().count) })
        tokens = tokenizer.map { tok in
            Distribution(responses.map { Double(tok.encode($0, addSpecialTokens: false).ids.count) })
        }
    }
}

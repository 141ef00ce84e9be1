// IFEvalReport: the four IFEval accuracies and the per-instruction breakdown the reference prints.
//
// Mirrors google-research evaluation_lib.py `print_report` (prompt-level, instruction-level, per category
// "keywords", "detectable_format", …, and per instruction id) and lm-eval's metric names
// (`prompt_level_strict_acc`, `inst_level_strict_acc`, `prompt_level_loose_acc`, `inst_level_loose_acc`).

/// Followed / total counts with their ratio.
public struct IFEvalCount: Sendable, Equatable {
    /// How many were followed.
    public var followed = 0
    /// How many were checked.
    public var total = 0
    /// Counts as given.
    public init(followed: Int = 0, total: Int = 0) {
        self.followed = followed
        self.total = total
    }
    /// followed / total (0 when empty).
    public var accuracy: Double { total == 0 ? 0 : Double(followed) / Double(total) }
}

/// Summary of an IFEval run.
public struct IFEvalReport: Sendable {
    /// Per-prompt verdicts, in input order.
    public let results: [IFEvalPromptResult]
    /// Prompts with every instruction followed, strict.
    public let promptStrict: IFEvalCount
    /// Instruction instances followed, strict.
    public let instructionStrict: IFEvalCount
    /// Prompts with every instruction followed, loose.
    public let promptLoose: IFEvalCount
    /// Instruction instances followed, loose.
    public let instructionLoose: IFEvalCount
    /// Per instruction id: (strict, loose) counts.
    public let byInstruction: [String: (strict: IFEvalCount, loose: IFEvalCount)]

    /// Aggregates per-prompt results.
    public init(results: [IFEvalPromptResult]) {
        self.results = results
        var ps = IFEvalCount(), ist = IFEvalCount(), pl = IFEvalCount(), il = IFEvalCount()
        var by: [String: (strict: IFEvalCount, loose: IFEvalCount)] = [:]
        for r in results {
            ps.total += 1; pl.total += 1
            if r.strictAll { ps.followed += 1 }
            if r.looseAll { pl.followed += 1 }
            for (i, id) in r.instructionIds.enumerated() {
                ist.total += 1; il.total += 1
                var entry = by[id] ?? (IFEvalCount(), IFEvalCount())
                entry.strict.total += 1; entry.loose.total += 1
                if r.strict[i] { ist.followed += 1; entry.strict.followed += 1 }
                if r.loose[i] { il.followed += 1; entry.loose.followed += 1 }
                by[id] = entry
            }
        }
        promptStrict = ps; instructionStrict = ist; promptLoose = pl; instructionLoose = il
        byInstruction = by
    }

    /// The four metrics under lm-eval's names.
    public var metrics: [(name: String, value: Double)] {
        [("prompt_level_strict_acc", promptStrict.accuracy), ("inst_level_strict_acc", instructionStrict.accuracy),
         ("prompt_level_loose_acc", promptLoose.accuracy), ("inst_level_loose_acc", instructionLoose.accuracy)]
    }
}

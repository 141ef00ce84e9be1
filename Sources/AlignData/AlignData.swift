// AlignData: TRL-style dataset formats read from JSON or JSONL, validated row by row with file:line errors,
// and tokenized for preference training exactly as TRL 1.16's DPOTrainer prepares its dataset.
//
// Module map:
//   AlignDataError.swift           the module's typed error (file:line and reason)
//   DatasetFile.swift              JSON array / JSONL → located raw rows
//   RowColumns.swift               typed column access on one row (text, messages, label)
//   Examples.swift                 PreferenceExample, UnpairedExample, SFTExample and their loaders
//   ImplicitPrompt.swift           TRL's `extract_prompt` for rows with only chosen/rejected
//   TokenizedPreference.swift      the tokenized pair and TRL's collator truncation (keep_start / keep_end)
//   PreferenceTokenizer.swift      DPOTrainer's `_prepare_dataset`: EOS, common-prefix boundary, length filter
//   UnpairedTokenizer.swift        KTOTrainer's `_prepare_dataset`: unpaired rows, KL completions, truncation
//   RankedExample.swift            listwise rows {prompt, completions, scores | ranks} and their tokenization

/// Namespace for module-level facts of AlignData.
public enum AlignDataModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignData"
}

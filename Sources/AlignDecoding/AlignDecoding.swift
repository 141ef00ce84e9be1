// AlignDecoding: the generation loop, logits processors, samplers, stop conditions, rewards and
// reward-guided selection. Map of the module:
//   Generation/  CausalLM (the model step protocol the loop drives), GenerateParameters (the
//                generation_config.json vocabulary, processor order), TokenGenerator (prefill +
//                batched steps, per-row stopping, fork/rollback, streaming), DecodingState, events.
//   Processors/  LogitsProcessor and the transformers 5.23 processors/warpers, OpenAI penalties,
//                the grammar BitmaskProcessor.
//   Sampling/    PhiloxRandom (seeded counter-based streams), TokenSampler (greedy, multinomial),
//                BeamSearch (transformers' beam search).
//   Text/        TokenBytes (token id → bytes) and RowText (stop strings, stream-safe deltas).
//   Rewards/     Reward, programmatic rewards (keyword, length, regex, JSON Schema), combinations,
//                InfAlign calibration, the implicit DPO reward.
//   Search/      BestOfN; SearchRows (batched expand / rollout with cache rollback) under
//                TokenwiseGuidance (ARGS, tokenwise CD), BlockwiseControlledDecoding, DeAL and
//                TransferQStar; SelfConsistency (+ AnswerExtractor) and SelfAgreement.
//                Docs/decoding-time-alignment.md describes them.
// Left out so far (issue 6 item 3): activation steering.

/// Namespace for module-level facts of AlignDecoding.
public enum AlignDecodingModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignDecoding"
}

// AlignModels: layers with checkpoint-keyed parameters, safetensors, configs, the decoder family, KV cache and PEFT adapters.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignModels.
public enum AlignModelsModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignModels"
}

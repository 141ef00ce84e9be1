// Linear+RowProducts: the projections of a decoding step (one position of one sequence) as fused
// matrix–vector jobs — q/k/v together, gate/up together, o_proj and down_proj with the residual added per
// row — through `Tensor.rowProducts`, so each group reads its weights in one pass of the worker pool and
// the threads synchronise once per group. The results are bit-identical to calling the layers one by
// one and adding the residual afterwards (same dot products, same additions), which is what runs
// whenever the fused form does not apply: several rows, a LoRA adapter, GPT-2's [in, out] layout, or a
// product the tape must record.
import AlignTensor

extension Linear {
    /// The fused form's description of this layer applied to x, or nil if it has a LoRA adapter or the [in, out] layout.
    func rowProduct(_ x: Tensor, residual: Tensor? = nil) -> Tensor.RowProduct? {
        guard lora == nil, layout == .outIn else { return nil }
        return Tensor.RowProduct(x: x, weight: weight, bias: bias, residual: residual)
    }

    /// Each layer applied to x ([..., in]): one fused job when x is a single row; while training, one recorded op
    /// whose backward sums x's gradient inside BLAS (`Tensor.sharedInputLinear`); else layer by layer.
    static func outputs(of layers: [Linear], for x: Tensor) -> [Tensor] {
        let products = layers.compactMap { $0.rowProduct(x) }
        if products.count == layers.count, let outs = Tensor.rowProducts(products) { return outs }
        if let outs = recordedOutputs(of: layers, for: x) { return outs }
        return layers.map { $0(x) }
    }

    /// The layers' outputs through `Tensor.sharedInputLinear` when the tape records them and none has an enabled
    /// adapter (an adapter's own op keeps its frozen base weight gradient-free); biases are added after, as
    /// `callAsFunction` adds them. Bit-identical to the layers one by one (both run `Tensor.matmul`'s sgemm).
    static func recordedOutputs(of layers: [Linear], for x: Tensor) -> [Tensor]? {
        let inF = x.shape.last ?? 0  // one row stays layer by layer: a frozen layer's product is sgemv there
        guard layers.count > 1, inF > 0, x.count > inF, let layout = layers.first?.layout,
              layers.allSatisfy({ $0.layout == layout && $0.lora?.isEnabled != true }),
              x.needsGrad || layers.contains(where: { $0.weight.needsGrad }), Autograd.isEnabled else { return nil }
        let ys = Tensor.sharedInputLinear(x, weights: layers.map(\.weight), transposeWeights: layout == .outIn)
        return zip(layers, ys).map { layer, y in layer.bias.map { y + $0 } ?? y }
    }

    /// residual + self(x), fused into the product's rows when x is a single row.
    func callAsFunction(_ x: Tensor, adding residual: Tensor) -> Tensor {
        if let p = rowProduct(x, residual: residual), let outs = Tensor.rowProducts([p]) { return outs[0] }
        return residual + self(x)
    }
}

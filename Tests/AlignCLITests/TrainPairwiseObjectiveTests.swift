// The `objective` key of `align train dpo` (TrainPairwiseObjective.swift): cpo and orpo read TRL's
// CPOConfig / ORPOConfig keys with TRL's defaults, and a key of another objective is an error naming it.
@testable import AlignCLI
import AlignTokenizers
import AlignTraining
import Testing

@Suite("align train dpo objective key")
struct TrainPairwiseObjectiveTests {
    @Test("objective cpo with loss_type simpo and cpo_alpha 0 is SimPO; absent keys keep TRL's defaults")
    func simpo() throws {
        let s = try TrainConfigFile.settings([("objective", .string("cpo")), ("loss_type", .string("simpo")),
                                              ("cpo_alpha", .int(0)), ("beta", .double(2.0))])
        #expect(s.objective == .cpo)
        #expect(s.cpo.lossType == .simpo && s.cpo.cpoAlpha == 0 && s.cpo.beta == 2.0)
        #expect(s.cpo.simpoGamma == 0.5 && s.cpo.labelSmoothing == 0)
        #expect(try s.makeObjective() is CPOLoss)
    }

    @Test("objective orpo takes beta; dpo stays the default")
    func orpoAndDefault() throws {
        let o = try TrainConfigFile.settings([("objective", .string("orpo")), ("beta", .double(0.25))])
        #expect(o.objective == .orpo && o.orpo.beta == 0.25)
        #expect(try o.makeObjective() is ORPOLoss)
        let d = try TrainConfigFile.settings([("loss_type", .string("ipo"))])
        #expect(d.objective == .dpo && d.dpo.lossType == [.ipo])
        #expect(try d.makeObjective() is DPOLoss)
    }

    @Test("keys of another objective, unknown objectives and bad CPO loss types are errors naming the key",
          arguments: [
              [("cpo_alpha", ChatJSON.int(0))],
              [("objective", .string("orpo")), ("loss_type", .string("sigmoid"))],
              [("objective", .string("kto"))],
              [("objective", .string("cpo")), ("loss_type", .string("robust"))],
          ] as [[(String, ChatJSON)]])
    func rejected(pairs: [(String, ChatJSON)]) throws {
        do {
            _ = try TrainConfigFile.settings(pairs)
            Issue.record("accepted \(pairs)")
        } catch let AlignCLIError.badConfigValue(key, _, _) {
            #expect(pairs.map(\.0).contains(key))
        }
    }
}

// TokenGenerator+Stream: the loop as an AsyncSequence of events. Pull-based: each `next()` runs
// steps until an event is available, so a consumer that stops iterating stops the generation.

extension TokenGenerator {
    /// The remaining events as an async stream (one event per live row per step).
    public func events() -> AsyncThrowingStream<GenerationEvent, Error> {
        let queue = EventQueue()
        return AsyncThrowingStream(unfolding: { [self] in
            while queue.events.isEmpty {
                if self.isFinished { return nil }
                queue.events = try self.step()
            }
            return queue.events.removeFirst()
        })
    }
}

/// Events produced by a step but not yet handed out.
private final class EventQueue {
    var events: [GenerationEvent] = []
}

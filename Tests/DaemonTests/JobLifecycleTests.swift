import Formats
import Jobs
import Testing

@testable import EnrichDaemon

/// The job lifecycle: every transition, and every event a state must not take, without processes or clocks.
struct JobLifecycleTests {
    typealias State = JobLifecycle.State
    typealias Event = JobLifecycle.Event
    typealias Action = JobLifecycle.Action

    static let boom = JobError(.writeFailed, "disk full")

    /// A lifecycle brought into `state` through legal events.
    static func lifecycle(in state: State) -> JobLifecycle {
        var lifecycle = JobLifecycle()
        let path: [Event] = switch state {
        case .planning: []
        case .enriching: [.planned(pending: 3)]
        case .paused(let reason): [.planned(pending: 3), .paused(reason)]
        case .writing(let cancelled): cancelled ? [.planned(pending: 3), .cancel] : [.planned(pending: 0)]
        case .stopping: [.planned(pending: 3), .stop]
        case .done: [.planned(pending: 0), .outputsWritten, .movedToDone]
        case .cancelled: [.planned(pending: 3), .cancel, .outputsWritten, .movedToDone]
        case .failed: [.failed(Self.boom)]
        case .stranded: [.failed(Self.boom), .moveToFailedFailed("EACCES")]
        }
        for event in path { _ = lifecycle.handle(event) }
        #expect(lifecycle.state == state, "could not reach \(state)")
        return lifecycle
    }

    struct Transition: Sendable, CustomTestStringConvertible {
        var from: State
        var event: Event
        var to: State
        var actions: [Action]
        var testDescription: String { "\(self.from) + \(self.event) → \(self.to)" }
    }

    static let transitions: [Transition] = [
        .init(from: .planning, event: .planned(pending: 3), to: .enriching, actions: [.publish, .enqueue]),
        .init(from: .planning, event: .planned(pending: 0), to: .writing(cancelled: false), actions: [.publish, .writeOutputs]),
        .init(from: .planning, event: .failed(boom), to: .failed, actions: [.withdraw, .moveToFailed(boom)]),
        .init(from: .planning, event: .stop, to: .stopping, actions: [.withdraw]),
        .init(from: .planning, event: .cancel, to: .failed,
              actions: [.withdraw, .moveToFailed(JobError(.cancelled, "cancelled before it started"))]),
        .init(from: .enriching, event: .answered(complete: false), to: .enriching, actions: [.scheduleCheckpoint]),
        .init(from: .enriching, event: .answered(complete: true), to: .writing(cancelled: false),
              actions: [.scheduleCheckpoint, .publish, .writeOutputs]),
        .init(from: .enriching, event: .paused("credits spent (HTTP 427)"), to: .paused(reason: "credits spent (HTTP 427)"),
              actions: [.publish, .logPaused("credits spent (HTTP 427)")]),
        .init(from: .enriching, event: .paused(nil), to: .enriching, actions: []),
        .init(from: .enriching, event: .cancel, to: .writing(cancelled: true), actions: [.withdraw, .publish, .writeOutputs]),
        .init(from: .enriching, event: .stop, to: .stopping, actions: [.withdraw, .checkpoint]),
        .init(from: .enriching, event: .failed(boom), to: .failed, actions: [.withdraw, .moveToFailed(boom)]),
        .init(from: .enriching, event: .checkpointDue, to: .enriching, actions: [.checkpoint]),
        .init(from: .paused(reason: "x"), event: .paused(nil), to: .enriching, actions: [.publish, .logResumed]),
        .init(from: .paused(reason: "x"), event: .paused("x"), to: .paused(reason: "x"), actions: []),
        .init(from: .paused(reason: "x"), event: .paused("y"), to: .paused(reason: "y"), actions: [.publish, .logPaused("y")]),
        .init(from: .paused(reason: "x"), event: .answered(complete: true), to: .writing(cancelled: false),
              actions: [.scheduleCheckpoint, .publish, .writeOutputs]),
        .init(from: .paused(reason: "x"), event: .cancel, to: .writing(cancelled: true), actions: [.withdraw, .publish, .writeOutputs]),
        .init(from: .paused(reason: "x"), event: .stop, to: .stopping, actions: [.withdraw, .checkpoint]),
        .init(from: .stopping, event: .answered(complete: true), to: .stopping, actions: [.scheduleCheckpoint]),
        .init(from: .stopping, event: .failed(boom), to: .failed, actions: [.moveToFailed(boom)]),
        .init(from: .writing(cancelled: false), event: .outputsWritten, to: .writing(cancelled: false), actions: [.moveToDone]),
        .init(from: .writing(cancelled: false), event: .movedToDone, to: .done, actions: [.finish(.done(cancelled: false))]),
        .init(from: .writing(cancelled: true), event: .movedToDone, to: .cancelled, actions: [.finish(.done(cancelled: true))]),
        .init(from: .writing(cancelled: false), event: .failed(boom), to: .failed, actions: [.withdraw, .moveToFailed(boom)]),
        .init(from: .writing(cancelled: true), event: .failed(boom), to: .failed, actions: [.moveToFailed(boom)]),
        .init(from: .writing(cancelled: false), event: .moveToDoneFailed("EACCES"), to: .failed,
              actions: [.withdraw, .moveToFailed(JobError(.writeFailed, "cannot move the job to done/: EACCES",
                                                          hint: "let the service user write to the spool's done/ directory, then restart enrichd"))]),
        .init(from: .failed, event: .movedToFailed, to: .failed, actions: [.finish(.failed(boom))]),
        .init(from: .failed, event: .moveToFailedFailed("EACCES"), to: .stranded(reason: "disk full; and cannot move the job to failed/: EACCES"),
              actions: [.finish(.stranded("disk full; and cannot move the job to failed/: EACCES"))]),
        .init(from: .done, event: .checkpointDue, to: .done, actions: [.checkpoint]),
    ]

    @Test(arguments: Self.transitions)
    func eachTransition(_ transition: Transition) {
        var lifecycle = Self.lifecycle(in: transition.from)
        let actions = lifecycle.handle(transition.event)
        #expect(lifecycle.state == transition.to)
        #expect(actions == transition.actions)
    }

    static let states: [State] = [.planning, .enriching, .paused(reason: "x"), .writing(cancelled: false),
                                  .writing(cancelled: true), .stopping, .done, .cancelled, .failed,
                                  .stranded(reason: "disk full; and cannot move the job to failed/: EACCES")]
    static let events: [Event] = [.planned(pending: 1), .failed(boom), .answered(complete: false), .answered(complete: true),
                                  .paused("z"), .paused(nil), .cancel, .stop, .outputsWritten, .movedToDone,
                                  .moveToDoneFailed("e"), .movedToFailed, .moveToFailedFailed("e")]

    /// The events each state takes (the machine's documented shape; `.checkpointDue` is taken everywhere).
    static func takes(_ state: State, _ event: Event) -> Bool {
        switch (state, event) {
        case (.planning, .planned), (.planning, .failed), (.planning, .stop), (.planning, .cancel): true
        case (.enriching, .paused(nil, _)): false
        case (.enriching, .answered), (.enriching, .paused), (.enriching, .cancel), (.enriching, .stop), (.enriching, .failed),
            (.paused, .answered), (.paused, .paused), (.paused, .cancel), (.paused, .stop), (.paused, .failed):
            true
        case (.stopping, .answered), (.stopping, .failed): true
        case (.writing, .outputsWritten), (.writing, .movedToDone), (.writing, .moveToDoneFailed), (.writing, .failed): true
        case (.failed, .movedToFailed), (.failed, .moveToFailedFailed): true
        default: false
        }
    }

    /// Every event a state does not take changes nothing and does nothing; every one it takes does something.
    @Test func illegalEventsAreIgnoredAndLegalOnesAct() {
        for state in Self.states {
            for event in Self.events {
                var lifecycle = Self.lifecycle(in: state)
                let before = lifecycle
                let actions = lifecycle.handle(event)
                if Self.takes(state, event) {
                    #expect(!actions.isEmpty || lifecycle != before, "\(state) + \(event) did nothing")
                } else {
                    #expect(actions.isEmpty && lifecycle == before, "\(state) + \(event) did \(actions) → \(lifecycle.state)")
                }
            }
        }
    }

    /// A job ends exactly once, whatever the order of events after it started.
    @Test func aJobFinishesOnceAndFreesItsSlot() {
        let endings: [[Event]] = [
            [.planned(pending: 2), .answered(complete: false), .answered(complete: true), .outputsWritten, .movedToDone],
            [.planned(pending: 2), .cancel, .outputsWritten, .movedToDone, .cancel, .stop],
            [.planned(pending: 2), .answered(complete: true), .outputsWritten, .moveToDoneFailed("EACCES"), .movedToFailed],
            [.planned(pending: 2), .answered(complete: true), .outputsWritten, .moveToDoneFailed("EACCES"),
             .moveToFailedFailed("EACCES"), .cancel, .answered(complete: true)],
            [.failed(Self.boom), .movedToFailed, .cancel, .stop, .failed(Self.boom)],
        ]
        for events in endings {
            var lifecycle = JobLifecycle()
            var finishes = 0
            for event in events {
                finishes += lifecycle.handle(event).filter { if case .finish = $0 { true } else { false } }.count
            }
            #expect(finishes == 1 && lifecycle.state.isFinal, "\(events) → \(lifecycle.state), \(finishes) finishes")
        }
    }

    /// One checkpoint is scheduled at a time: answers in a burst schedule one, the timer firing allows the next.
    @Test func checkpointsAreScheduledOneAtATime() {
        var lifecycle = Self.lifecycle(in: .enriching)
        #expect(lifecycle.handle(.answered(complete: false)) == [.scheduleCheckpoint])
        #expect(lifecycle.handle(.answered(complete: false)) == [])
        #expect(lifecycle.handle(.checkpointDue) == [.checkpoint])
        #expect(lifecycle.handle(.answered(complete: false)) == [.scheduleCheckpoint])
    }

    @Test func phaseAndPauseAreWhatProgressShows() {
        #expect(Self.lifecycle(in: .planning).phase == .planning)
        #expect(Self.lifecycle(in: .enriching).phase == .enriching)
        let paused = Self.lifecycle(in: .paused(reason: "HTTP 401"))
        #expect(paused.phase == .paused && paused.pausedReason == "HTTP 401")
        #expect(Self.lifecycle(in: .writing(cancelled: true)).isCancelled)
        #expect(!Self.lifecycle(in: .done).recordsAnswers && Self.lifecycle(in: .stopping).recordsAnswers)
    }

    /// A job held by its own cap and by its connection goes on only when both let it go; the reason says both.
    @Test func eachPauseCauseHoldsTheJobOnItsOwn() {
        var lifecycle = Self.lifecycle(in: .enriching)
        #expect(lifecycle.handle(.paused("maxPaidLookups 30 reached", cause: .jobCap))
                    == [.publish, .logPaused("maxPaidLookups 30 reached", cause: .jobCap)])
        #expect(lifecycle.handle(.paused("credits exhausted (HTTP 427)"))
                    == [.publish, .logPaused("credits exhausted (HTTP 427)")])
        #expect(lifecycle.pausedReason == "credits exhausted (HTTP 427); maxPaidLookups 30 reached")
        // The connection resumes: the cap still holds it.
        #expect(lifecycle.handle(.paused(nil)) == [.publish])
        #expect(lifecycle.state == .paused(reason: "maxPaidLookups 30 reached"))
        // Letting go a cause that does not hold it changes nothing.
        #expect(lifecycle.handle(.paused(nil, cause: .budget)) == [.publish])
        #expect(lifecycle.handle(.paused(nil, cause: .jobCap)) == [.publish, .logResumed])
        #expect(lifecycle.state == .enriching)
        #expect(lifecycle.handle(.paused(nil, cause: .jobCap)) == [])
    }
}

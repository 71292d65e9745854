import Foundation
import Testing

/// Runs a test on threads of its own instead of Swift's cooperative pool.
///
/// The pool has one thread per core: two on the CI machine. Two long synchronous tests
/// (seconds of matching without a suspension point) started together hold both threads,
/// and every other test waits for them, including the loopback servers the network tests
/// start, whose start-up deadline then passes. Heavy CPU-bound tests take this trait
/// (`@Test(.onOwnThread)`), so the pool stays free and the kernel shares the cores. On a
/// suite (`@Suite(.onOwnThread)`) it applies to every test in it: for suites whose tests read
/// a lazily compiled lexicon (a `static let` matcher), where the first reader compiles it for
/// seconds and the others wait on the same initializer.
public struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) {
            try await function()
        }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Runs the test off the cooperative pool (see ``OwnThreadTrait``).
    public static var onOwnThread: Self { OwnThreadTrait() }
}

/// A task executor that runs each job it is given on a new thread.
///
/// A test's synchronous body is one job, so it gets one thread for its whole run; the task
/// keeps its task-local values, so `#expect` still records against the running test.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

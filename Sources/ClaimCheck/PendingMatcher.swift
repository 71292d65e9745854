import ClaimText
import Foundation

/// A matcher being compiled on its own thread.
///
/// `claimscan check` starts reading, fetching and decoding its targets at once and waits
/// for the lexicon only when a page's text is ready to scan: compiling the real lexicon is
/// most of a one-page check's wall time, and a fetch or a page's decoding can run meanwhile
/// on the other core.
public final class PendingMatcher: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcome: Result<Matcher, any Error>?

    /// A matcher that is ready.
    public init(_ matcher: Matcher) {
        outcome = .success(matcher)
    }

    /// Starts `compile` on a new thread.
    public init(compiling compile: @escaping @Sendable () throws -> Matcher) {
        let thread = Thread { [self] in
            let result = Result { try compile() }
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Whether compiling has already failed (without waiting): no point in starting a fetch.
    public var hasFailed: Bool {
        condition.lock()
        defer { condition.unlock() }
        if case .failure = outcome { return true }
        return false
    }

    /// The compiled matcher or the compiler's error, waiting for it if need be.
    public func result() -> Result<Matcher, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return outcome!
    }
}

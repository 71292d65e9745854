import ClaimText
import Foundation

/// A matcher on its way: the lexicon loading (and perhaps compiling) on its own thread.
///
/// `claimscan check` starts reading, fetching and decoding its targets at once and waits
/// for the lexicon only when a page's text is ready to scan. Compiling the whole real
/// lexicon is most of a one-page check's wall time, so with one page the matcher is
/// compiled for that page's characters only (``Alphabet``: the literals that can occur
/// there, the same findings); with several pages, once in full (``compileForAllPages()``).
public final class PendingMatcher: @unchecked Sendable {
    /// Compiles a loaded lexicon, for one page's alphabet or (nil) in full.
    public typealias Compile = @Sendable (Lexicon, Alphabet?) throws -> Matcher

    private let condition = NSCondition()
    private let compile: Compile
    private var lexicon: Result<Lexicon, any Error>?
    /// The full matcher: compiled, or being compiled (`fullStarted`); pages wait for it only
    /// if it was asked for (`fullRequested`), otherwise they use it if it is ready.
    private var full: Result<Matcher, any Error>?
    private var fullStarted = false
    private var fullRequested = false
    /// Whether some compile (full or per page) has finished, and the first failure.
    private var compiled = false
    private var failure: (any Error)?

    /// A matcher that is ready.
    public init(_ matcher: Matcher) {
        compile = { lexicon, alphabet in try Matcher(lexicon: lexicon, alphabet: alphabet) }
        lexicon = .success(matcher.lexicon)
        full = .success(matcher)
        fullStarted = true
        fullRequested = true
        compiled = true
    }

    /// Starts `load` on a new thread; pages are then matched with `compile`'s matchers.
    public init(loading load: @escaping @Sendable () throws -> Lexicon, compile: @escaping Compile) {
        self.compile = compile
        start { [self] in
            let result = Result { try load() }
            condition.lock()
            lexicon = result
            if case .failure(let error) = result { failure = error }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Compiles the full matcher on its own thread as soon as the lexicon is loaded: for
    /// several pages, which then share it. Does nothing if it is compiled or on its way.
    public func compileForAllPages() {
        condition.lock()
        fullRequested = true
        condition.unlock()
        compileInBackground()
    }

    /// Starts compiling the full matcher on its own thread without making pages wait for it:
    /// a page that is ready first gets a matcher of its own, one ready later the full one
    /// (`check` on one URL: the fetch may take longer than the compile). Does nothing if it
    /// is compiled or on its way.
    public func compileInBackground() {
        condition.lock()
        defer { condition.unlock() }
        guard !fullStarted else { return }
        fullStarted = true
        start { [self] in
            let result = loaded().flatMap { lexicon in Result { try compile(lexicon, nil) } }
            condition.lock()
            full = result
            finished(result)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Whether the full matcher is compiled and stored (without waiting): a page checked from
    /// now on takes it.
    public var fullMatcherIsReady: Bool {
        condition.lock()
        defer { condition.unlock() }
        return full != nil
    }

    /// Whether loading or compiling has already failed (without waiting): no point in
    /// starting a fetch.
    public var hasFailed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return failure != nil
    }

    /// The matcher for a page's text runs, waiting for it if need be: the full matcher if it
    /// was asked for or is ready, else one compiled for these runs' characters.
    public func matcher(for runs: [TextRun]) -> Result<Matcher, any Error> {
        condition.lock()
        if fullRequested {
            while full == nil { condition.wait() }
        }
        if let full {
            condition.unlock()
            return full
        }
        condition.unlock()
        let result = loaded().flatMap { lexicon in Result { try compile(lexicon, Alphabet(runs)) } }
        condition.lock()
        finished(result)
        condition.unlock()
        return result
    }

    /// Why the lexicon could not be used, or nil. If no page was compiled for (every target
    /// failed to load), compiles once for an empty page, which checks every rule all the
    /// same: a broken lexicon is reported whatever happened to the targets.
    public func error() -> (any Error)? {
        condition.lock()
        let done = compiled || failure != nil
        condition.unlock()
        if !done { _ = matcher(for: []) }
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    // MARK: - Private

    /// Waits for the loaded lexicon.
    private func loaded() -> Result<Lexicon, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while lexicon == nil { condition.wait() }
        return lexicon!
    }

    /// Records a finished compile (the lock held).
    private func finished(_ result: Result<Matcher, any Error>) {
        compiled = true
        if case .failure(let error) = result, failure == nil { failure = error }
    }

    private func start(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = 8 << 20
        thread.start()
    }
}

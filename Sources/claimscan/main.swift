import ArgumentParser
import ClaimCheck
import ClaimFetch
import ClaimPage
import ClaimText
import Foundation

/// claimscan — finds false promises (包过, 保证拿证, 不过退费 …) in the
/// advertising of vocational skills-certification agencies.
struct Claimscan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claimscan",
        abstract: "Find false promises (包过, 保证拿证, 不过退费 …) in skills-certification advertising.",
        discussion: """
        Exit status: 0 nothing found; 1 findings; 2 usage or lexicon error; \
        3 nothing found but some target could not be read.
        """,
        version: Fetcher.version,
        subcommands: [Check.self, Scan.self, Agencies.self, Cases.self, LexiconCommand.self, Eval.self, ModelCommand.self, Bench.self]
    )
}

/// Options shared by every command that loads the lexicon.
struct LexiconOptions: ParsableArguments {
    @Option(name: .long, help: "Rule file or folder of *.rules files (default: the bundled lexicons/).")
    var lexicon: String?
    @Flag(name: .long, help: "The rules alone: leave out the promise model (promise.model in the lexicon folder).")
    var noModel = false

    /// The matcher; `model: false` leaves out the promise model whatever the options say
    /// (the `lexicon` commands are about the rules).
    func load(model: Bool = true) throws -> Matcher {
        try LexiconOptions.compile(path: path(), model: model && !noModel)
    }

    /// The lexicon's path: `--lexicon`, `$CLAIMSCAN_LEXICON` or the bundled folder.
    func path() throws -> String {
        guard let path = lexicon ?? LexiconLocator.defaultPath() else {
            throw Failure(status: 2, message: "cannot find the default lexicon; pass --lexicon PATH or set CLAIMSCAN_LEXICON")
        }
        return path
    }

    static func compile(path: String, model: Bool) throws -> Matcher {
        try compile(try load(path: path, model: model), alphabet: nil)
    }

    /// The full matcher for a scan, without the rules' examples kept for the run.
    func loadForScanning() throws -> Matcher {
        try LexiconOptions.compile(try LexiconOptions.load(path: path(), model: !noModel).withoutExamples(), alphabet: nil)
    }

    /// The lexicon at `path` loading on its own thread, compiled later per page or in full.
    static func pending(path: String, model: Bool) -> PendingMatcher {
        PendingMatcher(loading: { try load(path: path, model: model) }, compile: compile(_:alphabet:))
    }

    /// Parses the rule files (and, if `model`, the promise model); their errors become exit status 2.
    static func load(path: String, model: Bool = true) throws -> Lexicon {
        do { return try LexiconParser.load(path: path, model: model) } catch { throw Failure(status: 2, message: error.description) }
    }

    /// Compiles a parsed lexicon (for one page's characters, or in full); errors become status 2.
    @Sendable static func compile(_ lexicon: Lexicon, alphabet: Alphabet?) throws -> Matcher {
        do { return try Matcher(lexicon: lexicon, alphabet: alphabet) } catch { throw Failure(status: 2, message: error.description) }
    }
}

/// `--max-body-bytes` of `check` and `scan`: a decoded page keeps `Int32` byte offsets.
func validateMaxBodyBytes(_ bytes: Int) throws {
    guard bytes > 0, bytes <= DecodedPage.maxBytes else {
        throw ValidationError("--max-body-bytes must be from 1 to \(DecodedPage.maxBytes) (2 GiB)")
    }
}

/// An error that carries its exit status and is printed as it is.
struct Failure: Error, CustomStringConvertible {
    var status: Int32
    var message: String
    var description: String { message }
}

/// `check` spends most of its time on the lexicon, so for `check` loading it starts here,
/// before the command line is parsed (which takes a few milliseconds). `Check.run` uses it
/// only if it is the very lexicon the parsed options resolve to.
enum EarlyLexicon {
    nonisolated(unsafe) static var pending: (path: String, model: Bool, matcher: PendingMatcher)?
    /// The default lexicon's path, when it was looked up here (so `check` need not look again).
    nonisolated(unsafe) static var defaultPath: String?

    static func start(_ arguments: [String]) {
        guard arguments.count > 1, arguments[1] == "check" else { return }
        var path: String?
        var model = true
        var i = 2
        while i < arguments.count, arguments[i] != "--" {
            if arguments[i] == "--no-model" { model = false }
            if arguments[i] == "--lexicon", i + 1 < arguments.count { path = arguments[i + 1]; i += 2; continue }
            if arguments[i].hasPrefix("--lexicon=") { path = String(arguments[i].dropFirst("--lexicon=".count)) }
            i += 1
        }
        if path == nil { defaultPath = LexiconLocator.defaultPath() }
        guard let resolved = path ?? defaultPath else { return }
        pending = (resolved, model, LexiconOptions.pending(path: resolved, model: model))
    }
}

EarlyLexicon.start(CommandLine.arguments)

// Exit statuses are part of the interface: usage errors are 2 (not
// ArgumentParser's 64), help and version are 0.
do {
    var command = try Claimscan.parseAsRoot()
    try command.run()
} catch let failure as Failure {
    FileHandle.standardError.write(Data("claimscan: \(failure.message)\n".utf8))
    exit(failure.status)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let status = Claimscan.exitCode(for: error)
    if status == .success {
        print(Claimscan.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((Claimscan.fullMessage(for: error) + "\n").utf8))
    exit(2)
}

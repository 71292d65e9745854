import Foundation

/// A promise model file that cannot be used (`FILE: why`).
public struct PromiseModelError: Error, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}

/// The file: a short text header (readable with `head`), then the tables as little-endian
/// 32-bit floats.
///
/// ```
/// claimscan promise model 1
/// bits = 18
/// category-bits = 14
/// flag = 0.65
/// veto = 0.2
/// minimum-characters = 18
/// window = 150
/// maximum-block = 200
/// trained-on = 10246 texts (4506 positive): dev.jsonl dev10.jsonl …
/// sentence-flag = 0.95
/// sentence-candidate = 0.5
/// sentence-veto = 0.5
/// override-flag = 0.9
/// tables
/// <weights> <bias> <category weights> <category biases>
/// ```
/// The three `sentence-` keys came in session 14; a file without them gets the values the
/// code had then (``PromiseModel/sentenceFlagThreshold`` …). `override-flag` came in session
/// 15; a file without it (or with `override-flag = none`) never flags a passage where a cue
/// suppressed a match (``PromiseModel/overrideFlagThreshold``).
extension PromiseModel {
    static let magic = "claimscan promise model 1"

    public init(contentsOf path: String) throws(PromiseModelError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PromiseModelError(file: path, reason: "cannot read file")
        }
        try self.init(data: [UInt8](data), path: path)
    }

    init(data bytes: [UInt8], path: String) throws(PromiseModelError) {
        func fail(_ why: String) -> PromiseModelError { PromiseModelError(file: path, reason: why) }
        // The header: lines up to and including `tables`.
        var fields: [String: String] = [:]
        var offset = 0, lineNumber = 0, sawTables = false
        let magic = Array((PromiseModel.magic + "\n").utf8)
        guard bytes.starts(with: magic) else { throw fail("not a promise model (the first line is not \"\(PromiseModel.magic)\")") }
        offset = magic.count
        lineNumber = 1
        let known: Set<String> = ["bits", "category-bits", "flag", "veto", "minimum-characters", "window", "maximum-block", "trained-on",
                                   "sentence-flag", "sentence-candidate", "sentence-veto", "override-flag"]
        while offset < bytes.count, offset < 65_536 {
            guard let newline = bytes[offset...].firstIndex(of: 0x0A) else { break }
            lineNumber += 1
            let line = String(decoding: bytes[offset..<newline], as: UTF8.self)
            offset = newline + 1
            if line == "tables" { sawTables = true; break }
            guard let eq = line.firstIndex(of: "=") else { throw fail("header line \(lineNumber): expected `key = value`") }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard known.contains(key) else { throw fail("header line \(lineNumber): unknown key `\(key)`") }
            guard fields[key] == nil else { throw fail("header line \(lineNumber): `\(key)` given twice") }
            fields[key] = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        }
        guard sawTables else { throw fail("no `tables` line: the header is cut off") }
        func int(_ key: String, _ range: ClosedRange<Int>) throws(PromiseModelError) -> Int {
            guard let text = fields[key], let value = Int(text), range.contains(value) else {
                throw fail("`\(key)` must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        func float(_ key: String, default: Float? = nil) throws(PromiseModelError) -> Float {
            if fields[key] == nil, let `default` { return `default` }
            guard let text = fields[key], let value = Float(text), value >= 0, value <= 1 else { throw fail("`\(key)` must be a number from 0 to 1") }
            return value
        }
        let bits = try int("bits", 8...24), categoryBits = try int("category-bits", 8...24)
        let flag = try float("flag"), veto = try float("veto")
        guard veto <= flag else { throw fail("`veto` (\(veto)) is above `flag` (\(flag)): a passage could be both") }
        let categories = Category.allCases.count
        let floats = (1 << bits) + 1 + (categories << categoryBits) + categories
        guard bytes.count - offset == floats * 4 else {
            throw fail("the tables hold \(bytes.count - offset) bytes, expected \(floats * 4) (truncated or not this format)")
        }
        var values = [Float](repeating: 0, count: floats)
        values.withUnsafeMutableBytes { raw in
            bytes.withUnsafeBytes { src in raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset...])) }
        }
        #if _endian(big)
        values = values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
        guard values.allSatisfy(\.isFinite) else { throw fail("the tables hold a value that is not a finite number") }
        let w = 1 << bits, c = categories << categoryBits
        self.init(bits: bits, weights: Array(values[0..<w]), bias: values[w],
                  categoryBits: categoryBits, categoryWeights: Array(values[(w + 1)..<(w + 1 + c)]),
                  categoryBias: Array(values[(w + 1 + c)...]),
                  flagThreshold: flag, vetoThreshold: veto,
                  minimumCharacters: try int("minimum-characters", 1...1000), windowCharacters: try int("window", 10...10_000),
                  maximumBlock: try int("maximum-block", 10...100_000), trainedOn: fields["trained-on"] ?? "",
                  sentenceFlagThreshold: try float("sentence-flag", default: PromiseModel.sentenceFlagThreshold),
                  sentenceCandidateThreshold: try float("sentence-candidate", default: PromiseModel.sentenceCandidateThreshold),
                  sentenceVetoThreshold: try float("sentence-veto", default: PromiseModel.sentenceVetoThreshold),
                  overrideFlagThreshold: fields["override-flag"] == nil || fields["override-flag"] == "none" ? nil : try float("override-flag"))
    }

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        var header = PromiseModel.magic + "\n"
        header += "bits = \(bits)\ncategory-bits = \(categoryBits)\n"
        header += "flag = \(flagThreshold)\nveto = \(vetoThreshold)\n"
        header += "minimum-characters = \(minimumCharacters)\nwindow = \(windowCharacters)\nmaximum-block = \(maximumBlock)\n"
        header += "trained-on = \(trainedOn.replacingOccurrences(of: "\n", with: " "))\n"
        header += "sentence-flag = \(sentenceFlagThreshold)\nsentence-candidate = \(sentenceCandidateThreshold)\n"
        header += "sentence-veto = \(sentenceVetoThreshold)\n"
        header += "override-flag = \(overrideFlagThreshold.map { "\($0)" } ?? "none")\ntables\n"
        var bytes = Array(header.utf8)
        for value in weights + [bias] + categoryWeights + categoryBias {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    public func write(to path: String) throws(PromiseModelError) {
        do { try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw PromiseModelError(file: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}

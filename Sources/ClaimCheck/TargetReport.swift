import ClaimFetch
import ClaimPage
import ClaimText
import Foundation

/// What `check` learned about one target: where it came from, how it was
/// read, and what was found. Encoded as one JSON Lines object per target.
public struct TargetReport: Sendable {
    public enum Kind: String, Sendable, Codable { case url, file, stdin }

    public var target: String
    public var kind: Kind
    public var finalURL: String?
    public var status: Int?
    public var redirects: [RedirectHop] = []
    public var serverIP: String?
    /// The final response's headers, in order.
    public var headers: [ResponseHeader] = []
    public var contentType: String?
    /// `html` or `text`; nil when nothing was read.
    public var parsedAs: String?
    public var charset: CharsetDecision?
    public var sha256: String?
    public var fetchedAt: Date?
    public var byteCount: Int?
    public var findings: [ReportedFinding] = []
    public var suppressed: [ReportedFinding] = []
    /// Why the target could not be read (or read completely); nil when it was.
    public var error: String?
    /// Machine-readable kind of `error` (a fetch error kind, `http-status`, `unsupported-content`, `read`).
    public var errorKind: String?

    public init(target: String, kind: Kind) {
        self.target = target
        self.kind = kind
    }
}

/// A finding as reported: the matcher's finding plus the raw-byte evidence.
public struct ReportedFinding: Sendable {
    public var finding: Finding
    /// `raw_bytes[byteStart..<byteEnd]` decoded with the chosen charset: the
    /// source exactly as on the page (markup and character references included).
    public var text: String
    /// 1-based line of `byteStart` in the raw page.
    public var line: Int
    /// Why it was suppressed (only for suppressed matches).
    public var reason: String?
}

// MARK: - JSON

extension TargetReport {
    /// One JSON object (no newline), keys in a stable documented order.
    public func jsonLine() -> String {
        var o = JSONObject()
        o["target"] = .string(target)
        o["kind"] = .string(kind.rawValue)
        o["final_url"] = finalURL.map(JSONValue.string) ?? .null
        o["status"] = status.map { .int($0) } ?? .null
        o["redirects"] = .array(redirects.map { hop in
            var h = JSONObject()
            h["url"] = .string(hop.url); h["status"] = .int(hop.status); h["location"] = .string(hop.location)
            return .object(h)
        })
        o["server_ip"] = serverIP.map(JSONValue.string) ?? .null
        o["headers"] = .array(headers.map { h in
            var j = JSONObject()
            j["name"] = .string(h.name); j["value"] = .string(h.value)
            return .object(j)
        })
        o["content_type"] = contentType.map(JSONValue.string) ?? .null
        o["parsed_as"] = parsedAs.map(JSONValue.string) ?? .null
        if let c = charset {
            var j = JSONObject()
            j["chosen"] = .string(c.chosen)
            j["header"] = c.header.map(JSONValue.string) ?? .null
            j["meta"] = c.meta.map(JSONValue.string) ?? .null
            j["bom"] = c.bom.map(JSONValue.string) ?? .null
            j["detected"] = c.detected.map(JSONValue.string) ?? .null
            j["confidence"] = c.confidence.map { .int($0) } ?? .null
            j["undecodable_bytes"] = .int(c.undecodableBytes)
            j["ignored_labels"] = .array(c.ignoredLabels.map(JSONValue.string))
            j["reason"] = .string(c.reason)
            o["charset"] = .object(j)
        } else {
            o["charset"] = .null
        }
        o["sha256"] = sha256.map(JSONValue.string) ?? .null
        o["fetched_at"] = fetchedAt.map { .string(TargetReport.timestamp($0)) } ?? .null
        o["bytes"] = byteCount.map { .int($0) } ?? .null
        o["findings"] = .array(findings.map { .object($0.json()) })
        o["suppressed"] = .array(suppressed.map { .object($0.json()) })
        o["error"] = error.map(JSONValue.string) ?? .null
        o["error_kind"] = errorKind.map(JSONValue.string) ?? .null
        return JSONValue.object(o).serialized
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

extension ReportedFinding {
    func json() -> JSONObject {
        let f = finding
        var o = JSONObject()
        o["rule"] = .string(f.rule.id)
        o["category"] = .string(f.rule.category.rawValue)
        o["severity"] = .string(f.severity.rawValue)
        o["rule_severity"] = .string(f.rule.severity.rawValue)
        o["basis"] = .string(f.rule.basis)
        o["description"] = .string(f.rule.description)
        o["text"] = .string(text)
        o["visible_text"] = .string(f.visibleText)
        o["phrase"] = .string(f.phrase)
        o["byte_start"] = .int(f.byteStart)
        o["byte_end"] = .int(f.byteEnd)
        o["line"] = .int(line)
        o["context"] = .string(f.context)
        o["location"] = .string(f.location.rawValue)
        o["normalizations"] = .array(f.normalizations.names.map(JSONValue.string))
        o["pattern"] = .string(f.pattern)
        if let model = f.model {
            var m = JSONObject()
            m["score"] = .raw(String(format: "%.3f", model.score))
            m["cues"] = .array(model.cues.map(JSONValue.string))
            o["model"] = .object(m)
        }
        if let reason { o["reason"] = .string(reason) }
        return o
    }
}

/// A minimal ordered JSON writer: keys stay in the order they were set, and
/// Chinese text is written as UTF-8, not escaped.
public struct JSONObject: Sendable {
    var keys: [String] = []
    var values: [String: JSONValue] = [:]
    public init() {}
    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if values[key] == nil { keys.append(key) }
            values[key] = newValue
        }
    }
}

public indirect enum JSONValue: Sendable {
    case string(String), int(Int), double(Double), bool(Bool), null
    case array([JSONValue]), object(JSONObject)
    /// Already-serialized JSON, written as it is.
    case raw(String)

    public var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(format: "%.4f", d) : "null"
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .raw(let json): out += json
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() { if i > 0 { out += "," }; item.write(to: &out) }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, key) in o.keys.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(key, to: &out)
                out += ":"
                o.values[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 || (0xD800...0xDFFF).contains(scalar.value) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which non-public (private, loopback, link-local, reserved, …) addresses a fetch may connect to.
public enum PrivateNetworkAccess: Sendable, Hashable {
    /// Refuse every address that is not a public unicast address (the default).
    case deny
    /// Allow every address, public or not (`--allow-private-network`).
    case allowAll
    /// Allow these IP literals (in any textual form) besides public addresses; meant for tests.
    case allow(Set<String>)

    /// Whether a connection to `ipLiteral` is permitted.
    ///
    /// - Returns: `nil` when allowed, otherwise the classifier's reason (e.g. `"loopback"`).
    public func refusalReason(for ipLiteral: String) -> String? {
        guard let reason = AddressClassifier.nonPublicReason(ipLiteral) else { return nil }
        switch self {
        case .deny:
            return reason
        case .allowAll:
            return nil
        case .allow(let allowed):
            let canonical = AddressClassifier.canonical(ipLiteral) ?? ipLiteral
            let allowedCanonical = allowed.map { AddressClassifier.canonical($0) ?? $0 }
            return allowedCanonical.contains(canonical) ? nil : reason
        }
    }
}

/// Classifies IP literals as public or not, with a short human reason for the latter.
///
/// Pure functions, no I/O. IPv4-mapped (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::/96`) and
/// 6to4 (`2002::/16`) IPv6 addresses are judged by the IPv4 address they embed.
public enum AddressClassifier {
    /// Whether `ipLiteral` is a public (globally routable unicast) address.
    ///
    /// Anything that is not a valid IPv4 or IPv6 literal is not public.
    public static func isPublic(_ ipLiteral: String) -> Bool {
        nonPublicReason(ipLiteral) == nil
    }

    /// Why `ipLiteral` is not public (`"loopback"`, `"private (RFC 1918)"`, …), or `nil` if it is public.
    ///
    /// Accepts dotted-quad IPv4 and IPv6 (optionally in brackets, optionally with a `%zone`).
    public static func nonPublicReason(_ ipLiteral: String) -> String? {
        switch parse(ipLiteral) {
        case .v4(let a): return reasonV4(a)
        case .v6(let b): return reasonV6(b)
        case nil: return "not an IP address"
        }
    }

    /// The canonical text (as `inet_ntop` writes it) of an IP literal, or `nil` if it is not one.
    public static func canonical(_ ipLiteral: String) -> String? {
        switch parse(ipLiteral) {
        case .v4(let a):
            return "\(a >> 24).\((a >> 16) & 0xff).\((a >> 8) & 0xff).\(a & 0xff)"
        case .v6(let bytes):
            var addr = in6_addr()
            withUnsafeMutableBytes(of: &addr) { raw in
                for i in 0..<16 { raw[i] = bytes[i] }
            }
            var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &addr, &buf, socklen_t(buf.count)) != nil else { return nil }
            return buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        case nil:
            return nil
        }
    }

    /// Whether `host` (as found in a URL, IPv6 possibly in brackets) is an IP literal.
    static func isIPLiteral(_ host: String) -> Bool {
        parse(host) != nil
    }

    // MARK: - Parsing

    enum Parsed: Equatable {
        case v4(UInt32)
        case v6([UInt8])
    }

    static func parse(_ literal: String) -> Parsed? {
        var text = Substring(literal)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        let s = String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 {
            return .v4(UInt32(bigEndian: v4.s_addr))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, s, &v6) == 1 {
            return .v6(withUnsafeBytes(of: v6) { Array($0) })
        }
        return nil
    }

    // MARK: - IPv4

    /// (network, prefix length, reason), checked in order.
    private static let v4Ranges: [(net: UInt32, length: Int, reason: String)] = [
        (0xFFFF_FFFF, 32, "broadcast"),
        (0x0000_0000, 8, "\"this\" network"),
        (0x0A00_0000, 8, "private (RFC 1918)"),
        (0x6440_0000, 10, "CGNAT"),
        (0x7F00_0000, 8, "loopback"),
        (0xA9FE_0000, 16, "link-local"),
        (0xAC10_0000, 12, "private (RFC 1918)"),
        (0xC000_0000, 24, "reserved (IETF protocol assignments)"),
        (0xC000_0200, 24, "documentation"),
        (0xC0A8_0000, 16, "private (RFC 1918)"),
        (0xC612_0000, 15, "reserved (benchmarking)"),
        (0xC633_6400, 24, "documentation"),
        (0xCB00_7100, 24, "documentation"),
        (0xE000_0000, 4, "multicast"),
        (0xF000_0000, 4, "reserved"),
    ]

    static func reasonV4(_ a: UInt32) -> String? {
        for range in v4Ranges {
            let mask: UInt32 = ~UInt32(0) << UInt32(32 - range.length)
            if a & mask == range.net { return range.reason }
        }
        return nil
    }

    // MARK: - IPv6

    static func reasonV6(_ b: [UInt8]) -> String? {
        precondition(b.count == 16)
        func embeddedV4(at i: Int) -> UInt32 {
            UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
        }
        func hasPrefix(_ bytes: [UInt8]) -> Bool { b.starts(with: bytes) }

        let firstTenZero = b[0..<10].allSatisfy { $0 == 0 }
        if b.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "loopback" }
        // ::ffff:a.b.c.d — IPv4-mapped: judge the IPv4 address.
        if firstTenZero && b[10] == 0xff && b[11] == 0xff {
            return reasonV4(embeddedV4(at: 12)).map { "\($0), IPv4-mapped" }
        }
        // ::a.b.c.d — deprecated IPv4-compatible.
        if firstTenZero && b[10] == 0 && b[11] == 0 { return "reserved (IPv4-compatible)" }
        // 64:ff9b::/96 — NAT64 well-known prefix: judge the embedded IPv4 address.
        if hasPrefix([0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]) {
            return reasonV4(embeddedV4(at: 12)).map { "\($0), NAT64" }
        }
        // 64:ff9b:1::/48 — local-use NAT64.
        if hasPrefix([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01]) { return "reserved (local-use NAT64)" }
        // 2002::/16 — 6to4: judge the embedded IPv4 address.
        if hasPrefix([0x20, 0x02]) {
            return reasonV4(embeddedV4(at: 2)).map { "\($0), 6to4" }
        }
        if hasPrefix([0x20, 0x01, 0x0d, 0xb8]) { return "documentation" }
        if b[0] & 0xfe == 0xfc { return "unique local" }
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return "link-local" }
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return "reserved (site-local)" }
        if b[0] == 0xff { return "multicast" }
        // Only 2000::/3 is allocated for global unicast.
        if b[0] & 0xe0 != 0x20 { return "reserved" }
        return nil
    }
}

import Testing
@testable import ClaimFetch

/// Pure classification, no traffic.
@Suite struct AddressClassifierTests {
    @Test(arguments: [
        ("0.0.0.0", "\"this\" network"), ("0.255.1.2", "\"this\" network"),
        ("10.0.0.1", "private (RFC 1918)"), ("10.255.255.255", "private (RFC 1918)"),
        ("100.64.0.1", "CGNAT"), ("100.127.255.254", "CGNAT"),
        ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"),
        ("169.254.169.254", "link-local"),
        ("172.16.0.1", "private (RFC 1918)"), ("172.31.255.255", "private (RFC 1918)"),
        ("192.0.0.8", "reserved (IETF protocol assignments)"),
        ("192.0.2.1", "documentation"),
        ("192.168.1.1", "private (RFC 1918)"),
        ("198.18.0.1", "reserved (benchmarking)"), ("198.19.255.255", "reserved (benchmarking)"),
        ("198.51.100.7", "documentation"),
        ("203.0.113.9", "documentation"),
        ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"), ("254.1.2.3", "reserved"),
        ("255.255.255.255", "broadcast"),
    ])
    func nonPublicIPv4(address: String, reason: String) {
        #expect(AddressClassifier.nonPublicReason(address) == reason)
        #expect(!AddressClassifier.isPublic(address))
    }

    @Test(arguments: [
        "1.1.1.1", "8.8.8.8", "223.5.5.5", "114.114.114.114",
        // Just outside the ranges above.
        "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
        "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0",
        "203.0.112.255", "203.0.114.0", "223.255.255.255",
    ])
    func publicIPv4(address: String) {
        #expect(AddressClassifier.nonPublicReason(address) == nil)
        #expect(AddressClassifier.isPublic(address))
    }

    @Test(arguments: [
        ("::", "unspecified"),
        ("::1", "loopback"), ("[::1]", "loopback"),
        ("fc00::1", "unique local"), ("fd12:3456::1", "unique local"),
        ("fe80::1", "link-local"), ("fe80::1%eth0", "link-local"), ("febf::1", "link-local"),
        ("ff02::1", "multicast"), ("ff0e::101", "multicast"),
        ("2001:db8::1", "documentation"), ("2001:db8:ffff::1", "documentation"),
        ("::ffff:127.0.0.1", "loopback, IPv4-mapped"), ("::ffff:10.1.2.3", "private (RFC 1918), IPv4-mapped"),
        ("::ffff:7f00:1", "loopback, IPv4-mapped"),
        ("64:ff9b::127.0.0.1", "loopback, NAT64"), ("64:ff9b::c0a8:101", "private (RFC 1918), NAT64"),
        ("64:ff9b::a9fe:a9fe", "link-local, NAT64"),
        ("2002:7f00:1::1", "loopback, 6to4"),
        ("::127.0.0.1", "reserved (IPv4-compatible)"),
        ("fec0::1", "reserved (site-local)"),
        ("100::1", "reserved"),
    ])
    func nonPublicIPv6(address: String, reason: String) {
        #expect(AddressClassifier.nonPublicReason(address) == reason)
        #expect(!AddressClassifier.isPublic(address))
    }

    @Test(arguments: [
        "2400:3200::1", "2606:4700:4700::1111", "2001:4860:4860::8888",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:db9::1", "2fff::1",
    ])
    func publicIPv6(address: String) {
        #expect(AddressClassifier.nonPublicReason(address) == nil)
    }

    @Test(arguments: ["localhost", "example.com", "", "1.2.3", "127.1", "0x7f.0.0.1", "::g", "1.2.3.4.5"])
    func nonLiteralsAreNotPublic(text: String) {
        #expect(AddressClassifier.nonPublicReason(text) == "not an IP address")
        #expect(!AddressClassifier.isPublic(text))
    }

    @Test func canonicalForms() {
        #expect(AddressClassifier.canonical("[0:0:0:0:0:0:0:1]") == "::1")
        #expect(AddressClassifier.canonical("127.000.0.1") == nil)  // inet_pton rejects leading zeros
        #expect(AddressClassifier.canonical("10.0.0.1") == "10.0.0.1")
        #expect(AddressClassifier.canonical("host") == nil)
    }

    @Test func policyAllowList() {
        let allow = PrivateNetworkAccess.allow(["127.0.0.1", "::1"])
        #expect(allow.refusalReason(for: "127.0.0.1") == nil)
        #expect(allow.refusalReason(for: "0:0::1") == nil)
        #expect(allow.refusalReason(for: "127.0.0.2") == "loopback")
        #expect(allow.refusalReason(for: "8.8.8.8") == nil)
        #expect(PrivateNetworkAccess.deny.refusalReason(for: "127.0.0.1") == "loopback")
        #expect(PrivateNetworkAccess.deny.refusalReason(for: "8.8.8.8") == nil)
        #expect(PrivateNetworkAccess.allowAll.refusalReason(for: "10.0.0.1") == nil)
    }
}

import Testing
@testable import ClaimCrawl

@Suite struct URLNormalizerTests {
    static let table: [(String, String?, String?)] = [
        // (input, base, expected)
        ("HTTP://Example.COM", nil, "http://example.com/"),
        ("http://example.com:80/a", nil, "http://example.com/a"),
        ("https://example.com:443/a", nil, "https://example.com/a"),
        ("http://example.com:8080/a", nil, "http://example.com:8080/a"),
        ("http://example.com/a#frag", nil, "http://example.com/a"),
        ("http://example.com/a/./b/../c", nil, "http://example.com/a/c"),
        ("http://example.com/a/b/..", nil, "http://example.com/a/"),
        ("http://example.com/../../x", nil, "http://example.com/x"),
        ("http://example.com/%7euser/%41b", nil, "http://example.com/~user/Ab"),
        ("http://example.com/a%2fb%3A", nil, "http://example.com/a%2Fb%3A"),
        ("http://example.com/a b", nil, "http://example.com/a%20b"),
        ("http://example.com/%zz", nil, "http://example.com/%25zz"),
        ("http://example.com/%2E%2E/x", nil, "http://example.com/x"),
        ("http://example.com/考试/报名", nil, "http://example.com/%E8%80%83%E8%AF%95/%E6%8A%A5%E5%90%8D"),
        ("http://example.com/s?q=考试&b=1", nil, "http://example.com/s?q=%E8%80%83%E8%AF%95&b=1"),
        ("http://example.com/s?", nil, "http://example.com/s"),
        ("http://example.com?x=1", nil, "http://example.com/?x=1"),
        ("http://user:pw@example.com/", nil, "http://example.com/"),
        ("http://example.com./a", nil, "http://example.com/a"),
        ("http://中国.cn/", nil, "http://xn--fiqs8s.cn/"),
        ("http://例子。中国/", nil, "http://xn--fsqu00a.xn--fiqs8s/"),
        ("  http://example.com/a\n\tb  ", nil, "http://example.com/ab"),
        ("http:\\\\example.com\\a\\b", nil, "http://example.com/a/b"),
        ("http://[::1]:8080/", nil, "http://[::1]:8080/"),
        // relative references
        ("b", "http://example.com/a/x.html", "http://example.com/a/b"),
        ("../b", "http://example.com/a/c/x.html", "http://example.com/a/b"),
        ("/b?x=1#y", "http://example.com/a/x.html", "http://example.com/b?x=1"),
        ("?p=2", "http://example.com/list?p=1", "http://example.com/list?p=2"),
        ("#top", "http://example.com/a?x", "http://example.com/a?x"),
        ("//other.org/p", "https://example.com/a", "https://other.org/p"),
        ("", "http://example.com/a?x", "http://example.com/a?x"),
        ("./", "http://example.com/a/b", "http://example.com/a/"),
        // not http(s), or invalid
        ("mailto:a@b.c", "http://example.com/", nil),
        ("javascript:void(0)", "http://example.com/", nil),
        ("ftp://example.com/", nil, nil),
        ("http://example.com:99999/", nil, nil),
        ("http:///nohost", nil, "http://nohost/"),  // as browsers read it
        ("http://", nil, nil),
        ("http://exa mple.com/", nil, nil),
        ("relative/only", nil, nil),
    ]

    @Test(arguments: 0..<table.count)
    func normalizes(_ i: Int) {
        let (input, base, expected) = Self.table[i]
        #expect(URLNormalizer.normalize(input, relativeTo: base) == expected, "\(input) against \(base ?? "-")")
    }

    @Test func idempotent() {
        for (input, base, _) in Self.table {
            guard let once = URLNormalizer.normalize(input, relativeTo: base) else { continue }
            #expect(URLNormalizer.normalize(once) == once)
        }
    }

    @Test func scopeKeyIgnoresWWWAndScheme() throws {
        let a = try #require(URLNormalizer.parse("https://www.Example.com/x"))
        let b = try #require(URLNormalizer.parse("http://example.com/y"))
        let c = try #require(URLNormalizer.parse("http://example.com:8080/y"))
        #expect(a.scopeKey == b.scopeKey)
        #expect(a.scopeKey != c.scopeKey)
        #expect(a.origin == "https://www.example.com")
    }
}

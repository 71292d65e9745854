/// `[rule …]` sections that the tests' small lexicons share (interpolated into their text).
enum TestRules {
    /// A rule section; `more` holds extra `key = value` lines (`exclude = …`).
    static func rule(_ id: String, category: String, description: String, pattern: String,
                     match: String, nomatch: String, more: String = "") -> String {
        """
        [rule \(id)]
        category = \(category)
        severity = high
        basis = 广告法第二十四条第（一）项
        description = \(description)
        pattern = \(pattern)\(more.isEmpty ? "" : "\n" + more)
        match = \(match)
        nomatch = \(nomatch)
        """
    }

    /// `t.bao-guo`: 包过 (and by default 保过), the rule most tests match against.
    static func baoGuo(pattern: String = "包过 | 保过") -> String {
        rule("t.bao-guo", category: "pass-guarantee", description: "宣称包过", pattern: pattern, match: "本班包过", nomatch: "打包过程")
    }
}

/// A rule file that parses but does not compile: its pattern holds a full stop, which a
/// phrase never spans (`x.rules:6`). For tests of how a broken lexicon is reported.
public let brokenRuleFile = """
[rule x.broken]
category = pass-guarantee
severity = high
basis = 广告法第二十四条第（一）项
description = 坏
pattern = 包过。退费
match = 包过
nomatch = 包裹
"""

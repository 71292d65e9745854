import Testing
@testable import ClaimCrawl

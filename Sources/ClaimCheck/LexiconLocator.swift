import Foundation

/// Finds the default lexicon, so the built binary works from any directory.
///
/// Order: `$CLAIMSCAN_LEXICON`; `<bin>/../share/claimscan/lexicons` (an
/// installed layout); `lexicons/` next to the binary or up to four folders
/// above it (a checkout's `.build/<config>/claimscan`); the source tree the
/// binary was built from.
public enum LexiconLocator {
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["CLAIMSCAN_LEXICON"], !path.isEmpty { return path }
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let bin = exe.deletingLastPathComponent()
            candidates.append(bin.appendingPathComponent("../share/claimscan/lexicons").standardized)
            var dir = bin
            for _ in 0..<5 {
                candidates.append(dir.appendingPathComponent("lexicons"))
                dir = dir.deletingLastPathComponent()
            }
        }
        let sourceTree = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lexicons")
        candidates.append(sourceTree)
        for url in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
               let names = try? FileManager.default.contentsOfDirectory(atPath: url.path),
               names.contains(where: { $0.hasSuffix(".rules") }) {
                return url.path
            }
        }
        return nil
    }
}

import Foundation

/// Test helpers that shell out to system tools.
public enum TestTools {
    /// `bytes` compressed with `/bin/gzip -c` (via a temporary file, so large inputs cannot deadlock a pipe).
    public static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("claimscan-gzip-\(UUID().uuidString)")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", input.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = readAll(output.fileHandleForReading)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LoopbackServerError("gzip exited with status \(process.terminationStatus)")
        }
        return [UInt8](data)
    }
}

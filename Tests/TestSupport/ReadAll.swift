import Foundation

/// Reads a pipe or file to its end with read(2), retrying when a signal
/// interrupts the call (Foundation's readDataToEndOfFile traps on EINTR, which
/// happens when child processes exit while tests run).
public func readAll(_ handle: FileHandle) -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    let fd = handle.fileDescriptor
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 { data.append(contentsOf: buffer[0..<n]); continue }
        if n < 0 && errno == EINTR { continue }
        return data
    }
}

/// Reads two pipes to their ends at once (a child that fills one while we wait
/// on the other would otherwise block forever).
public func readBoth(_ first: FileHandle, _ second: FileHandle) -> (Data, Data) {
    final class Box: @unchecked Sendable { var data = Data() }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Thread { box.data = readAll(second); done.signal() }.start()
    let a = readAll(first)
    done.wait()
    return (a, box.data)
}

import CZlib

/// Errors from reading or writing WARC files.
public enum WARCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The gzip member starting at `offset` ends before its end-of-stream marker (a torn write).
    case truncatedMember(offset: Int64)
    /// The bytes at `offset` are not a valid gzip member (zlib's message).
    case corruptMember(offset: Int64, message: String)
    /// The member at `offset` inflated, but its content is not a WARC record.
    case malformedRecord(offset: Int64, reason: String)
    /// A system call failed (errno).
    case io(operation: String, path: String, errno: Int32)
    /// zlib failed while compressing.
    case compression(code: Int32)
    /// The writer was used after `close()`.
    case closed

    public var description: String {
        switch self {
        case .truncatedMember(let o): return "truncated gzip member at offset \(o)"
        case .corruptMember(let o, let m): return "corrupt gzip member at offset \(o): \(m)"
        case .malformedRecord(let o, let r): return "malformed WARC record at offset \(o): \(r)"
        case .io(let op, let p, let e): return "\(op) \(p): errno \(e)"
        case .compression(let c): return "zlib deflate failed (\(c))"
        case .closed: return "WARC writer is closed"
        }
    }
}

enum Gzip {
    /// Compresses `input` into one complete gzip member.
    static func member(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var stream = z_stream()
        guard cs_deflate_init_gzip(&stream, level) == Z_OK else { throw WARCError.compression(code: Z_STREAM_ERROR) }
        defer { deflateEnd(&stream) }
        // deflateBound does not count the gzip header/trailer beyond its own margin; add slack.
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        var rc: Int32 = Z_OK
        var produced = 0
        input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                rc = deflate(&stream, Z_FINISH)
                produced = outBuf.count - Int(stream.avail_out)
            }
        }
        guard rc == Z_STREAM_END else { throw WARCError.compression(code: rc) }
        output.removeSubrange(produced...)
        return output
    }

    /// Inflates the single gzip member that starts at `input[start]`.
    /// Returns the decompressed bytes and how many compressed bytes the member occupied.
    /// `fileOffset` is only used in error values.
    static func inflateMember(_ input: UnsafeBufferPointer<UInt8>, start: Int, fileOffset: Int64) throws -> (output: [UInt8], consumed: Int) {
        var stream = z_stream()
        guard cs_inflate_init_gzip(&stream) == Z_OK else {
            throw WARCError.corruptMember(offset: fileOffset, message: "inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        let available = input.count - start
        guard available > 0 else { throw WARCError.truncatedMember(offset: fileOffset) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + start)
        stream.avail_in = uInt(available)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var rc: Int32 = Z_OK
            var produced = 0
            chunk.withUnsafeMutableBufferPointer { buf in
                stream.next_out = buf.baseAddress
                stream.avail_out = uInt(buf.count)
                rc = inflate(&stream, Z_NO_FLUSH)
                produced = buf.count - Int(stream.avail_out)
            }
            output.append(contentsOf: chunk[0..<produced])
            switch rc {
            case Z_STREAM_END:
                return (output, Int(stream.total_in))
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw WARCError.truncatedMember(offset: fileOffset)
            case Z_BUF_ERROR:
                continue
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw WARCError.corruptMember(offset: fileOffset, message: message)
            }
        }
    }
}

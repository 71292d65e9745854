import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// State of one hop's transfer, shared with the libcurl callbacks through an `Unmanaged` pointer.
///
/// Used by one thread at a time (the one running `curl_easy_perform`), hence not `Sendable`.
final class TransferContext {
    let maxBodyBytes: Int
    let access: PrivateNetworkAccess
    /// CURLOPT_ERRORBUFFER storage (CURL_ERROR_SIZE bytes).
    let errorBuffer: UnsafeMutablePointer<CChar>

    var body: [UInt8] = []
    var bodyLimitHit = false
    var headers: [ResponseHeader] = []
    /// Set when the open-socket callback refused an address.
    var refusedAddress: (ip: String, reason: String)?
    /// The request head(s) curl sent, captured by ``debug`` when the handle is configured for it.
    var requestHead: [UInt8] = []

    init(maxBodyBytes: Int, access: PrivateNetworkAccess) {
        self.maxBodyBytes = maxBodyBytes
        self.access = access
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorBuffer.deallocate() }

    /// Clears everything a previous hop left behind.
    func reset() {
        body = []
        bodyLimitHit = false
        headers = []
        refusedAddress = nil
        requestHead = []
        errorBuffer.update(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    var errorText: String { String(cString: errorBuffer) }

    static func from(_ pointer: UnsafeMutableRawPointer) -> TransferContext {
        Unmanaged<TransferContext>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: - Callbacks

    /// CURLOPT_WRITEFUNCTION: appends decoded body bytes, aborting (return 0) past the limit.
    static let write: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, userdata in
        guard let userdata else { return 0 }
        let context = TransferContext.from(userdata)
        let length = size * count
        if context.body.count + length > context.maxBodyBytes {
            context.bodyLimitHit = true
            return 0
        }
        if let data, length > 0 {
            context.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
        }
        return length
    }

    /// CURLOPT_HEADERFUNCTION: one header line per call; a status line starts a new block.
    static let header: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, userdata in
        guard let userdata else { return 0 }
        let context = TransferContext.from(userdata)
        let length = size * count
        guard let data, length > 0 else { return length }
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        context.receiveHeaderLine(bytes)
        return length
    }

    /// CURLOPT_DEBUGFUNCTION: keeps the request head (CURLINFO_HEADER_OUT) of the last request sent.
    static let debug: @convention(c) (UnsafeMutableRawPointer?, curl_infotype, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = {
        _, type, data, size, userdata in
        guard type == CURLINFO_HEADER_OUT, let userdata, let data, size > 0 else { return 0 }
        let context = TransferContext.from(userdata)
        let bytes = UnsafeRawBufferPointer(start: data, count: size)
        // A new request line (redirect followed by curl, retry on a reused connection) replaces the old head.
        if context.requestHead.count >= 4, context.requestHead.suffix(4).elementsEqual([13, 10, 13, 10]) {
            context.requestHead = []
        }
        context.requestHead.append(contentsOf: bytes)
        return 0
    }

    /// CURLOPT_OPENSOCKETFUNCTION: checks the resolved address against the policy, then creates the socket.
    static let openSocket: @convention(c) (UnsafeMutableRawPointer?, curlsocktype, UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t = {
        clientp, _, address in
        guard let clientp, let address else { return CURL_SOCKET_BAD }
        let context = TransferContext.from(clientp)
        let family = address.pointee.family
        guard let ip = TransferContext.ipString(address) else {
            context.refusedAddress = ("(address family \(family))", "not an IP address")
            return CURL_SOCKET_BAD
        }
        if let reason = context.access.refusalReason(for: ip) {
            if context.refusedAddress == nil { context.refusedAddress = (ip, reason) }
            return CURL_SOCKET_BAD
        }
        // Close-on-exec, so that a child process (e.g. a spawned tool) never inherits the connection.
        #if canImport(Glibc)
        let socktype = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let socktype = address.pointee.socktype
        #endif
        return socket(family, socktype, address.pointee.protocol)
    }

    /// The numeric text of the address in a `curl_sockaddr`, for AF_INET and AF_INET6 only.
    static func ipString(_ address: UnsafeMutablePointer<curl_sockaddr>) -> String? {
        // `addr` is declared as a 16-byte `struct sockaddr` but curl stores the full
        // sockaddr_in6 there; read it in place, never by copying the field.
        guard let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) else { return nil }
        let raw = UnsafeMutableRawPointer(address).advanced(by: offset)
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch address.pointee.family {
        case AF_INET:
            var sin = raw.loadUnaligned(as: sockaddr_in.self)
            guard inet_ntop(AF_INET, &sin.sin_addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        case AF_INET6:
            var sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
            guard inet_ntop(AF_INET6, &sin6.sin6_addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        default:
            return nil
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = String(validating: bytes, as: UTF8.self)
            ?? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        while let last = line.unicodeScalars.last, last == "\r" || last == "\n" {
            line.unicodeScalars.removeLast()
        }
        if line.hasPrefix("HTTP/") {
            headers = []  // a new response (redirect hop, 100-continue, …) starts here
            return
        }
        if line.isEmpty { return }
        if let first = line.unicodeScalars.first, first == " " || first == "\t", !headers.isEmpty {
            // Obsolete line folding: continue the previous header's value.
            headers[headers.count - 1].value += " " + line.trimmed
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmed
        let value = String(line[line.index(after: colon)...]).trimmed
        headers.append(ResponseHeader(name: name, value: value))
    }
}

extension String {
    var trimmed: String {
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, f == " " || f == "\t" { scalars.removeFirst() }
        while let l = scalars.last, l == " " || l == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

import Foundation
import PostgresNIO

/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`
/// (also `postgresql://`). The password may instead come from `$PGPASSWORD`.
/// TLS: `sslmode` as libpq spells it; without it, `disable` on loopback hosts and
/// `prefer` elsewhere.
public struct PostgresURL: Sendable, Equatable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslmode: String

    public init(_ text: String) throws {
        func bad(_ why: String) -> PostgresStoreError {
            PostgresStoreError(kind: .badURL, url: Self.redact(text), detail: why)
        }
        guard PostgresStore.isURL(text) else { throw bad("expected postgres://user@host[:port]/database") }
        guard let c = URLComponents(string: text) else { throw bad("not a valid URL") }
        guard let host = c.host, !host.isEmpty else { throw bad("no host (postgres://user@host/database)") }
        guard let user = c.user, !user.isEmpty else { throw bad("no user name (postgres://user@host/database)") }
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        guard !path.isEmpty, !path.contains("/") else { throw bad("no database name (postgres://user@host/database)") }
        if let port = c.port, !(1...65535).contains(port) { throw bad("port \(port) is out of range") }
        self.user = user.removingPercentEncoding ?? user
        self.password = c.password.map { $0.removingPercentEncoding ?? $0 }
            ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        self.host = host
        self.port = c.port ?? 5432
        self.database = path.removingPercentEncoding ?? path
        let loopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
        var sslmode = loopback ? "disable" : "prefer"
        for item in c.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let v = item.value, ["disable", "prefer", "require"].contains(v) else {
                    throw bad("sslmode must be disable, prefer or require")
                }
                sslmode = v
            default:
                throw bad("unknown parameter \(item.name) (only sslmode is understood)")
            }
        }
        self.sslmode = sslmode
    }

    /// The URL (with its password, if it had one).
    public var text: String {
        var c = URLComponents()
        c.scheme = "postgres"
        c.user = user
        c.password = password
        c.host = host
        c.port = port
        c.path = "/" + database
        if sslmode != "disable" { c.queryItems = [URLQueryItem(name: "sslmode", value: sslmode)] }
        return c.string ?? "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// For messages: no password.
    public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    static func redact(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "***"
        return c.string ?? text
    }

    func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var config = PostgresConnection.Configuration(
            host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port,
            username: user, password: password, database: database, tls: tls)
        config.options.connectTimeout = .seconds(10)
        return config
    }
}

/// The PostgreSQL database cannot be used: bad URL, unreachable, refused, too new.
/// One line, naming the server (never the password), saying what to do.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case badURL, unreachable, authentication, noDatabase, newerSchema, closed, database
    }
    public var kind: Kind
    public var url: String
    public var detail: String

    public init(kind: Kind, url: String, detail: String) {
        self.kind = kind
        self.url = url
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .badURL: "\(url): not a usable PostgreSQL URL: \(detail)"
        case .unreachable: "\(url): cannot reach the PostgreSQL server (\(detail)); check host, port and that it is running"
        case .authentication: "\(url): the PostgreSQL server refused the login (\(detail)); check user and password ($PGPASSWORD)"
        case .noDatabase: "\(url): \(detail); create it first (createdb), or fix the URL"
        case .newerSchema: "\(url): the case database was written by a newer version of claimscan (\(detail)); use that version"
        case .closed: "\(url): \(detail)"
        case .database: "\(url): database error: \(detail)"
        }
    }

    /// SQLSTATE of a server error.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// The connection itself failed (refused, reset, closed): nothing the server decided.
    static func isConnectionLevel(_ error: any Error) -> Bool {
        if let e = error as? PSQLError {
            if e.serverInfo != nil { return false }
            return [.connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection,
                    .messageDecodingFailure, .unexpectedBackendMessage].contains(e.code)
        }
        if error is PostgresNoAnswer { return true }
        if error is PostgresStoreError { return false }
        // NIO socket errors (connection refused, reset) and channel errors.
        return error is IOError || error is ChannelError || String(describing: type(of: error)).contains("NIOConnectionError")
    }

    /// Worth running the transaction again: a lost connection, the server shutting down or
    /// starting up, a serialization failure or deadlock.
    static func isTransient(_ error: any Error) -> Bool {
        if isConnectionLevel(error) { return true }
        guard let state = sqlState(error) else { return false }
        return ["40001", "40P01", "57P01", "57P02", "57P03", "53300"].contains(state) || state.hasPrefix("08")
    }

    static func from(_ error: any Error, url: PostgresURL) -> any Error {
        if error is PostgresStoreError { return error }
        if let e = error as? PSQLError {
            if let info = e.serverInfo {
                let message = info[.message] ?? "error"
                let state = info[.sqlState] ?? ""
                switch state {
                case "28P01", "28000":
                    return PostgresStoreError(kind: .authentication, url: url.redacted, detail: message)
                case "3D000":
                    return PostgresStoreError(kind: .noDatabase, url: url.redacted, detail: message)
                default:
                    return PostgresStoreError(kind: .database, url: url.redacted, detail: "\(message) [\(state)]")
                }
            }
            if e.code == .authMechanismRequiresPassword {
                return PostgresStoreError(kind: .authentication, url: url.redacted, detail: "the server wants a password")
            }
            let underlying = e.underlying.map { "\($0)" } ?? "\(e.code)"
            return PostgresStoreError(kind: .unreachable, url: url.redacted, detail: underlying)
        }
        if isConnectionLevel(error) {
            return PostgresStoreError(kind: .unreachable, url: url.redacted, detail: "\(error)")
        }
        return error
    }
}

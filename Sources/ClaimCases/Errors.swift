import Foundation
import GRDB

/// A problem with the database file itself: damaged, in use, unreadable.
/// The description names the file and says what to do.
public struct CaseStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Not an SQLite database, or corrupt.
        case damaged
        /// Another process holds a lock longer than the busy timeout.
        case inUse
        /// The file cannot be opened or created (missing directory, permissions).
        case cannotOpen
        /// The file is read-only or the disk is full or failing.
        case notWritable
        /// The database was written by a newer claimscan (unknown migrations).
        case newerSchema
        /// Any other SQLite error.
        case database
    }

    public var kind: Kind
    /// The database file.
    public var path: String
    /// What SQLite said.
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .damaged:
            return "\(path): the case database is damaged (\(detail)). "
                + "Restore it from a backup, or move it aside and start a new database with --db."
        case .inUse:
            return "\(path): database is in use by another process (\(detail)). "
                + "Wait for the other claimscan command to finish, then try again."
        case .cannotOpen:
            return "\(path): cannot open the case database (\(detail)). "
                + "Check that the directory exists and that you may write to it."
        case .notWritable:
            return "\(path): cannot write the case database (\(detail)). "
                + "Check file permissions and free disk space."
        case .newerSchema:
            return "\(path): the case database was written by a newer version of claimscan (\(detail)). "
                + "Use that version, or a new database file."
        case .database:
            return "\(path): database error: \(detail)"
        }
    }

    /// Classifies an error thrown by GRDB/SQLite for the file at `path`.
    static func from(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return CaseStoreError(kind: .damaged, path: path, detail: detail)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return CaseStoreError(kind: .inUse, path: path, detail: detail)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return CaseStoreError(kind: .cannotOpen, path: path, detail: detail)
        case .SQLITE_READONLY, .SQLITE_FULL, .SQLITE_IOERR:
            return CaseStoreError(kind: .notWritable, path: path, detail: detail)
        default:
            return CaseStoreError(kind: .database, path: path, detail: detail)
        }
    }
}

/// A request the store refuses: unknown ids, illegal workflow transitions, bad arguments.
public struct CaseRequestError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One problem in an agency CSV file.
public struct ImportIssue: Sendable, Equatable, CustomStringConvertible {
    /// Physical line (1-based) where the offending record starts.
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// An agency CSV file was refused; nothing was imported.
/// The description lists every problem as `FILE:line: why`.
public struct AgencyImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public var fileName: String
    public var issues: [ImportIssue]

    public var description: String {
        issues.map { "\($0.line > 0 ? "\(fileName):\($0.line)" : fileName): \($0.message)" }
            .joined(separator: "\n")
            + "\n\(fileName): nothing was imported (\(issues.count) problem\(issues.count == 1 ? "" : "s"))"
    }
}

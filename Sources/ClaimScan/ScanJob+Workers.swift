import ClaimCases
import ClaimCrawl
import Foundation

/// A worker's share of a cooperative run, reported at its end (and measured by the benchmark).
public struct WorkerReport: Sendable, Codable {
    public var worker = ""
    public var units = 0
    public var agencies = 0
    public var pages = 0
    public var seconds: Double = 0
    /// Time spent in database calls (all threads), seconds.
    public var databaseSeconds: Double = 0
    /// True if this worker completed the run (wrote its summary).
    public var completedRun = false
}

extension ScanJob {
    /// One worker of a scan shared through the database (see ``CooperativeCaseQueue``).
    ///
    /// Joins the unfinished run, or starts one (the first worker does). Then, until every
    /// unit of the run is done: claims as many units as it crawls hosts at once, crawls
    /// them (renewing their leases every third of the lease), and stores each unit's part
    /// of the summary as it marks it done. With nothing left to claim while other workers
    /// hold leases, it waits: if one of them dies, its units become claimable when the
    /// lease runs out, and are finished here (resuming from the run's frontier).
    /// Whoever finds the last unit done completes the run with the sum of the parts — the
    /// summary a single machine would have written. Every worker returns that summary.
    func runCooperatively(_ queue: any CooperativeCaseQueue) throws -> ScanSummary {
        let started = Date()
        let selection: RunSelection = options.agencies.map { .agencies($0) } ?? .all
        let (run, created) = try queue.joinOrStartRun(selection: selection, optionsJSON: jsonText(options))
        setRunID(run.id)
        log.note(created
            ? "scan run \(run.id) started; worker \(workerName)"
            : "joined scan run \(run.id) started \(CaseStore.timestamp(run.startedAt)); worker \(workerName)")
        log.begin(sites: try queue.runAgencies(run.id).count, alreadyDone: 0)

        var report = WorkerReport(worker: workerName)
        let held = HeldUnits()
        let renewer = Heartbeat(every: max(0.2, lease / 3)) { [self] in
            let mine = held.units
            guard !mine.isEmpty else { return }
            do {
                let kept = try queue.renewLeases(run: run.id, worker: workerName, units: mine, lease: lease)
                for lost in Set(mine).subtracting(kept) {
                    log.note("lease on unit \(lost) lost (expired, and another worker took it over)")
                }
            } catch {
                log.note("cannot renew leases: \(error)")
            }
        }
        defer { renewer.stop() }

        let idlePause = min(1.0, max(0.1, lease / 4))
        while !isCancelled, currentFailure == nil {
            let claimed = try queue.claimUnits(run: run.id, worker: workerName, limit: max(1, options.concurrency), lease: lease)
            if claimed.isEmpty {
                let progress = try queue.progress(run: run.id)
                if progress.done == progress.units { break }
                // Others hold the rest; wait for them to finish, or for a lease to run out.
                Thread.sleep(forTimeInterval: idlePause)
                continue
            }
            held.units = claimed.map(\.number)
            let wanted = Set(claimed.flatMap(\.agencies))
            let todo = try queue.runAgencies(run.id).filter {
                wanted.contains($0.agencyID) && $0.status != .done && $0.status != .failed
            }
            try crawl(todo)
            if let failure = currentFailure { throw failure }
            if isCancelled { break }
            for unit in claimed {
                let part = partSummary(of: unit.agencies)
                if try !queue.finishUnit(run: run.id, unit: unit.number, worker: workerName, summaryJSON: jsonText(part)) {
                    log.note("unit \(unit.number) was already finished by another worker")
                }
                report.units += 1
                report.agencies += unit.agencies.count
                report.pages += part.pages
            }
            held.units = []
        }
        renewer.stop()
        if let writer = currentWriter { try writer.close() }
        if let failure = currentFailure { throw failure }

        var result: ScanSummary
        if isCancelled {
            // Give the units back at once rather than when the lease runs out.
            _ = try? queue.renewLeases(run: run.id, worker: workerName, units: held.units, lease: 0)
            result = ownSummary
            result.runID = run.id
            result.status = "interrupted"
        } else {
            report.completedRun = try queue.completeRunIfDone(run: run.id) { parts in
                var total = ScanSummary()
                for part in parts {
                    total.add(try JSONDecoder().decode(ScanSummary.self, from: Data(part.utf8)))
                }
                total.runID = run.id
                total.status = "complete"
                total.seconds = Date().timeIntervalSince(run.startedAt)
                return jsonText(total)
            }
            guard let stored = try queue.run(run.id), let json = stored.summaryJSON,
                  let total = try? JSONDecoder().decode(ScanSummary.self, from: Data(json.utf8)) else {
                throw CaseRequestError("scan run \(run.id) has every unit done but no summary")
            }
            result = total
        }
        report.seconds = Date().timeIntervalSince(started)
        report.databaseSeconds = queue.databaseSeconds
        let share = report.seconds > 0 ? 100 * report.databaseSeconds / report.seconds : 0
        log.note(String(format: "worker %@: %d units, %d agencies, %d pages in %.1f s; waited on the database %.1f s (%.1f%%)%@",
                        workerName, report.units, report.agencies, report.pages, report.seconds,
                        report.databaseSeconds, share, report.completedRun ? "; completed the run" : ""))
        if let path = ProcessInfo.processInfo.environment["CLAIMSCAN_WORKER_REPORT"], !path.isEmpty {
            try? Data(jsonText(report).utf8).write(to: URL(fileURLWithPath: path))
        }
        log.end()
        return result
    }
}

/// The units this worker holds now (read by the lease-renewing thread).
final class HeldUnits: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [Int] = []
    var units: [Int] {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

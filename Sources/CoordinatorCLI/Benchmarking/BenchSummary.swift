import CoordinatorCore
import Foundation

/// What one benchmark phase measured: operations, wall time, per-operation latencies.
struct BenchSummary: Sendable {
    let name: String
    let connections: Int
    let operations: Int
    let seconds: Double
    /// Latency of each operation, in seconds.
    let latencies: [Double]
    /// Completion time of each operation, in seconds since the phase started (for windowed rates).
    let completions: [Double]

    var perSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }

    /// The `q`-quantile (0…1) of the latencies, nearest-rank; 0 when nothing was measured.
    static func quantile(_ q: Double, of values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// Operations per second in `count` equal time windows, first to last.
    static func windowRates(_ completions: [Double], seconds: Double, count: Int) -> [Double] {
        guard seconds > 0, count > 0 else { return [] }
        let width = seconds / Double(count)
        var counts = Array(repeating: 0, count: count)
        for time in completions {
            counts[min(Int(time / width), count - 1)] += 1
        }
        return counts.map { Double($0) / width }
    }

    var json: JSONValue {
        var object: JSONObject = [
            "name": .string(name), "connections": .int(connections), "operations": .int(operations),
            "seconds": .double((seconds * 1000).rounded() / 1000), "per_second": .double(perSecond.rounded()),
            "p50_ms": .double((Self.quantile(0.5, of: latencies) * 1e5).rounded() / 100),
            "p99_ms": .double((Self.quantile(0.99, of: latencies) * 1e5).rounded() / 100),
        ]
        if name == "claims" {
            let windows = Self.windowRates(completions, seconds: seconds, count: 10)
            object["window_rates"] = .array(windows.map { .double($0.rounded()) })
            if let first = windows.first, let last = windows.last, first > 0 {
                object["last_to_first_window"] = .double((last / first * 100).rounded() / 100)
            }
        }
        return .object(object)
    }

    var line: String {
        var text = String(format: "%@ × %d: %d in %.2f s = %.0f/s (p50 %.2f ms, p99 %.2f ms)", name, connections, operations, seconds,
                          perSecond, Self.quantile(0.5, of: latencies) * 1000, Self.quantile(0.99, of: latencies) * 1000)
        if name == "claims", let ratio = json["last_to_first_window"]?.doubleValue {
            text += String(format: "; last/first tenth of the run %.2f", ratio)
        }
        return text
    }
}

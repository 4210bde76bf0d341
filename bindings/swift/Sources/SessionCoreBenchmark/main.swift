// Measures the cost of `credentials()` on a valid session through the Swift
// bindings. Beside it, the same run measures `version()`, a trivial exported call,
// as the floor of any call into the core. Then it compares the resident memory
// after 1,000 and after 100,000 calls. scripts/bench-swift.sh runs it.
import Foundation
import SessionCore

let callsPerRound = 20_000
let rounds = 5

/// Resident memory of this process, in bytes.
func residentBytes() -> Int {
    #if os(Linux)
    // The second field of /proc/self/statm is the resident set, in pages.
    if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
        let fields = statm.split(separator: " ")
        if fields.count > 1, let pages = Int(fields[1]) {
            return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
    }
    return -1
    #else
    var usage = rusage()
    getrusage(RUSAGE_SELF, &usage)
    // macOS reports the peak in bytes; there is no cheap current figure.
    return Int(usage.ru_maxrss)
    #endif
}

/// Runs `body` `count` times and returns the mean time per call, in nanoseconds.
func nanosecondsPerCall(_ count: Int, _ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try await clock.measure {
        for _ in 0..<count {
            try await body()
        }
    }
    let (seconds, attoseconds) = elapsed.components
    return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(count)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func megabytes(_ bytes: Int) -> String {
    String(format: "%.2f MB", Double(bytes) / 1_000_000)
}

// A session that needs no renewal, so that `credentials()` never reaches the
// provider: the address below is never contacted.
let config = AuthConfig(domain: "http://127.0.0.1:9", clientId: "bench-client", redirectUri: "bench://callback")
let manager = try SessionManager(config: config, storage: memoryStorage())
try manager.saveCredentials(credentials: Credentials(
    accessToken: "bench-access-token",
    refreshToken: "bench-refresh-token",
    expiresIn: .seconds(24 * 3600)
))
let minTimeToLive = Duration.seconds(60)

func callCredentials() async throws {
    _ = try await manager.credentials(minTimeToLive: minTimeToLive)
}

func callVersion() async {
    _ = version()
}

// Two synchronous calls that take the same session lock and read the same stored
// credentials as `credentials()`, to separate the core's work from the cost of an
// async call through UniFFI.
func callHasValidCredentials() async throws {
    _ = try manager.hasValidCredentials(minTimeToLive: minTimeToLive)
}

func callState() async {
    _ = manager.state()
}

print("SessionCore \(version()), Swift bindings benchmark")

// Memory: 1,000 calls first, so that one-time allocations are done, then up to
// 100,000 calls in all.
for _ in 0..<1_000 {
    try await callCredentials()
}
let residentAfterThousand = residentBytes()
for _ in 1_000..<100_000 {
    try await callCredentials()
}
let residentAfterHundredThousand = residentBytes()

// Time: alternate the two calls over several rounds and keep each one's median,
// so that a burst of load from other processes skews both alike.
var floorRounds: [Double] = []
var credentialsRounds: [Double] = []
var hasValidRounds: [Double] = []
var stateRounds: [Double] = []
for _ in 0..<rounds {
    floorRounds.append(await nanosecondsPerCall(callsPerRound, callVersion))
    credentialsRounds.append(try await nanosecondsPerCall(callsPerRound, callCredentials))
    hasValidRounds.append(try await nanosecondsPerCall(callsPerRound, callHasValidCredentials))
    stateRounds.append(await nanosecondsPerCall(callsPerRound, callState))
}
let floor = median(floorRounds)
let credentialsCost = median(credentialsRounds)
let ratio = credentialsCost / floor
let growth = residentAfterHundredThousand - residentAfterThousand

print(String(format: "version() (floor):            %8.0f ns per call (median of %d rounds of %d calls)",
             floor, rounds, callsPerRound))
print(String(format: "credentials() on valid session: %6.0f ns per call (async)", credentialsCost))
print(String(format: "ratio to floor:               %8.2f (goal: at most 1.50)", ratio))
print(String(format: "hasValidCredentials():        %8.0f ns per call (sync, same lock and record)",
             median(hasValidRounds)))
print(String(format: "state():                      %8.0f ns per call (sync)", median(stateRounds)))
print("resident after 1,000 calls:      \(megabytes(residentAfterThousand))")
print("resident after 100,000 calls:    \(megabytes(residentAfterHundredThousand))")
print("growth:                          \(megabytes(growth)) (goal: at most 1.00 MB)")

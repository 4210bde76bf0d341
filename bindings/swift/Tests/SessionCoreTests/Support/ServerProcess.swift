import Foundation

/// A server run as a child process for one test: it prints its URL as the first line
/// of stdout and exits when its stdin closes, as the dev IdP
/// (`--exit-on-stdin-close`) and `tools/oidc-provider/server.mjs` do.
final class ServerProcess {
    /// The URL the server printed.
    let url: URL
    private let process: Process
    private let input: Pipe

    /// Starts `executable` with `arguments` and waits for the URL line.
    init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        // Holding the write end open keeps the server running; when this test
        // process dies, the pipe closes and the server exits with it.
        process.standardInput = input
        try process.run()

        let reader = output.fileHandleForReading
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty {
                throw TestSetupError("\(executable) exited before printing its URL")
            }
            firstLine.append(chunk)
        }
        // The server may print more; a full pipe would block it.
        DispatchQueue.global().async {
            _ = reader.readDataToEndOfFile()
        }
        let urlText = String(decoding: firstLine, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)[0]
            .trimmingCharacters(in: .whitespaces)
        self.process = process
        self.input = input
        guard let url = URL(string: urlText), url.scheme == "http" else {
            self.url = URL(fileURLWithPath: "/")
            stop()
            throw TestSetupError("\(executable) printed \(urlText) instead of its URL")
        }
        self.url = url
    }

    deinit {
        stop()
    }

    /// Stops the server by closing its stdin, then kills it if it has not exited
    /// within five seconds.
    func stop() {
        guard process.isRunning else { return }
        // Not SIGTERM: children that Foundation's `Process` starts on Linux inherit a
        // signal mask with SIGTERM and SIGINT blocked, so they never see it.
        try? input.fileHandleForWriting.close()
        if process.waitForExit(within: .seconds(5)) {
            return
        }
        kill(process.processIdentifier, SIGKILL)
        _ = process.waitForExit(within: .seconds(5))
    }
}

extension Process {
    /// Waits until the process exits or `timeout` passes, and returns whether it exited.
    /// Unlike `waitUntilExit()`, it gives up, so a child that does not stop cannot hang
    /// the suite.
    func waitForExit(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            usleep(10_000)
        }
        return !isRunning
    }
}

/// Returns the value of an environment variable that `scripts/test-swift.sh` sets.
func requiredEnvironment(_ name: String) throws -> String {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
        throw TestSetupError("\(name) is not set: run the suite with scripts/test-swift.sh")
    }
    return value
}

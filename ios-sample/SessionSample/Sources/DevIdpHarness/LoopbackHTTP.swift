import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small HTTP client for the dev IdP: its control endpoints and the browser's part of a
/// login. It returns redirects instead of following them, because the redirect to the
/// app carries the authorization code.
enum LoopbackHTTP {
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: Data

        /// Returns the `Location` header, resolved against `url`.
        func location(relativeTo url: URL) -> URL? {
            guard let value = headers.first(where: { $0.key.lowercased() == "location" })?.value else {
                return nil
            }
            return URL(string: value, relativeTo: url)?.absoluteURL
        }
    }

    static func send(_ url: URL, method: String = "GET", json: Data? = nil) async throws -> Response {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = json
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(throwing: HarnessError("\(method) \(url.path) returned no HTTP response"))
                    return
                }
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    headers["\(name)"] = "\(value)"
                }
                continuation.resume(returning: Response(status: http.statusCode, headers: headers, body: data ?? Data()))
            }
            task.resume()
        }
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }()

    private final class RedirectRefusal: NSObject, URLSessionTaskDelegate {
        func urlSession(
            _ session: URLSession,
            task: URLSessionTask,
            willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest,
            completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }
}

/// A failure of the harness itself (the dev IdP did not start, a control request
/// failed), as opposed to a failure of the code under test.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small HTTP client for the tests' side of the protocol: the browser's part of a
/// login and the dev IdP's control endpoints. Redirects are returned, not followed,
/// because the last one carries the authorization code.
enum HTTP {
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

    static func send(_ url: URL, method: String = "GET", json: Data? = nil) async throws -> (Data, Int) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = json
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let response = try await perform(request)
        return (response.body, response.status)
    }

    static func get(_ url: URL) async throws -> Response {
        try await perform(URLRequest(url: url))
    }

    static func perform(_ request: URLRequest) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(throwing: TestSetupError("\(request.url!) returned no HTTP response"))
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

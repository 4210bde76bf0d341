import Observation
import SessionSample

/// Republishes the state of a `SessionModel` to SwiftUI. The model's logic is tested on
/// Linux, where `@Observable` does not link with Swift 6.0.3, so observation is added here.
@MainActor
@Observable
final class SessionViewModel {
    private(set) var state: ScreenState
    /// The model that the buttons call.
    let model: SessionModel

    init(model: SessionModel) {
        self.model = model
        self.state = model.state
        model.onChange = { [weak self] state in
            self?.state = state
        }
    }
}

//! The workspace's own `uniffi-bindgen`, pinned to the same UniFFI version as
//! the core so that generated code and scaffolding always agree.

fn main() {
    uniffi::uniffi_bindgen_main()
}

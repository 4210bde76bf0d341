fn main() {
    uniffi::generate_scaffolding("src/session_core.udl").unwrap();
}

//! Feeds arbitrary bytes to the JWT decoder, which reads id_tokens before
//! any signature is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|token: &[u8]| {
    session_core::fuzzing::decode_jwt(token);
});

//! Feeds arbitrary bytes to the token endpoint's response parser, which reads
//! whatever a provider, a proxy or a captive portal sends back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    session_core::fuzzing::parse_token_response(body);
});

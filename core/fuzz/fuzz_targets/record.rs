//! Feeds arbitrary bytes to the stored-record reader, which reads whatever
//! secure storage returns: corrupt, truncated, or written by another release.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|record: &[u8]| {
    session_core::fuzzing::decode_record(record);
});

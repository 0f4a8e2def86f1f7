#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| binkit::fuzzing::s3_text(data));

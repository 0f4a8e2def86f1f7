#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| binkit::fuzzing::grep_syntax(data));

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cliqueclique_fuzz::frame(data));

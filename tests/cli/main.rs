//! binkit's integration tests: one binary, one module per subcommand.
//! Expected outputs come from the reference tools, run here.

mod b64;
mod chunks;
mod core;
mod crypt;
mod grep_log;
mod gzip;
mod gzip_files;
mod hexdump;
mod layout;
mod s3;
mod sniff;
mod sniff_corpus;
mod support;
mod walk;

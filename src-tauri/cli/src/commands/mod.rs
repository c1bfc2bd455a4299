//! The subcommands of `spse-auth`, one file each; `main.rs` parses the command line and calls
//! the `run` function of one of them.

pub mod add;
pub mod backup;
pub mod clock;
pub mod code;
pub mod decode;
pub mod export;
pub mod import;
pub mod list;
pub mod recovery;
pub mod remove;
pub mod scan;

//! One module per `doorlink` command. Each takes its clap arguments and returns what to print, so
//! tests read the same report the terminal shows.

pub mod demo;
pub mod explain;
pub mod migrate;
pub mod serve;
pub mod support_bundle;
pub mod sync;

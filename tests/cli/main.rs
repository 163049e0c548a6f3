//! Integration tests: every test drives the real `kioku` binary. They live in
//! one test binary (as ripgrep's do) so the crate is linked once.

mod check;
mod class;
mod decks;
mod exam;
mod front;
mod progress;
mod pty;
mod session;
mod stats;
mod support;
mod sync;

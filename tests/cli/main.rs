//! Integration tests: every test drives the real `kioku` binary. They live in
//! one test binary (as ripgrep's do) so the crate is linked once.

mod bridge;
mod caches;
mod check;
mod class;
mod decks;
mod draft;
mod exam;
mod front;
mod gate;
mod grading;
mod progress;
mod pty;
mod robust;
mod session;
mod stats;
mod support;
mod sync;

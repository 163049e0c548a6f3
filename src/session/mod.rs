//! Study and quiz sessions: the pure logic ([`study`]) against the
//! [`Engine`] trait, so it runs in tests with a fixed clock and a fake
//! scheduler; the terminal layer drives it.

pub mod engine;
pub mod study;

pub use engine::{Engine, Mode, Progress};
pub use study::{Study, Summary, Turn};

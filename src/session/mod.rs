//! Study and quiz sessions: the pure logic ([`study`]) against the
//! [`Engine`] trait, asking one card ([`ask`]), what is shown ([`present`]),
//! and the loops ([`run`]) that drive a [`Prompter`](crate::ui::Prompter).

pub mod ask;
pub mod engine;
pub mod present;
pub mod run;
pub mod study;

pub use engine::{Engine, Mode, Progress};
pub use study::{Study, Summary, Turn};

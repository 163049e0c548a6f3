//! Study and quiz sessions: the pure logic ([`study`]) against the
//! [`Engine`] trait, asking one card ([`ask`]), what is shown ([`present`]),
//! and the loops ([`run`]) that drive a [`Prompter`](crate::ui::Prompter).

pub(crate) mod ask;
pub(crate) mod engine;
pub(crate) mod present;
pub(crate) mod run;
pub(crate) mod study;

pub(crate) use engine::{Engine, Mode, Progress};
pub(crate) use study::Study;

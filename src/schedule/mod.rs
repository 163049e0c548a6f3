//! Scheduling with FSRS, one job per module: study days ([`day`]), the log
//! replayed into card history ([`history`]) and memory states ([`memory`]),
//! opened through a snapshot ([`open`], [`snapshot`]); the cards' states kept
//! up to date ([`scheduler`]) and the day's plan made from them, pure
//! ([`plan`]); and the session queue that a study session runs on, which
//! writes each answer to the log it is handed ([`queue`]).

pub(crate) mod day;
pub(crate) mod history;
pub(crate) mod introduce;
pub(crate) mod key;
pub(crate) mod memory;
pub(crate) mod open;
pub(crate) mod plan;
pub(crate) mod queue;
pub(crate) mod scheduler;
pub mod snapshot;
pub(crate) mod stamp;
pub(crate) mod timelines;

pub(crate) use day::Days;
pub(crate) use history::{History, Review};
pub(crate) use key::CardKey;
pub(crate) use open::{Opened, Prefetch, Sources, open};
pub(crate) use queue::SessionQueue;
pub(crate) use scheduler::{DueCounts, Scheduler};

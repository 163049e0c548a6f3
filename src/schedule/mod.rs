//! Scheduling with FSRS: study days ([`day`]), the log replayed into card
//! history ([`history`]) and memory states ([`memory`]), and the queue and
//! session engine ([`scheduler`]).

pub(crate) mod day;
pub(crate) mod history;
pub(crate) mod introduce;
pub(crate) mod key;
pub(crate) mod memory;
pub(crate) mod open;
pub(crate) mod plan;
pub(crate) mod scheduler;
pub mod snapshot;

pub(crate) use day::Days;
pub(crate) use history::{History, Review};
pub(crate) use key::CardKey;
pub(crate) use open::{Prefetch, Sources, open};
pub(crate) use scheduler::{DueCounts, Scheduler};

//! Scheduling with FSRS: study days ([`day`]), the log replayed into card
//! history ([`history`]) and memory states ([`memory`]), and the queue and
//! session engine ([`scheduler`]).

pub mod day;
pub mod history;
pub mod introduce;
pub mod memory;
pub mod scheduler;
pub mod snapshot;

pub use day::Days;
pub use history::{History, Review};
pub use memory::{CardState, Memory};
pub use scheduler::{DueCounts, Scheduler, Today};

//! `kioku quiz`: an exam-style test. [`select`] picks and frames the
//! questions; [`report`] scores them. Asking is the session's job.

pub mod report;
pub mod select;

pub use report::{Answered, Report, Tally};
pub use select::{Ask, Filter, Question, select};

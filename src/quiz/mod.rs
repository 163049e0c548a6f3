//! `kioku quiz`: an exam-style test. [`select`] picks and frames the
//! questions; [`report`] scores them. Asking is the session's job.

pub(crate) mod report;
pub(crate) mod select;

pub(crate) use report::{Answered, Report};
pub(crate) use select::{Ask, Filter, Question, select};

//! Exam-date revision: the planner ([`plan`]) that studies toward a date, the
//! simulation ([`simulate`]) that measures it against plain FSRS, and the
//! [`ceiling`] no schedule can beat.

pub mod ceiling;
pub mod plan;
pub mod simulate;

pub use plan::{CardNow, Costs, EXAM_RETENTION, Planner};

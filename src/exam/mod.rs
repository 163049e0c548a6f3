//! Exam-date revision: the planner ([`plan`]) that studies toward a date, and
//! the simulation ([`simulate`]) that measures it against plain FSRS.

pub mod plan;
pub mod simulate;

pub use plan::{CardNow, Costs, EXAM_RETENTION, Planner};

//! Exam-date revision: the planner ([`plan`]) that studies toward a date.
//! Its simulation and the ceiling no schedule can beat live in the
//! `kioku-exam-sim` workspace member (`crates/exam-sim`), outside the shipped
//! library.

pub(crate) mod plan;
pub mod relax;
pub(crate) mod revise;

pub(crate) use plan::{CardNow, Costs, EXAM_RETENTION, Planner};
pub(crate) mod sim;

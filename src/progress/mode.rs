//! Whether an answer was given while studying or in a quiz: part of each
//! logged answer, so it belongs to the log, not to the session.

/// Study answers and quiz answers are logged apart; both inform FSRS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Study,
    Quiz,
}

//! The Lagrangian relaxation of exam revision: what each card's best
//! schedule is when every second of study on each day has a price, and
//! the prices at which those schedules together keep each day's minutes.
//!
//! A schedule starts an answer only while the day's seconds so far are
//! under its minutes, so each day has at most one answer that overruns
//! them (its "free" answer). Each second studied on day `d` is priced at
//! `λ_d ≥ 0` and the free answer at `μ_d ≥ 0`. With prices the cards
//! decouple: each card's best schedule maximises its expected exam-day
//! recall minus its priced answers, solved by dynamic programming over a
//! grid of memory states ([`grid`]) backwards from the exam ([`model`]):
//! after each answer, review again on a later study day, the same day (up
//! to a few times: a same-day review raises stability through FSRS's
//! short-term formula) or never. Summed with the priced budgets, this is
//! `U(λ, μ)`, which bounds the mean exam-day recall of every schedule
//! within the minutes (weak duality); [`solve`] looks for the smallest by
//! descent. At those prices, what a card loses by waiting tells how much
//! it wants today: the order the planner studies in.
//!
//! Memory transitions come from the `fsrs` crate. Cards share the
//! programmes of 16 answer-time classes; a card between two classes is
//! valued on the chord between them (see [`model::CLASSES`]).

pub mod grid;
pub mod model;
pub mod rank;
pub mod solve;

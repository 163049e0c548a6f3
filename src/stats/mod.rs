//! `kioku stats`: figures about cards, retention, workload and study habits,
//! computed from plain [`input`] data and rendered as text or JSON.
//!
//! Both halves are pure: [`compute::compute`] turns a [`StatsInput`] into a
//! [`Stats`] (serialisable for `--json`), and [`render`] turns that into text
//! for a terminal of a given width, with or without colour.

pub mod compute;
mod days;
pub mod input;
pub mod render;

pub use compute::{CardDetail, Stats, card_detail, compute, start_of_day, study_day};
pub use input::{
    CardInfo, CardState, DeckInfo, Mode, OrphanInfo, ReviewInfo, ReviewKind, StatsInput,
};

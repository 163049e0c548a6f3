//! Class results: what an instructor sees over the students' progress logs
//! and quiz results. [`result`] is the quiz result a student hands in
//! (`kioku quiz --json`); [`input`] gathers files, folders and class
//! repositories; [`report`] computes the figures; [`render`] shows them as a
//! table, CSV or a self-contained HTML page.

pub(crate) mod input;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod result;

pub(crate) use result::{DeckVersion, QuizResult, deck_version};

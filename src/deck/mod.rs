//! Deck files: the format ([`spec`]), reading and checking them ([`parse`],
//! [`load`]) and the validated model every later stage uses ([`model`]).

pub(crate) mod builtin;
pub mod cache;
pub(crate) mod cloze;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod spec;

pub(crate) use load::{Collection, DeckSet};
pub(crate) use model::{Card, CardKind, Content, Deck, NewOrder, Text};

//! Deck files: the format ([`spec`]), reading and checking them ([`parse`],
//! [`load`]) and the validated model every later stage uses ([`model`]).

pub(crate) mod builtin;
pub mod cache;
pub(crate) mod cloze;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod spec;

pub(crate) use load::{Collection, DeckSet, deck_files, load};
pub(crate) use model::{Card, CardKind, ClozeSegment, Content, Deck, NewOrder, Text};

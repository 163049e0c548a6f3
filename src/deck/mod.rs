//! Deck files: the format ([`spec`]), reading and checking them ([`parse`],
//! [`load`]) and the validated model every later stage uses ([`model`]).

pub mod builtin;
pub mod cache;
pub mod cloze;
pub mod load;
pub mod model;
pub mod parse;
pub mod spec;

pub use load::{Collection, DeckSet, deck_files, load};
pub use model::{Card, CardKind, ClozeSegment, Content, Deck, NewOrder, Text};

//! The loaded, validated form of a deck: what every later stage (queue,
//! session, stats) works with. Nothing here knows about TOML.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The text of a card. Most of a card's strings (ids, tags, sources, short
/// answers) fit in 24 bytes, and a `CompactString` keeps those inline instead
/// of on the heap: a 100,000-card collection then loads with half the memory,
/// and on a launch memory touched for the first time is most of the cost.
pub type Text = compact_str::CompactString;

/// One deck file, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deck {
    pub id: String,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    /// Desired retention for this deck's cards, when the author set one.
    pub retention: Option<f32>,
    pub path: PathBuf,
    pub cards: Vec<Card>,
    /// Renamed cards: (old `deck/card`, new `deck/card`), from `was`.
    pub renames: Vec<(String, String)>,
}

/// One reviewable card. A note in the file (one `[[card]]` table) yields one
/// card, or several: a cloze note yields one per group, a reversed basic note
/// yields two. Cards from the same note are siblings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub deck_id: Text,
    /// Unique within the deck. The note's id, with `:c2` for cloze groups and
    /// `:reverse` for the reverse side, so progress survives text edits.
    pub id: Text,
    /// The `[[card]]` id: siblings share it.
    pub note_id: Text,
    pub content: Content,
    pub explain: Option<Text>,
    /// The card's own source, else the deck's.
    pub source: Option<Text>,
    /// The card's tags followed by the deck's.
    pub tags: Vec<Text>,
    /// 1-based line of the `[[card]]` header, for messages.
    pub line: usize,
}

impl Card {
    /// `deck/card`, the key progress is stored under.
    pub fn key(&self) -> String {
        format!("{}/{}", self.deck_id, self.id)
    }

    pub fn kind(&self) -> CardKind {
        self.content.kind()
    }
}

/// The card kinds of the deck format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardKind {
    Basic,
    Cloze,
    Choice,
    Multi,
    Order,
    TrueFalse,
}

impl CardKind {
    pub const ALL: [CardKind; 6] = [
        CardKind::Basic,
        CardKind::Cloze,
        CardKind::Choice,
        CardKind::Multi,
        CardKind::Order,
        CardKind::TrueFalse,
    ];

    /// The name used in deck files (`kind = "..."`).
    pub fn name(self) -> &'static str {
        match self {
            CardKind::Basic => "basic",
            CardKind::Cloze => "cloze",
            CardKind::Choice => "choice",
            CardKind::Multi => "multi",
            CardKind::Order => "order",
            CardKind::TrueFalse => "truefalse",
        }
    }

    pub fn from_name(name: &str) -> Option<CardKind> {
        CardKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What is asked and what is expected, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Content {
    /// A basic card. `typed` cards are answered by typing; others are flipped
    /// and rated by the learner.
    Basic {
        question: Text,
        answer: Text,
        accept: Vec<Text>,
        typed: bool,
    },
    /// One group of a cloze note: the deletions of group `active` are hidden.
    Cloze {
        segments: Vec<ClozeSegment>,
        active: u32,
    },
    /// Multiple choice. `distractors` are the author's, or when the author gave
    /// none, every other answer of the same deck and group (the session samples
    /// from them).
    Choice {
        question: Text,
        answer: Text,
        distractors: Vec<Text>,
    },
    /// All answers required, in any order.
    Multi {
        question: Text,
        answers: Vec<Text>,
    },
    /// Items given in the right order.
    Order {
        question: Text,
        items: Vec<Text>,
    },
    TrueFalse {
        statement: Text,
        answer: bool,
    },
}

impl Content {
    pub fn kind(&self) -> CardKind {
        match self {
            Content::Basic { .. } => CardKind::Basic,
            Content::Cloze { .. } => CardKind::Cloze,
            Content::Choice { .. } => CardKind::Choice,
            Content::Multi { .. } => CardKind::Multi,
            Content::Order { .. } => CardKind::Order,
            Content::TrueFalse { .. } => CardKind::TrueFalse,
        }
    }
}

/// A piece of cloze text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClozeSegment {
    Text(Text),
    Deletion {
        group: u32,
        answer: Text,
        hint: Option<Text>,
    },
}

/// Helpers for showing a cloze card.
pub mod cloze {
    use super::ClozeSegment;

    /// The text with the active group's deletions replaced by `[...]` (or
    /// `[hint]`) and every other deletion shown as its answer.
    pub fn prompt(segments: &[ClozeSegment], active: u32) -> String {
        render(segments, active, |_, hint| match hint {
            Some(h) => format!("[{h}]"),
            None => "[...]".to_string(),
        })
    }

    /// The full text, every deletion filled in.
    pub fn full_text(segments: &[ClozeSegment]) -> String {
        render(segments, 0, |answer, _| answer.to_string())
    }

    /// The answers of the active group, in order of appearance.
    pub fn answers(segments: &[ClozeSegment], active: u32) -> Vec<&str> {
        segments
            .iter()
            .filter_map(|s| match s {
                ClozeSegment::Deletion { group, answer, .. } if *group == active => {
                    Some(answer.as_str())
                }
                _ => None,
            })
            .collect()
    }

    fn render(
        segments: &[ClozeSegment],
        active: u32,
        hide: impl Fn(&str, Option<&str>) -> String,
    ) -> String {
        let mut out = String::new();
        for segment in segments {
            match segment {
                ClozeSegment::Text(t) => out.push_str(t),
                ClozeSegment::Deletion {
                    group,
                    answer,
                    hint,
                } => {
                    if *group == active {
                        out.push_str(&hide(answer, hint.as_deref()));
                    } else {
                        out.push_str(answer);
                    }
                }
            }
        }
        out
    }
}

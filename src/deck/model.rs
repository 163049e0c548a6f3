//! The loaded, validated form of a deck: what every later stage (queue,
//! session, stats) works with. Nothing here knows about TOML.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The text of a card. Most of a card's strings (ids, tags, sources, short
/// answers) fit in 24 bytes, and a `CompactString` keeps those inline instead
/// of on the heap: a 100,000-card collection then loads with half the memory,
/// and on a launch memory touched for the first time is most of the cost.
pub(crate) type Text = compact_str::CompactString;

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
    /// Stored by the deck cache on their own (their details apart).
    #[serde(skip)]
    pub cards: Vec<Card>,
    /// The deck's `[sources]`: short key to full reference. Cards keep the
    /// short form in `source`; [`Deck::citation`] spells it out.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// The order new cards are introduced in.
    #[serde(default)]
    pub new_order: NewOrder,
    /// Renamed cards: (old `deck/card`, new `deck/card`), from `was`.
    pub renames: Vec<(String, String)>,
}

/// `new_order` in `[deck]`: how a deck's new cards are introduced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewOrder {
    /// Topics take turns and notes follow a stable shuffle, so one card
    /// does not answer the next (`schedule::introduce`).
    #[default]
    Spread,
    /// The order of the file, for decks that build up step by step.
    File,
}

impl Deck {
    /// The full references behind a card's short `source` (one per line,
    /// `key: reference`), when the deck has a `[sources]` table.
    pub fn citation(&self, card: &Card) -> Option<String> {
        let short = card.source()?;
        if self.sources.is_empty() {
            return None;
        }
        let lines: Vec<String> = source_keys(short)
            .filter_map(|k| self.sources.get(k).map(|full| format!("{k}: {full}")))
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

/// The keys of a `source` that cites `[sources]` entries: `"a, b"` is `a`
/// and `b`.
pub(crate) fn source_keys(source: &str) -> impl Iterator<Item = &str> {
    source.split(',').map(str::trim).filter(|k| !k.is_empty())
}

/// One reviewable card. A note in the file (one `[[card]]` table) yields one
/// card, or several: a cloze note yields one per group, a reversed basic note
/// yields two. Cards from the same note are siblings.
///
/// What a card shows ([`Details`]) is decoded from the deck cache only when
/// first asked for: a launch schedules a hundred thousand cards by their keys
/// and shows a few dozen of them, and decoding every card's text made most
/// of the memory a launch touched.
#[derive(Clone)]
pub struct Card {
    pub deck_id: Text,
    /// Unique within the deck. The note's id, with `:c2` for cloze groups and
    /// `:reverse` for the reverse side, so progress survives text edits.
    pub id: Text,
    /// The `[[card]]` id: siblings share it.
    pub note_id: Text,
    /// 1-based line of the `[[card]]` header, for messages.
    pub line: usize,
    kind: CardKind,
    details: Lazy,
}

/// What a card shows and says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Details {
    pub content: Content,
    pub explain: Option<Text>,
    /// The card's own source, else the deck's.
    pub source: Option<Text>,
    /// The card's tags followed by the deck's.
    pub tags: Vec<Text>,
}

/// A card's details: decoded, or still the cache's bytes (decoded once, on
/// first use).
#[derive(Clone)]
struct Lazy {
    decoded: std::sync::OnceLock<Box<Details>>,
    encoded: Option<Encoded>,
}

/// A card's details as the deck cache stores them: `len` bytes at `at` of
/// the deck's cache entry, kept whole as it was read (checked with the
/// entry's checksum; not copied out, which cost 10 MB of fresh memory on a
/// launch of 100 decks).
#[derive(Clone)]
pub(crate) struct Encoded {
    pub(crate) block: std::sync::Arc<Vec<u8>>,
    pub(crate) at: u32,
    pub(crate) len: u32,
}

impl Encoded {
    /// The details, or [`Details::unreadable`].
    fn decode(&self) -> Details {
        let (at, len) = (self.at as usize, self.len as usize);
        self.block
            .get(at..at.saturating_add(len))
            .and_then(|bytes| postcard::from_bytes(bytes).ok())
            .unwrap_or_else(Details::unreadable)
    }
}

impl Card {
    pub fn new(deck_id: Text, id: Text, note_id: Text, line: usize, details: Details) -> Card {
        Card {
            deck_id,
            id,
            note_id,
            line,
            kind: details.content.kind(),
            details: Lazy {
                decoded: std::sync::OnceLock::from(Box::new(details)),
                encoded: None,
            },
        }
    }

    /// A card whose details stay encoded until first used.
    pub(crate) fn encoded(
        deck_id: Text,
        id: Text,
        note_id: Text,
        line: usize,
        kind: CardKind,
        details: Encoded,
    ) -> Card {
        Card {
            deck_id,
            id,
            note_id,
            line,
            kind,
            details: Lazy {
                decoded: std::sync::OnceLock::new(),
                encoded: Some(details),
            },
        }
    }

    /// `deck/card`, the key progress is stored under.
    pub fn key(&self) -> String {
        let mut key = String::with_capacity(self.deck_id.len() + 1 + self.id.len());
        self.key_into(&mut key);
        key
    }

    /// [`Card::key`] written into `key`, whatever it held: one buffer
    /// serves a walk over 100,000 cards (and not `format!`, whose machinery
    /// cost about 1,500 instructions a key).
    pub fn key_into(&self, key: &mut String) {
        key.clear();
        key.push_str(&self.deck_id);
        key.push('/');
        key.push_str(&self.id);
    }

    /// The kind, without decoding the details (they may have been changed
    /// since the card was made: then theirs).
    pub fn kind(&self) -> CardKind {
        self.details
            .decoded
            .get()
            .map_or(self.kind, |d| d.content.kind())
    }

    pub fn details(&self) -> &Details {
        self.details.decoded.get_or_init(|| {
            Box::new(
                self.details
                    .encoded
                    .as_ref()
                    .map_or_else(Details::unreadable, Encoded::decode),
            )
        })
    }

    /// The details, to change (decoded first when needed).
    pub fn details_mut(&mut self) -> &mut Details {
        self.details();
        self.details.encoded = None;
        self.details
            .decoded
            .get_mut()
            .expect("details() has just decoded them")
    }

    /// Appends the details as a deck cache entry stores them: the bytes
    /// they were decoded from when there are such (details changed since
    /// have none: [`Card::details_mut`] drops them), else encoded now.
    pub(crate) fn encode_details(&self, out: Vec<u8>) -> Option<Vec<u8>> {
        if let Some(encoded) = &self.details.encoded {
            let (at, len) = (encoded.at as usize, encoded.len as usize);
            if let Some(bytes) = encoded.block.get(at..at.saturating_add(len)) {
                let mut out = out;
                out.extend_from_slice(bytes);
                return Some(out);
            }
        }
        postcard::to_extend(self.details(), out).ok()
    }

    /// Keeps the cards' details encoded, as the deck cache does, in one
    /// block for them all, decoded again when first asked for. A deck just
    /// parsed held each card's details decoded: for 116,700 cards, about
    /// 60 MB at the peak of a launch without caches, where the encoded
    /// details take 9 MB. Left as they are if they cannot be encoded.
    pub(crate) fn pack(cards: &mut [Card]) {
        let mut block = Vec::new();
        let mut spans = Vec::with_capacity(cards.len());
        for card in cards.iter() {
            let at = block.len();
            block = match card.encode_details(block) {
                Some(block) => block,
                None => return,
            };
            match (u32::try_from(at), u32::try_from(block.len() - at)) {
                (Ok(at), Ok(len)) => spans.push((at, len)),
                _ => return,
            }
        }
        block.shrink_to_fit();
        let block = std::sync::Arc::new(block);
        for (card, (at, len)) in cards.iter_mut().zip(spans) {
            // The kind of the details as they are now (they may have been
            // changed since the card was made).
            card.kind = card.kind();
            card.details = Lazy {
                decoded: std::sync::OnceLock::new(),
                encoded: Some(Encoded {
                    block: block.clone(),
                    at,
                    len,
                }),
            };
        }
    }

    /// Whether the details were decoded (tests check that a launch does not).
    #[cfg(test)]
    pub(crate) fn is_decoded(&self) -> bool {
        self.details.decoded.get().is_some()
    }

    pub fn content(&self) -> &Content {
        &self.details().content
    }

    pub fn explain(&self) -> Option<&str> {
        self.details().explain.as_deref()
    }

    pub fn source(&self) -> Option<&str> {
        self.details().source.as_deref()
    }

    pub fn tags(&self) -> &[Text] {
        &self.details().tags
    }
}

impl Details {
    /// A basic card flipped and self-rated, with nothing else: what tests
    /// and the exam simulation study.
    pub fn flip(question: &str, answer: &str) -> Details {
        Details {
            content: Content::Basic {
                question: question.into(),
                answer: answer.into(),
                accept: Vec::new(),
                typed: false,
            },
            explain: None,
            source: None,
            tags: Vec::new(),
        }
    }

    /// What a card shows when its details cannot be read (only a kioku
    /// that wrote a cache entry it cannot read gets here: the entry's
    /// checksum held), so that the card is not lost for it.
    fn unreadable() -> Details {
        Details::flip(
            "(this card could not be read from the cache: delete the cache folder that `kioku paths` names)",
            "",
        )
    }
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Card")
            .field("deck_id", &self.deck_id)
            .field("id", &self.id)
            .field("note_id", &self.note_id)
            .field("line", &self.line)
            .field("details", self.details())
            .finish()
    }
}

impl PartialEq for Card {
    fn eq(&self, other: &Card) -> bool {
        self.deck_id == other.deck_id
            && self.id == other.id
            && self.note_id == other.note_id
            && self.line == other.line
            && self.kind() == other.kind()
            && self.details() == other.details()
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
    /// All answers required, in any order. `accept[i]` holds the other
    /// accepted forms of `answers[i]` (same length; empty lists when none).
    Multi {
        question: Text,
        answers: Vec<Text>,
        accept: Vec<Vec<Text>>,
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
    /// `{{c1::sixty|60::a number}}`: `answer` is the first alternative (the
    /// one displayed), `accept` the others.
    Deletion {
        group: u32,
        answer: Text,
        accept: Vec<Text>,
        hint: Option<Text>,
    },
}

/// Helpers for showing a cloze card.
pub(crate) mod cloze {
    use super::{ClozeSegment, Text};

    /// The text with the active group's deletions replaced by `[...]` (or
    /// `[hint]`) and every other deletion shown as its answer.
    pub(crate) fn prompt(segments: &[ClozeSegment], active: u32) -> String {
        render(segments, active, |_, hint| match hint {
            Some(h) => format!("[{h}]"),
            None => "[...]".to_string(),
        })
    }

    #[cfg(test)]
    /// The full text, every deletion filled in.
    pub(crate) fn full_text(segments: &[ClozeSegment]) -> String {
        render(segments, 0, |answer, _| answer.to_string())
    }

    /// The answers of the active group, in order of appearance.
    pub(crate) fn answers(segments: &[ClozeSegment], active: u32) -> Vec<&str> {
        blanks(segments, active)
            .into_iter()
            .map(|(a, _)| a)
            .collect()
    }

    /// The active group's blanks: each answer with its other accepted forms.
    pub(crate) fn blanks(segments: &[ClozeSegment], active: u32) -> Vec<(&str, &[Text])> {
        segments
            .iter()
            .filter_map(|s| match s {
                ClozeSegment::Deletion {
                    group,
                    answer,
                    accept,
                    ..
                } if *group == active => Some((answer.as_str(), accept.as_slice())),
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
                    ..
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

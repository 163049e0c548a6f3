//! How well a card was recalled: the four answers of FSRS and Anki.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// 1 to 4, as FSRS numbers them.
    pub fn number(self) -> u32 {
        self as u32
    }

    pub fn from_number(n: u32) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.number() == n)
    }

    pub fn name(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }

    pub fn from_name(name: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether the card was recalled (everything but Again).
    pub fn passed(self) -> bool {
        self != Rating::Again
    }
}

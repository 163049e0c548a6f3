//! The drafted deck as TOML: the `#:schema` line, a header saying how the
//! draft was made, and each card with its confidence in a comment above it
//! so the author can review the doubtful ones first.

use std::fmt::Write as _;

use super::cards::{Body, DraftCard};

/// What goes in the `[deck]` table.
pub(crate) struct DeckHeader<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub documents: &'a [String],
    /// Relative path from the deck file to `schema/deck.schema.json`.
    pub schema: &'a str,
}

/// A TOML basic string, escaped.
fn q(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| q(i)).collect();
    format!("[{}]", items.join(", "))
}

pub(crate) fn deck_toml(header: &DeckHeader, cards: &[DraftCard]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "#:schema {}", header.schema);
    let _ = writeln!(
        out,
        "# Drafted by `kioku draft` from {}: {} cards. Review each one (keep, edit or",
        header.documents.join(", "),
        cards.len()
    );
    let _ = writeln!(
        out,
        "# delete it). The comment above a card gives its confidence, 0 to 1; review\n# the lowest first: `grep -n confidence` lists them."
    );
    let _ = writeln!(out, "[deck]");
    let _ = writeln!(out, "id = {}", q(header.id));
    let _ = writeln!(out, "title = {}", q(header.title));
    let _ = writeln!(
        out,
        "description = {}",
        q(&format!("A draft from {}.", header.documents.join(", ")))
    );
    for card in cards {
        let _ = writeln!(out, "\n# confidence {:.2}", card.confidence);
        let _ = writeln!(out, "[[card]]");
        let _ = writeln!(out, "id = {}", q(&card.id));
        match &card.body {
            Body::Cloze { text } => {
                let _ = writeln!(out, "text = {}", q(text));
            }
            Body::Basic {
                q: question,
                a,
                accept,
            } => {
                let _ = writeln!(out, "q = {}", q(question));
                let _ = writeln!(out, "a = {}", q(a));
                if !accept.is_empty() {
                    let _ = writeln!(out, "accept = {}", list(accept));
                }
                let _ = writeln!(out, "typed = true");
            }
            Body::Choice {
                q: question,
                a,
                choices,
            } => {
                let _ = writeln!(out, "q = {}", q(question));
                let _ = writeln!(out, "a = {}", q(a));
                let _ = writeln!(out, "choices = {}", list(choices));
            }
        }
        let _ = writeln!(out, "source = {}", q(&card.source));
        let _ = writeln!(out, "quote = {}", q(&card.quote));
        if !card.tags.is_empty() {
            let _ = writeln!(out, "tags = {}", list(&card.tags));
        }
    }
    out
}

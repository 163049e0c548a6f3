//! `kioku doctor [PATH...]`: reviews in the progress log that match no card
//! (a card renamed or removed), each with the card it probably belongs to
//! and the `was` line that would bring its history back. Only reads.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;

use jiff::Timestamp;
use serde::Serialize;

use super::{Context, Outcome, load_valid, progress_path};
use crate::cli::DataArgs;
use crate::deck::Deck;
use crate::error::Error;
use crate::progress::{self, EventKind};
use crate::text;

#[derive(Debug, Serialize)]
struct Orphan {
    key: String,
    reviews: usize,
    last: Timestamp,
    /// The card it probably belongs to, and the line to add to it.
    suggestion: Option<Suggestion>,
}

#[derive(Debug, Serialize)]
struct Suggestion {
    card: String,
    question: String,
    file: String,
    add: String,
}

pub(crate) fn run(ctx: &Context, args: &DataArgs) -> Result<Outcome, Error> {
    let collection = load_valid(ctx, &args.decks.paths)?;
    let log_path = progress_path(ctx)?;
    let log = progress::read(&log_path)?;
    super::warn(ctx, &log.warnings);
    let mut events = log.events;
    let renames = crate::deck::renames(&collection.decks);
    crate::schedule::open::follow_renames(&renames, &mut events);
    let live: HashSet<String> = collection
        .decks
        .iter()
        .flat_map(|d| d.cards.iter().map(super::super::deck::model::Card::key))
        .collect();
    let mut reviewed: HashSet<&str> = HashSet::new();
    let mut orphans: BTreeMap<String, (usize, Timestamp)> = BTreeMap::new();
    for e in &events {
        if let EventKind::Review { key, .. } = &e.kind {
            reviewed.insert(key);
            if !live.contains(key.as_str()) {
                let entry = orphans.entry(key.to_string()).or_insert((0, e.time));
                entry.0 += 1;
                entry.1 = entry.1.max(e.time);
            }
        }
    }
    let found: Vec<Orphan> = orphans
        .into_iter()
        .map(|(key, (reviews, last))| Orphan {
            suggestion: suggest(&key, &collection.decks, &reviewed),
            key,
            reviews,
            last,
        })
        .collect();
    let mut out = text::Gate::stdout(&ctx.out);
    let columns = text::stdout_columns();
    if args.json {
        text::write_json(&mut out, &found)?;
    } else if found.is_empty() {
        let clean = format!("Every review in {} belongs to a card.", log_path.display());
        text::say(&mut out, columns, 0, &clean, str::to_string)?;
    } else {
        for o in &found {
            let orphan = format!(
                "{}: {} review{} (last {}) match no card",
                ctx.out.bold(&text::sanitize(&o.key, false)),
                o.reviews,
                if o.reviews == 1 { "" } else { "s" },
                o.last.to_zoned(jiff::tz::TimeZone::system()).date()
            );
            write!(
                out,
                "{}",
                text::hanging("", 2, &orphan, columns, str::to_string)
            )?;
            let advice = match &o.suggestion {
                Some(s) => format!(
                    "probably {} (\"{}\", {}): add {} to it",
                    text::sanitize(&s.card, false),
                    text::truncate(&text::sanitize(&s.question, false), 50),
                    text::sanitize(&s.file, false),
                    s.add
                ),
                None => "no similar card; the reviews are kept in case it comes back".into(),
            };
            text::say(&mut out, columns, 2, &advice, str::to_string)?;
        }
        let total = format!(
            "{} card{} with orphaned reviews; the log is never changed, a `was` line moves the history",
            found.len(),
            if found.len() == 1 { "" } else { "s" }
        );
        text::say(&mut out, columns, 0, &total, str::to_string)?;
    }
    Ok(if found.is_empty() {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

/// The card an orphaned key most likely became: a card of the same deck
/// (any deck when that deck is gone) whose id is most like the old one,
/// favouring cards with no reviews of their own (a renamed card starts
/// with none).
fn suggest(key: &str, decks: &[Deck], reviewed: &HashSet<&str>) -> Option<Suggestion> {
    let parts = crate::schedule::CardKey::parse(key);
    let deck_id = Some(parts.deck).filter(|d| !d.is_empty())?;
    let (old_note, suffix) = parts.card.split_at(parts.note.len());
    let same_deck = decks.iter().any(|d| d.id == deck_id);
    let mut best: Option<(f64, &Deck, &crate::deck::Card)> = None;
    for d in decks.iter().filter(|d| !same_deck || d.id == deck_id) {
        for c in &d.cards {
            // A cloze group or reverse side follows its note.
            if !c.id.ends_with(suffix) {
                continue;
            }
            let mut score = strsim::jaro_winkler(old_note, &c.note_id);
            if !reviewed.contains(c.key().as_str()) {
                score += 0.2;
            }
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, d, c));
            }
        }
    }
    let (score, d, c) = best?;
    if score < 0.6 {
        return None;
    }
    let old = if d.id == deck_id {
        old_note.to_string()
    } else {
        format!("{deck_id}/{old_note}")
    };
    Some(Suggestion {
        card: c.key(),
        question: crate::session::ask::question(c),
        file: format!("{}:{}", d.path.display(), c.line),
        add: format!("was = [\"{old}\"]"),
    })
}

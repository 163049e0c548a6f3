//! `kioku export PATH... --to FILE.apkg|FILE.csv`: decks out to Anki (with
//! kioku's reviews as Anki review history under `--with-history`) or to a
//! CSV file with one row per card.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use super::{Context, Outcome};
use crate::bridge::anki_write::{self, CardHistory};
use crate::cli::ExportArgs;
use crate::deck::Deck;
use crate::error::Error;
use crate::progress::EventKind;
use crate::schedule::memory::Memory;
use crate::schedule::{Days, Review};

pub(crate) fn run(ctx: &Context, args: &ExportArgs) -> Result<Outcome, Error> {
    let ext = args
        .to
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ext != "apkg" && ext != "csv" {
        return Err(Error::Usage(format!(
            "`--to {}`: the file must end in .apkg (Anki) or .csv",
            args.to.display()
        )));
    }
    if args.with_history && ext != "apkg" {
        return Err(Error::Usage(
            "--with-history needs an .apkg file (a CSV holds no history)".into(),
        ));
    }
    if args.to.exists() && !args.force {
        return Err(Error::Export {
            path: args.to.clone(),
            reason: "the file already exists; add --force to replace it".into(),
        });
    }
    let collection = super::load_valid(ctx, &args.decks.paths)?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(format!("exporting to {}", args.to.display()));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let result = if ext == "csv" {
        crate::bridge::delimited::write_csv(&args.to, &collection.decks).map(|rows| {
            format!(
                "Exported {} deck{}, {rows} card{} to {}.",
                collection.decks.len(),
                if collection.decks.len() == 1 { "" } else { "s" },
                if rows == 1 { "" } else { "s" },
                args.to.display()
            )
        })
    } else {
        apkg(ctx, args, &collection.decks)
    };
    bar.finish_and_clear();
    let line = crate::text::sanitize(&result?, false);
    let columns = crate::text::stdout_columns();
    crate::text::say(
        &mut crate::text::Gate::stdout(&ctx.out),
        columns,
        0,
        &line,
        str::to_string,
    )?;
    Ok(Outcome::Success)
}

fn apkg(ctx: &Context, args: &ExportArgs, decks: &[Deck]) -> Result<String, Error> {
    let (log_path, config) = super::config(ctx)?;
    let days = Days::local(config.day_starts_at);
    let now = Timestamp::now();
    let history = if args.with_history {
        let log = crate::progress::read(&log_path)?;
        super::warn(ctx, &log.warnings);
        Some(histories(&log.events, decks, &config, &days))
    } else {
        None
    };
    let counts = anki_write::write_apkg(
        &args.to,
        decks,
        history.as_ref(),
        now,
        days.index(now),
        |d| days.start(d),
    )?;
    let mut line = format!(
        "Exported {} deck{}, {} notes, {} cards",
        decks.len(),
        if decks.len() == 1 { "" } else { "s" },
        counts.notes,
        counts.cards
    );
    if args.with_history {
        line.push_str(&format!(", {} reviews", counts.reviews));
    }
    line.push_str(&format!(" to {}.", args.to.display()));
    Ok(line)
}

/// Every card's reviews (undone ones taken out), its due day by kioku's
/// FSRS, and whether it is suspended.
fn histories(
    events: &[crate::progress::Event],
    decks: &[Deck],
    config: &crate::config::Config,
    days: &Days,
) -> HashMap<String, CardHistory> {
    let undone: HashSet<u64> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Undo { target } => Some(target.0),
            _ => None,
        })
        .collect();
    let mut ordered: Vec<&crate::progress::Event> = events.iter().collect();
    ordered.sort_by_key(|e| e.time);
    let mut reviews: HashMap<&str, Vec<Review>> = HashMap::new();
    let mut suspended: HashMap<&str, bool> = HashMap::new();
    for e in ordered {
        match &e.kind {
            EventKind::Review {
                key,
                rating,
                answer_ms,
                mode,
                ..
            } if !undone.contains(&e.id.0) => reviews
                .entry(key)
                .or_default()
                .push(Review::new(e.id, e.time, *rating, *answer_ms, *mode)),
            EventKind::Suspend { key } => {
                suspended.insert(key, true);
            }
            EventKind::Unsuspend { key } => {
                suspended.insert(key, false);
            }
            _ => {}
        }
    }
    let memory = Memory::new(config);
    let mut out = HashMap::new();
    for deck in decks {
        let retention = deck.retention.unwrap_or(config.desired_retention);
        for card in &deck.cards {
            let key = card.key();
            let r = reviews.get(key.as_str()).map_or(&[][..], Vec::as_slice);
            let state = memory.state(r, retention, days);
            out.insert(
                key.clone(),
                CardHistory {
                    reviews: r
                        .iter()
                        .map(|r| (r.time(), r.rating(), r.answer_ms()))
                        .collect(),
                    due_day: state.due.map(|t| days.index(t)),
                    interval_days: state.interval_days,
                    suspended: suspended.get(key.as_str()).copied().unwrap_or(false),
                },
            );
        }
    }
    out
}

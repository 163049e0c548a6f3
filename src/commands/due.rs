//! `kioku due`: what is due now, today, and how many new cards are
//! available, per deck. Read-only: it never waits for a running session.

use std::io::Write;

use jiff::Timestamp;

use super::{Context, Outcome, config, leave_to_exit, load_valid, replay};
use crate::cli::DataArgs;
use crate::error::Error;
use crate::schedule::DueCounts;
use crate::text;

#[derive(serde::Serialize)]
struct DeckDue<'a> {
    deck: &'a str,
    #[serde(flatten)]
    counts: &'a DueCounts,
}

pub(crate) fn run(ctx: &Context, args: &DataArgs) -> Result<Outcome, Error> {
    let ahead = super::read_log_ahead(ctx, false)?;
    let collection = load_valid(ctx, &args.decks.paths)?;
    let (_, config) = config(ctx)?;
    let scheduler = replay(ctx, &collection.decks, config, Some(ahead))?;
    let counts = scheduler.due_counts(Timestamp::now());
    // Read-only: the scheduler holds no store.
    leave_to_exit(scheduler);
    leave_to_exit(collection);
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if args.json {
        let rows: Vec<DeckDue> = counts
            .iter()
            .map(|(deck, counts)| DeckDue { deck, counts })
            .collect();
        crate::text::write_json(&mut out, &rows)?;
        return Ok(Outcome::Success);
    }
    let width = counts
        .iter()
        .map(|(d, _)| text::width(d))
        .max()
        .unwrap_or(4)
        .max(5);
    writeln!(
        out,
        "{}  {:>7}  {:>9}  {:>4}",
        text::pad("deck", width),
        "due now",
        "due today",
        "new"
    )?;
    let mut total = DueCounts::default();
    for (deck, c) in &counts {
        writeln!(
            out,
            "{}  {:>7}  {:>9}  {:>4}",
            text::pad(&text::sanitize(deck, false), width),
            c.due_now,
            c.due_today,
            c.new_available
        )?;
        total.due_now += c.due_now;
        total.due_today += c.due_today;
        total.new_available += c.new_available;
    }
    if counts.len() > 1 {
        writeln!(
            out,
            "{}  {:>7}  {:>9}  {:>4}",
            text::pad("all", width),
            total.due_now,
            total.due_today,
            total.new_available
        )?;
    }
    Ok(Outcome::Success)
}

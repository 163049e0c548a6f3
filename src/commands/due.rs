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
    let mut total = DueCounts::default();
    for (_, c) in &counts {
        total.due_now += c.due_now;
        total.due_today += c.due_today;
        total.new_available += c.new_available;
    }
    let mut rows: Vec<(String, &DueCounts)> = counts
        .iter()
        .map(|(deck, c)| (text::sanitize(deck, false), c))
        .collect();
    if counts.len() > 1 {
        rows.push(("all".to_string(), &total));
    }
    for line in table(&rows, text::stdout_columns()) {
        writeln!(out, "{line}")?;
    }
    Ok(Outcome::Success)
}

/// The table's lines: a deck column and three counts, with the counts'
/// headings shortened ("now", "today") and then the deck names cut when
/// the terminal is narrower than the table.
fn table(rows: &[(String, &DueCounts)], columns: Option<usize>) -> Vec<String> {
    let deck = rows
        .iter()
        .map(|(d, _)| text::width(d))
        .max()
        .unwrap_or(4)
        .max(4);
    let digits = |n: usize| n.to_string().len();
    let widest = |f: &dyn Fn(&DueCounts) -> usize| rows.iter().map(|(_, c)| digits(f(c))).max();
    let counts = [
        widest(&|c| c.due_now).unwrap_or(1),
        widest(&|c| c.due_today).unwrap_or(1),
        widest(&|c| c.new_available).unwrap_or(1),
    ];
    let fit =
        |headings: [&str; 3]| -> [usize; 3] { [0, 1, 2].map(|i| counts[i].max(headings[i].len())) };
    let total = |deck: usize, w: [usize; 3]| deck + w.iter().map(|w| w + 2).sum::<usize>();
    let long = ["due now", "due today", "new"];
    let mut headings = long;
    if columns.is_some_and(|c| total(deck, fit(long)) > c) {
        headings = ["now", "today", "new"];
    }
    let w = fit(headings);
    let deck = match columns {
        Some(c) if total(deck, w) > c => c.saturating_sub(total(0, w)).max(4),
        _ => deck,
    };
    let line = |name: &str, values: [String; 3]| {
        format!(
            "{}  {:>a$}  {:>b$}  {:>c$}",
            text::pad(&text::truncate(name, deck), deck),
            values[0],
            values[1],
            values[2],
            a = w[0],
            b = w[1],
            c = w[2],
        )
    };
    let mut out = vec![line("deck", headings.map(str::to_string))];
    for (name, c) in rows {
        out.push(line(
            name,
            [c.due_now, c.due_today, c.new_available].map(|n| n.to_string()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(due_now: usize, due_today: usize, new_available: usize) -> DueCounts {
        DueCounts {
            due_now,
            due_today,
            new_available,
        }
    }

    #[test]
    fn a_wide_table_keeps_its_headings_and_a_narrow_one_fits() {
        let a = counts(3, 12, 20);
        let b = counts(0, 0, 1234);
        let rows = vec![
            ("cold-war-and-1990s".to_string(), &a),
            ("islands".to_string(), &b),
        ];
        let wide = table(&rows, Some(80));
        assert_eq!(wide[0], "deck                due now  due today   new");
        assert_eq!(wide[1], "cold-war-and-1990s        3         12    20");
        let narrow = table(&rows, Some(40));
        assert_eq!(narrow[0], "deck                now  today   new");
        assert_eq!(narrow[1], "cold-war-and-1990s    3     12    20");
        let tiny = table(&rows, Some(30));
        assert!(tiny.iter().all(|l| text::width(l) <= 30), "{tiny:?}");
        assert!(tiny[1].starts_with("cold-war-an…"), "{tiny:?}");
        assert_eq!(table(&rows, None), wide);
    }
}

//! `kioku list`: the decks, their cards per kind, and tags.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::{Context, Outcome, load_valid};
use crate::cli::DataArgs;
use crate::deck::{CardKind, Deck};
use crate::error::Error;
use crate::text;

#[derive(Serialize)]
struct DeckSummary<'a> {
    id: &'a str,
    title: &'a str,
    /// The deck file, or `null` for a built-in deck.
    path: Option<String>,
    /// `built-in` or `file`.
    origin: &'static str,
    cards: usize,
    kinds: BTreeMap<&'static str, usize>,
    tags: &'a [String],
}

fn summarize(deck: &Deck) -> DeckSummary<'_> {
    let builtin = crate::deck::builtin::is_builtin(&deck.path);
    let mut kinds = BTreeMap::new();
    for card in &deck.cards {
        *kinds.entry(card.kind().name()).or_insert(0) += 1;
    }
    DeckSummary {
        id: &deck.id,
        title: &deck.title,
        path: (!builtin).then(|| deck.path.display().to_string()),
        origin: if builtin { "built-in" } else { "file" },
        cards: deck.cards.len(),
        kinds,
        tags: &deck.tags,
    }
}

pub(crate) fn run(ctx: &Context, args: &DataArgs) -> Result<Outcome, Error> {
    let collection = load_valid(ctx, &args.decks.paths)?;
    let summaries: Vec<DeckSummary> = collection.decks.iter().map(summarize).collect();
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if args.json {
        crate::text::write_json(&mut out, &summaries)?;
        return Ok(Outcome::Success);
    }
    let id_width = summaries
        .iter()
        .map(|s| text::width(s.id))
        .max()
        .unwrap_or(0);
    let columns = text::stdout_columns();
    // Details stand under the titles, unless the ids leave them too
    // little room (a narrow terminal): then under the ids.
    let indent = match columns {
        Some(c) if id_width + 2 + 24 > c => 2,
        _ => id_width + 2,
    };
    for s in &summaries {
        let kinds: Vec<String> = CardKind::ALL
            .iter()
            .filter_map(|k| s.kinds.get(k.name()).map(|n| format!("{n} {}", k.name())))
            .collect();
        let id = ctx
            .out
            .bold(&text::pad(&text::sanitize(s.id, false), id_width));
        let title = text::sanitize(s.title, false);
        if indent == id_width + 2 {
            let lead = format!("{id}  ");
            write!(
                out,
                "{}",
                text::hanging(&lead, indent, &title, columns, str::to_string)
            )?;
        } else {
            writeln!(out, "{}", ctx.out.bold(&text::sanitize(s.id, false)))?;
            text::say(&mut out, columns, indent, &title, str::to_string)?;
        }
        let cards = format!(
            "{} cards: {}",
            s.cards,
            if kinds.is_empty() {
                "none".to_string()
            } else {
                kinds.join(", ")
            }
        );
        text::say(&mut out, columns, indent, &cards, str::to_string)?;
        let from = s.path.as_deref().map_or_else(
            || "built into kioku (`kioku decks export DIR` writes it out)".to_string(),
            |p| text::sanitize(p, false),
        );
        let from = format!("from: {from}");
        text::say(&mut out, columns, indent, &from, |t| ctx.out.dim(t))?;
        if !s.tags.is_empty() {
            let tags = format!("tags: {}", text::sanitize(&s.tags.join(", "), false));
            text::say(&mut out, columns, indent, &tags, |t| ctx.out.dim(t))?;
        }
    }
    let total: usize = summaries.iter().map(|s| s.cards).sum();
    let decks = summaries.len();
    writeln!(
        out,
        "{decks} deck{}, {total} card{}",
        plural(decks),
        plural(total)
    )?;
    Ok(Outcome::Success)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

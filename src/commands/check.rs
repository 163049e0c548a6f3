//! `kioku check`: every problem in every deck file, then a one-line summary.

use std::io::Write;

use serde::Serialize;

use super::{Context, Outcome};
use crate::cli::CheckArgs;
use crate::deck;
use crate::diagnostic::Diagnostic;
use crate::error::Error;

#[derive(Serialize)]
struct Report<'a> {
    files: usize,
    decks: usize,
    cards: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub(crate) fn run(ctx: &Context, args: &CheckArgs) -> Result<Outcome, Error> {
    let set = deck::DeckSet::find(&args.data.decks.paths)?;
    let mut collection = set.load(None, deck::parse::Checks::All);
    if let Some(dir) = &args.sources {
        if !dir.is_dir() {
            return Err(Error::PathNotFound { path: dir.clone() });
        }
        // Built-in decks carry no quotes: only files on disk are checked.
        if let deck::DeckSet::Files(files) = &set {
            let found = crate::draft::provenance::check(files, &collection.decks, dir);
            collection.diagnostics.extend(found);
        }
    }
    collection
        .diagnostics
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    let errors = collection.errors();
    let warnings = collection.warnings();
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if args.data.json {
        let report = Report {
            files: collection.files,
            decks: collection.decks.len(),
            cards: collection.cards(),
            errors,
            warnings,
            diagnostics: &collection.diagnostics,
        };
        crate::text::write_json(&mut out, &report)?;
    } else {
        // Wrapped to a terminal; whole lines for a file or a pipe.
        let width = crate::text::stdout_columns();
        for d in &collection.diagnostics {
            writeln!(out, "{}", d.render(&ctx.out, width))?;
        }
        writeln!(out, "{}", summary(&collection, errors, warnings, ctx))?;
    }
    super::leave_to_exit(collection);
    Ok(if errors == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

fn summary(collection: &deck::Collection, errors: usize, warnings: usize, ctx: &Context) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        let files_with_errors = {
            let mut f: Vec<_> = collection
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| &d.file)
                .collect();
            f.dedup();
            f.len()
        };
        let mut line = if files_with_errors == collection.files {
            format!(
                "{} in {}",
                plural(errors, "error"),
                plural(files_with_errors, "file")
            )
        } else {
            format!(
                "{} in {files_with_errors} of {}",
                plural(errors, "error"),
                plural(collection.files, "file")
            )
        };
        if warnings > 0 {
            line.push_str(&format!(", {}", plural(warnings, "warning")));
        }
        return ctx.out.red_bold(&line);
    }
    let mut line = format!(
        "{}, {}, no problems",
        plural(collection.decks.len(), "deck"),
        plural(collection.cards(), "card")
    );
    if warnings > 0 {
        line = format!(
            "{}, {}, no errors, {}",
            plural(collection.decks.len(), "deck"),
            plural(collection.cards(), "card"),
            plural(warnings, "warning")
        );
        return ctx.out.yellow_bold(&line);
    }
    ctx.out.green_bold(&line)
}

//! `kioku class report PATH...`: an instructor's view of a class, from the
//! students' logs and quiz results ([`crate::class`]). It only reads: no
//! input is ever written.

use std::io::Write;

use super::{Context, Outcome, config, load_valid};
use crate::class::{input, render, report};
use crate::cli::{ClassCommand, ClassReportArgs};
use crate::error::Error;

pub(crate) fn run(ctx: &Context, command: &ClassCommand) -> Result<Outcome, Error> {
    match command {
        ClassCommand::Report(args) => report(ctx, args),
    }
}

fn report(ctx: &Context, args: &ClassReportArgs) -> Result<Outcome, Error> {
    let exam = match &args.exam {
        Some(text) => Some(text.parse::<jiff::civil::Date>().map_err(|_| {
            Error::Usage(format!("`{text}` is not a date; write it as YYYY-MM-DD"))
        })?),
        None => None,
    };
    let (sources, problems) = input::gather(&args.inputs)?;
    let collection = load_valid(ctx, &args.decks)?;
    let (_, settings) = config(ctx)?;
    // Without --exam, the instructor's own next exam, if one is set.
    let today = jiff::Zoned::now().date();
    let exam = exam.or_else(|| {
        settings
            .exams
            .iter()
            .filter_map(|e| e.date.parse::<jiff::civil::Date>().ok())
            .filter(|d| *d >= today)
            .min()
    });
    let days = crate::schedule::Days::local(settings.day_starts_at);
    let renames = crate::deck::renames(&collection.decks);
    let result = report::compute(sources, problems, &collection.decks, &renames, exam, &days);
    let mut stderr = crate::text::Gate::stderr(&ctx.err);
    for p in &result.problems {
        let _ = writeln!(
            stderr,
            "{}: {p}",
            if p.skipped {
                ctx.err.red_bold("problem")
            } else {
                ctx.err.yellow_bold("warning")
            }
        );
    }
    drop(stderr);
    let skipped = result.problems.iter().any(|p| p.skipped);
    // Problems were said to whoever runs the report; the output may be shared.
    let mut result = result;
    if args.anonymous {
        report::anonymize(&mut result);
    }
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if args.json {
        crate::text::write_json(&mut out, &result)?;
    } else if args.csv {
        let text =
            render::csv(&result).map_err(|e| Error::Class(format!("cannot write CSV: {e}")))?;
        out.write_all(text.as_bytes())?;
    } else if let Some(path) = &args.html {
        std::fs::write(path, render::html(&result)).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        writeln!(
            out,
            "Wrote the report for {} students to {}.",
            result.students,
            path.display()
        )?;
    } else {
        let width = terminal_width();
        write!(out, "{}", render::table(&result, &ctx.out, width))?;
    }
    Ok(if skipped {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// The terminal's width; when piped, `COLUMNS` or 80.
pub(crate) fn terminal_width() -> usize {
    if let Some(columns) = crate::text::stdout_columns() {
        return columns;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|c: &usize| *c >= 20)
        .unwrap_or(80)
}

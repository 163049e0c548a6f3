//! `kioku import FILE... [--into DIR]`: Anki packages and CSV/TSV files to
//! kioku decks, with Anki's review history appended to the progress log.
//! Every file is read and every deck checked before anything is written.

use std::collections::HashSet;
use std::io::Write;

use jiff::Timestamp;

use super::{Context, Outcome};
use crate::bridge::{Import, anki_read, delimited, write};
use crate::cli::ImportArgs;
use crate::error::Error;
use crate::progress::{EventKind, Store};
use crate::schedule::Days;

pub(crate) fn run(ctx: &Context, args: &ImportArgs) -> Result<Outcome, Error> {
    let (log_path, config) = super::config(ctx)?;
    let days = Days::local(config.day_starts_at);
    let now = Timestamp::now();
    let tomorrow = days.start(days.index(now) + 1);
    let options = delimited::Options {
        delimiter: args.delimiter,
        header: match (args.header, args.no_header) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
    };
    let bar = progress_bar(args.files.len() as u64 + 2);
    let mut imports: Vec<Import> = Vec::new();
    for file in &args.files {
        bar.set_message(format!("reading {}", file.display()));
        if !file.is_file() {
            bar.finish_and_clear();
            return Err(Error::PathNotFound { path: file.clone() });
        }
        let read = if anki_read::is_package(file) || anki_read::looks_like_zip(file) {
            anki_read::read(file, now, tomorrow)
        } else {
            delimited::read(file, options)
        };
        match read {
            Ok(import) => imports.push(import),
            Err(e) => {
                bar.finish_and_clear();
                return Err(e);
            }
        }
        bar.inc(1);
    }
    bar.set_message("checking the decks");
    let planned =
        write::plan(&args.into, &imports, args.force).inspect_err(|_| bar.finish_and_clear())?;
    bar.inc(1);
    // Hold the log before writing anything: a running session refuses the
    // import whole rather than after the decks are written.
    let has_events = imports.iter().any(|i| !i.events.is_empty());
    let mut log = match has_events {
        true => Some(Store::open(&log_path).inspect_err(|_| bar.finish_and_clear())?),
        false => None,
    };
    bar.set_message("writing");
    write::write_files(&args.into, &planned).inspect_err(|_| bar.finish_and_clear())?;
    let mut added = 0;
    if let Some((store, loaded)) = log.as_mut() {
        let known: HashSet<u64> = loaded.events.iter().map(|e| e.id.0).collect();
        let events: Vec<_> = imports
            .iter()
            .flat_map(|i| i.events.iter().cloned())
            .collect();
        added =
            write::append_events(store, &known, &events).inspect_err(|_| bar.finish_and_clear())?;
    }
    bar.finish_and_clear();
    drop(log);
    summary(ctx, args, &imports, &planned, added, &log_path)?;
    Ok(Outcome::Success)
}

fn progress_bar(len: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template("Importing  {bar:30} {pos}/{len}  {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// A sentence wrapped between words to the terminal's width (whole for a
/// file or a pipe).
fn say(out: &mut impl Write, text: &str, width: Option<usize>) -> std::io::Result<()> {
    crate::text::say(out, width, 0, text, str::to_string)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(
    ctx: &Context,
    args: &ImportArgs,
    imports: &[Import],
    planned: &[write::Planned],
    added: usize,
    log_path: &std::path::Path,
) -> Result<(), Error> {
    let width = crate::text::stdout_columns();
    let err_width = crate::text::stderr_columns();
    let mut out = crate::text::Gate::stdout(&ctx.out);
    let safe = |t: &str| crate::text::sanitize(t, false);
    for p in planned {
        say(
            &mut out,
            &format!(
                "{}  {} · {}",
                safe(&p.path.display().to_string()),
                p.deck_id,
                plural(p.cards, "card", "cards")
            ),
            width,
        )?;
    }
    let reviews: usize = imports.iter().map(Import::reviews).sum();
    let count = |f: fn(&EventKind) -> bool| {
        imports
            .iter()
            .flat_map(|i| &i.events)
            .filter(|e| f(&e.kind))
            .count()
    };
    let suspended = count(|k| matches!(k, EventKind::Suspend { .. }));
    let buried = count(|k| matches!(k, EventKind::Bury { .. }));
    let cards: usize = planned.iter().map(|p| p.cards).sum();
    let warnings: Vec<&String> = imports.iter().flat_map(|i| &i.warnings).collect();
    say(
        &mut out,
        &format!(
            "Imported {}, {}, {} into {}.",
            plural(planned.len(), "deck", "decks"),
            plural(cards, "card", "cards"),
            plural(reviews, "review", "reviews"),
            safe(&args.into.display().to_string())
        ),
        width,
    )?;
    if reviews + suspended + buried > 0 {
        let mut line = format!("{} added", plural(added, "event", "events"));
        let already = reviews + suspended + buried - added.min(reviews + suspended + buried);
        if already > 0 {
            line.push_str(&format!(" ({already} already there)"));
        }
        if suspended + buried > 0 {
            line.push_str(&format!(
                "; {suspended} suspended, {buried} buried until tomorrow"
            ));
        }
        say(&mut out, &format!("{line}. Progress log:"), width)?;
        // The path whole on a line of its own, as `paths` shows it
        // (wrapped with the sentence, its colon was left alone on the next
        // line at 40 columns).
        let path = safe(&log_path.display().to_string());
        writeln!(out, "{}", crate::text::path_line(&path, width))?;
    }
    let media: std::collections::BTreeSet<&String> =
        imports.iter().flat_map(|i| &i.media).collect();
    if !media.is_empty() {
        let names: Vec<String> = media.iter().take(10).map(|m| safe(m)).collect();
        say(
            &mut out,
            &format!(
                "{} referenced, not copied (kioku shows text; the cards name them): {}{}",
                plural(media.len(), "media file", "media files"),
                names.join(", "),
                if media.len() > 10 { ", ..." } else { "" }
            ),
            width,
        )?;
    }
    drop(out);
    let mut err = crate::text::Gate::stderr(&ctx.err);
    for w in &warnings {
        // Later lines stand under the message, after `warning: `.
        let lead = format!("{}: ", ctx.err.yellow_bold("warning"));
        let said = crate::text::hanging(
            &lead,
            "warning: ".len(),
            &safe(w),
            err_width,
            str::to_string,
        );
        let _ = write!(err, "{said}");
    }
    if !warnings.is_empty() {
        let _ = writeln!(err, "{}", plural(warnings.len(), "warning", "warnings"));
    }
    Ok(())
}

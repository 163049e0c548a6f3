//! `kioku draft DOC...`: reads the documents, drafts a deck and writes it
//! (to `-o FILE` or stdout); what was found is said on stderr.

use std::io::Write;
use std::path::Path;

use super::{Context, Outcome};
use crate::cli::DraftArgs;
use crate::draft::{self, read, write};
use crate::error::Error;

/// Documents larger than this get a progress bar (on a terminal).
const BAR_FROM: u64 = 1 << 20;

pub(crate) fn run(ctx: &Context, args: &DraftArgs) -> Result<Outcome, Error> {
    let mut total = 0;
    for doc in &args.docs {
        let meta = std::fs::metadata(doc).map_err(|_| Error::PathNotFound { path: doc.clone() })?;
        total += meta.len();
    }
    let bar = (total >= BAR_FROM).then(|| {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("Reading {wide_bar} {bytes}/{total_bytes}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut docs = Vec::new();
    for path in &args.docs {
        let doc = read::read_file(path, &mut |n| {
            if let Some(bar) = &bar {
                bar.inc(n);
            }
        })?;
        docs.push(doc);
    }
    // Drafting a long document takes longer than reading it: say so.
    let spinner = bar.map(|bar| {
        bar.finish_and_clear();
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message("Drafting cards");
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        spinner
    });
    let (cards, report) = draft::draft(&docs, args.max);
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let names: Vec<String> = docs.iter().map(|d| d.name.clone()).collect();
    let id = args
        .deck_id
        .clone()
        .unwrap_or_else(|| draft::deck_id_from(&names[0]));
    let title = docs
        .iter()
        .find_map(|d| d.title.clone())
        .unwrap_or_else(|| format!("Draft from {}", names.join(", ")));
    let schema = schema_path(args.output.as_deref());
    let toml = write::deck_toml(
        &write::DeckHeader {
            id: &id,
            title: &title,
            documents: &names,
            schema: &schema,
        },
        &cards,
    );
    match &args.output {
        Some(path) => write_whole(path, &toml).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?,
        None => std::io::stdout().lock().write_all(toml.as_bytes())?,
    }
    let mut err = crate::text::Gate::stderr(&ctx.err);
    let columns = crate::text::stderr_columns();
    for note in &report.notes {
        let lead = format!("{}: ", ctx.err.yellow_bold("note"));
        let note = crate::text::sanitize(note, false);
        let _ = write!(
            err,
            "{}",
            crate::text::hanging(&lead, "note: ".len(), &note, columns, str::to_string)
        );
    }
    let low = cards.iter().filter(|c| c.confidence < 0.5).count();
    // A cloze note is a card per blank, as `kioku check` counts them.
    let studied: usize = cards
        .iter()
        .map(|c| match &c.body {
            draft::cards::Body::Cloze { .. } => c.body.answers().len(),
            _ => 1,
        })
        .sum();
    let drafted = format!(
        "drafted {studied} card{} ({} [[card]] table{}) from {} sentence{} in {} document{}{}",
        if studied == 1 { "" } else { "s" },
        cards.len(),
        if cards.len() == 1 { "" } else { "s" },
        report.sentences,
        if report.sentences == 1 { "" } else { "s" },
        docs.len(),
        if docs.len() == 1 { "" } else { "s" },
        match &args.output {
            Some(p) => format!(
                " into {}",
                crate::text::sanitize(&p.display().to_string(), false)
            ),
            None => String::new(),
        }
    );
    let _ = crate::text::say(&mut err, columns, 0, &drafted, str::to_string);
    if low > 0 {
        let low =
            format!("{low} with confidence under 0.5: review those first (`grep -n confidence`)");
        let _ = crate::text::say(&mut err, columns, 0, &low, str::to_string);
    }
    Ok(Outcome::Success)
}

/// Writes through a temporary file beside `path`, so an interrupted run
/// never leaves half a deck behind.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The `#:schema` path from the deck's folder to `schema/deck.schema.json`,
/// found by looking up from where the deck is written; the shipped decks'
/// `../schema/...` when there is none.
fn schema_path(output: Option<&Path>) -> String {
    let fallback = "../schema/deck.schema.json".to_string();
    let Some(dir) = output
        .and_then(|o| o.parent())
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .and_then(|p| p.canonicalize().ok())
    else {
        return fallback;
    };
    let mut up = String::new();
    for ancestor in dir.ancestors() {
        if ancestor.join("schema/deck.schema.json").is_file() {
            return format!("{up}schema/deck.schema.json");
        }
        up.push_str("../");
    }
    fallback
}

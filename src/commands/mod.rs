//! One module per subcommand. Each takes its arguments and a [`Context`] and
//! returns whether it succeeded; errors propagate to `lib.rs`, which reports
//! them once.

pub(crate) mod check;
pub(crate) mod class;
pub(crate) mod decks;
pub(crate) mod doctor;
pub(crate) mod draft;
pub(crate) mod due;
pub(crate) mod exam;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod install;
pub(crate) mod list;
pub(crate) mod merge;
pub(crate) mod optimize;
pub(crate) mod paths;
pub(crate) mod quiz;
pub(crate) mod stats;
pub(crate) mod study;
pub(crate) mod sync;

use std::io::Write;

use crate::cli::GlobalArgs;
use crate::deck::{self, Collection};
use crate::error::Error;
use crate::paint::Paint;

/// What every command gets besides its own arguments.
pub(crate) struct Context {
    pub global: GlobalArgs,
    pub out: Paint,
    pub err: Paint,
}

/// A command's result: success, or problems that were already shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    Problems,
    /// Ended by Ctrl-C after saving and summing up: exit code 130.
    Interrupted,
}

/// Loads the decks under `paths` for commands that need valid decks: problems
/// are printed to stderr, and errors stop the command.
pub(crate) fn load_valid(ctx: &Context, paths: &[std::path::PathBuf]) -> Result<Collection, Error> {
    let collection = deck::DeckSet::find(paths)?.load(
        crate::paths::cache_dir().as_deref(),
        deck::parse::Checks::ErrorsOnly,
    );
    // Warnings are for `kioku check`; here only what stops the command.
    let mut stderr = crate::text::Gate::stderr(&ctx.err);
    let width = crate::text::stderr_columns();
    for d in collection.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = write!(stderr, "{}", d.render(&ctx.err, width));
    }
    match collection.errors() {
        0 => Ok(collection),
        errors => Err(Error::InvalidDecks { errors }),
    }
}

/// The progress log's path, checked ([`crate::paths::log`]).
pub(crate) fn progress_path(ctx: &Context) -> Result<std::path::PathBuf, Error> {
    crate::paths::log(&ctx.global)
}

/// The settings file's path ([`crate::paths::config`]), saying where
/// settings moved when an earlier version's file was moved.
pub(crate) fn config_path(ctx: &Context) -> Result<std::path::PathBuf, Error> {
    let log = progress_path(ctx)?;
    let mut notes = Vec::new();
    let path = crate::paths::config(&ctx.global, &log, &mut notes)?;
    let mut stderr = std::io::stderr().lock();
    for note in notes {
        let _ = writeln!(stderr, "{}: {note}", ctx.err.bold("note"));
    }
    Ok(path)
}

/// The progress log's path and the settings.
pub(crate) fn config(ctx: &Context) -> Result<(std::path::PathBuf, crate::config::Config), Error> {
    let log = progress_path(ctx)?;
    let config = crate::config::Config::load(&config_path(ctx)?)?;
    if let Some(warning) = crate::config::time_zone_warning() {
        warn(ctx, &[warning]);
    }
    Ok((log, config))
}

/// Warnings from reading the log (a repaired torn line), said once.
pub(crate) fn warn(ctx: &Context, warnings: &[String]) {
    let mut stderr = crate::text::Gate::stderr(&ctx.err);
    let columns = crate::text::stderr_columns();
    for w in warnings {
        // They name the log's path: text from outside, through the gate.
        let w = crate::text::Safe::line(w).to_string();
        let lead = format!("{}: ", ctx.err.yellow_bold("warning"));
        let _ = write!(
            stderr,
            "{}",
            crate::text::hanging(&lead, "warning: ".len(), &w, columns, str::to_string)
        );
    }
}

/// A random generator for shuffles and quizzes: seeded by `KIOKU_SEED` when
/// set (for reproducible tests and demos), else from the system. Event ids
/// never come from it ([`id_rng`]).
pub(crate) fn rng() -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::seed_from_u64(seed())
}

/// `KIOKU_SEED` when set, else a random seed.
pub(crate) fn seed() -> u64 {
    std::env::var("KIOKU_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>)
}

/// The generator of event ids: always from the system, never `KIOKU_SEED`.
/// Ids must differ between sessions, or an undo in one would take back
/// answers of every other session that drew the same id.
fn id_rng() -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::seed_from_u64(rand::random::<u64>())
}

/// Hands `value` to the operating system at exit instead of freeing it:
/// freeing a hundred thousand cards one allocation at a time takes longer
/// than the whole launch of `kioku due`. Only for what holds no resource
/// that needs closing.
pub(crate) fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Starts reading and checking the progress log against its snapshot, to
/// run while the decks load; [`replay`] takes what it read.
pub(crate) fn read_log_ahead(
    ctx: &Context,
    writable: bool,
) -> Result<crate::schedule::Prefetch, Error> {
    let log = progress_path(ctx)?;
    Ok(crate::schedule::Prefetch::start(
        &log,
        crate::paths::cache_dir().as_deref(),
        writable,
    ))
}

/// The scheduler for these decks, replayed from the progress log (through
/// the snapshot when it checks out), with the log as `prefetched` read it
/// when given.
pub(crate) fn replay<'d>(
    ctx: &Context,
    decks: &'d [crate::deck::Deck],
    config: crate::config::Config,
    prefetched: Option<crate::schedule::Prefetch>,
) -> Result<crate::schedule::Scheduler<'d>, Error> {
    Ok(open(ctx, decks, config, false, prefetched)?.scheduler)
}

/// [`replay`] for a session that records answers: the log locked for it.
pub(crate) fn session<'d>(
    ctx: &Context,
    decks: &'d [crate::deck::Deck],
    config: crate::config::Config,
    prefetched: Option<crate::schedule::Prefetch>,
) -> Result<crate::schedule::SessionQueue<'d>, Error> {
    let opened = open(ctx, decks, config, true, prefetched)?;
    Ok(
        crate::schedule::SessionQueue::new(opened.scheduler, opened.log, id_rng())
            .join_at_end(opened.saving),
    )
}

fn open<'d>(
    ctx: &Context,
    decks: &'d [crate::deck::Deck],
    config: crate::config::Config,
    writable: bool,
    prefetched: Option<crate::schedule::Prefetch>,
) -> Result<crate::schedule::Opened<'d>, Error> {
    let log = progress_path(ctx)?;
    let cache = crate::paths::cache_dir();
    let sources = crate::schedule::Sources {
        log: &log,
        cache: cache.as_deref(),
        writable,
    };
    let mut opened = crate::schedule::open(decks, config, &sources, prefetched)?;
    warn(ctx, &opened.warnings);
    if let Some(dir) = &cache
        && !opened.scheduler.exams().is_empty()
    {
        let name = crate::schedule::snapshot::log_name(&log);
        opened.scheduler.load_revisions(dir, &name);
    }
    Ok(opened)
}

/// Where exam revisions are kept for this log: the cache directory and
/// the log's name (None without a cache).
pub(crate) fn revision_cache(ctx: &Context) -> Option<(std::path::PathBuf, String)> {
    let dir = crate::paths::cache_dir()?;
    let log = progress_path(ctx).ok()?;
    Some((dir, crate::schedule::snapshot::log_name(&log)))
}

//! One module per subcommand. Each takes its arguments and a [`Context`] and
//! returns whether it succeeded; errors propagate to `lib.rs`, which reports
//! them once.

pub mod check;
pub mod class;
pub mod decks;
pub mod doctor;
pub mod due;
pub mod exam;
pub mod install;
pub mod list;
pub mod merge;
pub mod optimize;
pub mod paths;
pub mod quiz;
pub mod stats;
pub mod study;
pub mod sync;

use std::io::Write;

use crate::cli::GlobalArgs;
use crate::deck::{self, Collection};
use crate::error::Error;
use crate::paint::Paint;

/// What every command gets besides its own arguments.
pub struct Context {
    pub global: GlobalArgs,
    pub out: Paint,
    pub err: Paint,
}

/// A command's result: success, or problems that were already shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Problems,
}

/// Loads the decks under `paths` for commands that need valid decks: problems
/// are printed to stderr, and errors stop the command.
pub fn load_valid(ctx: &Context, paths: &[std::path::PathBuf]) -> Result<Collection, Error> {
    let collection = deck::DeckSet::find(paths)?.load(crate::paths::cache_dir().as_deref());
    // Warnings are for `kioku check`; here only what stops the command.
    let mut stderr = std::io::stderr().lock();
    for d in collection.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = write!(stderr, "{}", d.render(&ctx.err));
    }
    match collection.errors() {
        0 => Ok(collection),
        errors => Err(Error::InvalidDecks { errors }),
    }
}

/// The progress log's path, checked ([`crate::paths::log`]).
pub fn progress_path(ctx: &Context) -> Result<std::path::PathBuf, Error> {
    crate::paths::log(&ctx.global)
}

/// The settings file's path ([`crate::paths::config`]), saying where
/// settings moved when an earlier version's file was moved.
pub fn config_path(ctx: &Context) -> Result<std::path::PathBuf, Error> {
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
pub fn config(ctx: &Context) -> Result<(std::path::PathBuf, crate::config::Config), Error> {
    let log = progress_path(ctx)?;
    let config = crate::config::Config::load(&config_path(ctx)?)?;
    Ok((log, config))
}

/// Warnings from reading the log (a repaired torn line), said once.
pub fn warn(ctx: &Context, warnings: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(stderr, "{}: {w}", ctx.err.yellow_bold("warning"));
    }
}

/// A random generator: seeded by `KIOKU_SEED` when set (for reproducible
/// tests and demos), else from the system.
pub fn rng() -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::seed_from_u64(seed())
}

/// `KIOKU_SEED` when set, else a random seed.
pub fn seed() -> u64 {
    std::env::var("KIOKU_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>)
}

/// What a snapshot of the replayed log depends on besides the log itself:
/// the settings, each deck's retention, the time zone and the day rollover.
fn snapshot_key(
    config: &crate::config::Config,
    decks: &[crate::deck::Deck],
    days: &crate::schedule::Days,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let bits = |x: f32| x.to_bits();
    config
        .parameters
        .iter()
        .map(|p| bits(*p))
        .collect::<Vec<_>>()
        .hash(&mut h);
    bits(config.desired_retention).hash(&mut h);
    (config.maximum_interval_days, config.leech_threshold).hash(&mut h);
    format!("{:?}", config.leech_action).hash(&mut h);
    for e in &config.exams {
        (&e.date, &e.decks, e.minutes_per_day).hash(&mut h);
    }
    for d in decks {
        (&d.id, d.retention.map(bits), &d.renames).hash(&mut h);
    }
    days.describe().hash(&mut h);
    h.finish()
}

/// Hands `value` to the operating system at exit instead of freeing it:
/// freeing a hundred thousand cards one allocation at a time takes longer
/// than the whole launch of `kioku due`. Only for what holds no resource
/// that needs closing.
pub fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Whether `events` are in time order, none before `latest` (a merge can
/// append older answers, which only a full replay puts in their place).
fn follows(events: &[crate::progress::Event], latest: jiff::Timestamp) -> bool {
    events.first().is_none_or(|e| e.time >= latest)
        && events.windows(2).all(|w| w[0].time <= w[1].time)
}

/// The scheduler for these decks, replayed from the progress log: through
/// the derived snapshot when it still matches the log, replaying only what
/// was appended since, else in full (saving a new snapshot). `writable`
/// takes the log's lock for a session that records answers.
pub fn replay<'d>(
    ctx: &Context,
    decks: &'d [crate::deck::Deck],
    config: crate::config::Config,
    writable: bool,
) -> Result<crate::schedule::Scheduler<'d>, Error> {
    use crate::progress::{self, Store};
    use crate::schedule::{Days, Scheduler, snapshot};
    let log_path = progress_path(ctx)?;
    let days = Days::local(config.day_starts_at);
    let key = snapshot_key(&config, decks, &days);
    let dir = crate::paths::cache_dir();
    let snap = dir
        .as_deref()
        .and_then(|d| snapshot::load(d, &log_path, key));
    let offset = snap.as_ref().map_or(0, |s| s.log_len);
    let (store, log) = if writable {
        let (store, log) = Store::open_from(&log_path, offset)?;
        (Some(store), log)
    } else {
        (None, progress::store::read_from(&log_path, offset)?)
    };
    warn(ctx, &log.warnings);
    let clean = log.is_clean();
    let renames = crate::deck::renames(decks);
    let mut log = log;
    follow_renames(&renames, &mut log.events);
    let save = |s: &Scheduler| {
        if let Some(dir) = &dir
            && clean
        {
            snapshot::save(
                dir,
                &log_path,
                key,
                s.history(),
                s.states(),
                progress::store::length(&log_path),
            );
        }
    };
    match snap {
        // The tail follows the snapshot in time, in order: replay just it.
        Some(snap) if log.from == offset && follows(&log.events, snap.latest) => {
            let tail = log.events.len();
            let scheduler = Scheduler::from_parts(
                decks,
                config,
                snap.history,
                Some(snap.states),
                &log.events,
                store,
                days,
                rng(),
            );
            if tail > 5_000 {
                save(&scheduler);
            }
            Ok(scheduler)
        }
        snap => {
            // No snapshot, or a merge put older answers after it.
            let events = if snap.is_some() && log.from != 0 {
                let mut events = progress::read(&log_path)?.events;
                follow_renames(&renames, &mut events);
                events
            } else {
                log.events
            };
            let scheduler = Scheduler::new(decks, config, &events, store, days, rng());
            save(&scheduler);
            Ok(scheduler)
        }
    }
}

/// Moves the events of renamed cards (`was = [...]`) to their new keys, so
/// a card's history follows it. Costs nothing when no card was renamed.
pub fn follow_renames(
    renames: &std::collections::HashMap<String, String>,
    events: &mut [crate::progress::Event],
) {
    use crate::progress::EventKind;
    if renames.is_empty() {
        return;
    }
    for e in events {
        match &mut e.kind {
            EventKind::Review { key, .. }
            | EventKind::Bury { key, .. }
            | EventKind::Suspend { key }
            | EventKind::Unsuspend { key }
            | EventKind::Accept { key, .. } => {
                if let std::borrow::Cow::Owned(new) = crate::deck::current_key(renames, key) {
                    *key = new;
                }
            }
            EventKind::Undo { .. } => {}
        }
    }
}

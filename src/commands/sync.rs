//! `kioku sync [--init REMOTE]`: merges conflict copies left by file-sync
//! tools, then sends and receives the log through git ([`crate::sync`]).

use std::io::Write;

use super::{Context, Outcome, config, progress_path};
use crate::error::Error;
use crate::sync;

/// Writes a message wrapped to the terminal's width (never mid-word).
fn say(out: &mut impl Write, width: usize, message: &str) -> std::io::Result<()> {
    crate::text::say(out, Some(width), 0, message, str::to_string)
}

pub(crate) fn run(ctx: &Context, init: Option<&str>) -> Result<Outcome, Error> {
    let log = progress_path(ctx)?;
    let width = super::class::terminal_width();
    let mut out = crate::text::Gate::stdout(&ctx.out);
    let copies = sync::conflicts::merge_all(&log)?;
    for merged in &copies {
        say(
            &mut out,
            width,
            &format!(
                "Merged {} event{} from the conflict copy {} (it can be deleted now).",
                merged.added,
                if merged.added == 1 { "" } else { "s" },
                merged.path.display()
            ),
        )?;
    }
    if let Some(remote) = init {
        if remote.trim().is_empty() {
            return Err(Error::Usage(
                "--init needs a git remote (a URL or a path)".into(),
            ));
        }
        let (_, config) = config(ctx)?;
        let file = sync::file_name(config.name.as_deref());
        sync::init(&log, remote, &file)?;
        say(
            &mut out,
            width,
            &format!(
                "Progress will be kept as {file} in {remote}; the clone is {}.",
                sync::repo_dir(&log).display()
            ),
        )?;
    } else if !sync::is_set_up(&log) {
        // With a file-sync tool (Syncthing, Dropbox) the copies were the job.
        if !copies.is_empty() {
            say(
                &mut out,
                width,
                "No git remote is set up (`kioku sync --init REMOTE`).",
            )?;
            return Ok(Outcome::Success);
        }
        return Err(Error::Usage(
            "no remote is set up for this progress log: run `kioku sync --init REMOTE` once (a git URL or path)"
                .into(),
        ));
    }
    let synced = sync::sync(&log)?;
    if let Some(why) = &synced.offline {
        say(
            &mut out,
            width,
            &format!(
                "Offline: cannot reach {} ({}). Everything stays in {}; run `kioku sync` again when online.",
                synced.remote,
                why,
                log.display()
            ),
        )?;
        return Ok(Outcome::Success);
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    say(
        &mut out,
        width,
        &format!(
            "Synced with {}: received {} event{}, sent {} event{}{}.",
            synced.remote,
            synced.received,
            plural(synced.received),
            synced.sent,
            plural(synced.sent),
            match synced.retries {
                0 => String::new(),
                n => format!(
                    " (another machine pushed first; retried {n} time{})",
                    plural(n)
                ),
            }
        ),
    )?;
    Ok(Outcome::Success)
}

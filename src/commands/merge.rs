//! `kioku merge OTHER`: unions another copy of the progress log (from a
//! second machine, a sync folder or git) into this one, by event id.
//!
//! A copy can take things away: undo answers, suspend or bury cards. What it
//! would take away is said before anything is written, and needs a yes.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{Context, Outcome, progress_path};
use crate::error::Error;
use crate::progress::store::MergePlan;
use crate::text;

pub(crate) fn run(ctx: &Context, other: &Path, yes: bool) -> Result<Outcome, Error> {
    let path = progress_path(ctx)?;
    if !other.exists() {
        return Err(Error::PathNotFound {
            path: other.to_path_buf(),
        });
    }
    let (mut store, plan) = crate::progress::store::plan_merge(&path, other)?;
    let shown = |p: &Path| crate::text::Safe::line(&p.display().to_string());
    if plan.is_disruptive() {
        let report = disruption(&plan);
        let mut err = crate::text::Gate::stderr(&ctx.err);
        let lead = format!("{}: ", ctx.err.yellow_bold("warning"));
        let said = format!("{} would {report}.", shown(other));
        let columns = crate::text::stderr_columns();
        write!(
            err,
            "{}",
            crate::text::hanging(&lead, "warning: ".len(), &said, columns, str::to_string)
        )?;
        if !yes {
            let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
            let agreed = interactive
                && dialoguer::Confirm::new()
                    .with_prompt("Merge anyway?")
                    .default(false)
                    .interact()
                    .unwrap_or(false);
            if !agreed {
                return Err(Error::MergeRefused(format!(
                    "{} would {report}",
                    shown(other)
                )));
            }
        }
    }
    let added = plan.apply(&mut store)?;
    let mut out = crate::text::Gate::stdout(&ctx.out);
    let said = match added {
        0 => format!(
            "Nothing to merge: {} already has every event of {}.",
            shown(&path),
            shown(other)
        ),
        n => format!(
            "Merged {n} event{} from {} into {}.",
            if n == 1 { "" } else { "s" },
            shown(other),
            shown(&path)
        ),
    };
    let columns = crate::text::stdout_columns();
    crate::text::say(&mut out, columns, 0, &said, str::to_string)?;
    Ok(Outcome::Success)
}

/// "undo 2 of your answers (d/a, d/b), suspend 1 card (d/c)": at most a few
/// cards named per kind.
fn disruption(plan: &MergePlan) -> String {
    let list = |keys: &[String]| {
        let mut keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        keys.sort_unstable();
        keys.dedup();
        let named: Vec<String> = keys
            .iter()
            .take(5)
            .map(|k| text::truncate(&text::sanitize(k, false), 60))
            .collect();
        let more = keys.len().saturating_sub(named.len());
        format!(
            "{}{}",
            named.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if !plan.undone.is_empty() {
        parts.push(format!(
            "undo {} of yours ({})",
            plural(plan.undone.len(), "answer", "answers"),
            list(&plan.undone)
        ));
    }
    if !plan.suspended.is_empty() {
        parts.push(format!(
            "suspend {} ({})",
            plural(plan.suspended.len(), "card", "cards"),
            list(&plan.suspended)
        ));
    }
    if !plan.buried.is_empty() {
        parts.push(format!(
            "bury {} ({})",
            plural(plan.buried.len(), "card", "cards"),
            list(&plan.buried)
        ));
    }
    parts.join(", ")
}

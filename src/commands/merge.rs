//! `kioku merge OTHER`: unions another copy of the progress log (from a
//! second machine, a sync folder or git) into this one, by event id.

use std::io::Write;
use std::path::Path;

use super::{Context, Outcome, progress_path};
use crate::error::Error;

pub fn run(ctx: &Context, other: &Path) -> Result<Outcome, Error> {
    let path = progress_path(ctx)?;
    if !other.exists() {
        return Err(Error::PathNotFound {
            path: other.to_path_buf(),
        });
    }
    let added = crate::progress::merge(&path, other)?;
    let mut out = crate::text::Gate::stdout(&ctx.out);
    let shown = |p: &Path| crate::text::Safe::line(&p.display().to_string());
    match added {
        0 => writeln!(
            out,
            "Nothing to merge: {} already has every event of {}.",
            shown(&path),
            shown(other)
        )?,
        n => writeln!(
            out,
            "Merged {n} event{} from {} into {}.",
            if n == 1 { "" } else { "s" },
            shown(other),
            shown(&path)
        )?,
    }
    Ok(Outcome::Success)
}

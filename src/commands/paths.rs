//! `kioku paths`: where the progress log, the settings and the caches live.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{Context, Outcome, config_path, progress_path};
use crate::error::Error;
use crate::text;

#[derive(Serialize)]
struct Place {
    what: &'static str,
    path: Option<String>,
    exists: bool,
}

fn place(what: &'static str, path: Option<&Path>) -> Place {
    Place {
        what,
        path: path.map(|p| p.display().to_string()),
        exists: path.is_some_and(Path::exists),
    }
}

pub(crate) fn run(ctx: &Context, json: bool) -> Result<Outcome, Error> {
    let log = progress_path(ctx)?;
    let config = config_path(ctx)?;
    let cache = crate::paths::cache_dir();
    let places = [
        place("progress log", Some(&log)),
        place("settings", Some(&config)),
        place("caches", cache.as_deref()),
    ];
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if json {
        crate::text::write_json(&mut out, &places)?;
        return Ok(Outcome::Success);
    }
    let columns = text::stdout_columns();
    for p in &places {
        let state = match (&p.path, p.exists) {
            (None, _) => "off (KIOKU_CACHE_DIR=off)",
            (Some(_), true) => "",
            (Some(_), false) => "(not created yet)",
        };
        let path = text::sanitize(p.path.as_deref().unwrap_or(""), false);
        let gap = if path.is_empty() || state.is_empty() {
            ""
        } else {
            "  "
        };
        let head = format!("{:<13} {path}{gap}", p.what);
        // Too wide for the terminal: the path on a line of its own (a path
        // is never broken, so it can be copied), then its state.
        if columns.is_none_or(|c| text::width(&head) + text::width(state) <= c) {
            writeln!(out, "{head}{}", ctx.out.dim(state))?;
        } else {
            writeln!(out, "{}", p.what)?;
            if !path.is_empty() {
                writeln!(out, "{}", text::path_line(&path, columns))?;
            }
            if !state.is_empty() {
                writeln!(out, "  {}", ctx.out.dim(state))?;
            }
        }
    }
    Ok(Outcome::Success)
}

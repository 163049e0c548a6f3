//! `kioku decks export DIR`: the built-in decks as files to edit.

use std::io::Write;

use super::{Context, Outcome};
use crate::cli::DecksCommand;
use crate::deck::builtin;
use crate::error::Error;
use crate::text;

pub(crate) fn run(ctx: &Context, command: &DecksCommand) -> Result<Outcome, Error> {
    match command {
        DecksCommand::Export { dir, force } => {
            let written = builtin::export(dir, *force)?;
            let mut out = crate::text::Gate::stdout(&ctx.out);
            for path in &written {
                writeln!(
                    out,
                    "wrote {}",
                    text::sanitize(&path.display().to_string(), false)
                )?;
            }
            let exported = format!(
                "{} {} deck files; study them with `kioku study {}` (your progress carries over)",
                ctx.out.bold("Exported"),
                builtin::DECKS.len(),
                text::sanitize(&dir.display().to_string(), false)
            );
            text::say(
                &mut out,
                text::stdout_columns(),
                0,
                &exported,
                str::to_string,
            )?;
            Ok(Outcome::Success)
        }
    }
}

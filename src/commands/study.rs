//! `kioku study`: due reviews, same-day relearning, then new cards.

use jiff::Timestamp;

use super::{Context, Outcome, config, leave_to_exit, load_valid, rng, session};
use crate::cli::StudyArgs;
use crate::error::Error;
use crate::session::{Mode, Study, present, run};

pub(crate) fn run(ctx: &Context, args: &StudyArgs) -> Result<Outcome, Error> {
    let ahead = super::read_log_ahead(ctx, true)?;
    let collection = load_valid(ctx, &args.decks.paths)?;
    let (_, config) = config(ctx)?;
    let mut rng = rng();
    let mut queue = session(ctx, &collection.decks, config, Some(ahead))?;
    let now = Timestamp::now();
    queue.start(now);
    queue.revise_beside(now, super::revision_cache(ctx));
    let mut ui = crate::ui::prompter(args.plain, ctx.out);
    let mut session = Study::new(&collection.decks, queue, Mode::Study, now);
    let mut clock = Timestamp::now;
    let summary = run::study(&mut session, ui.as_mut(), &ctx.out, &mut clock, &mut rng)?;
    let width = ui.width();
    ui.show(&present::summary(
        &summary,
        Timestamp::now(),
        width,
        &ctx.out,
    ))
    .map_err(Error::Output)?;
    // The session (and its lock on the log) ends here; the decks need no
    // closing.
    drop(session);
    drop(ui);
    leave_to_exit(collection);
    Ok(if crate::ui::interrupted() {
        Outcome::Interrupted
    } else {
        Outcome::Success
    })
}

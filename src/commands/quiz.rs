//! `kioku quiz`: an exam-style test with a score.

use std::io::Write;

use jiff::{SignedDuration, Timestamp};
use rand::SeedableRng;

use super::{Context, Outcome, config, load_valid, seed, session};
use crate::cli::QuizArgs;
use crate::deck::CardKind;
use crate::error::Error;
use crate::quiz::{Filter, Report, select};
use crate::session::run::{QuizRules, quiz};

pub(crate) fn run(ctx: &Context, args: &QuizArgs) -> Result<Outcome, Error> {
    let collection = load_valid(ctx, &args.decks.paths)?;
    let filter = Filter {
        tags: args.tags.clone(),
        kinds: args
            .kinds
            .iter()
            .filter_map(|k| CardKind::from_name(k))
            .collect(),
    };
    // The seed is always known, so a result names the quiz it was.
    let seed = args.seed.unwrap_or_else(seed);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let questions = select(&collection.decks, &filter, args.count, &mut rng);
    if questions.is_empty() {
        return Err(Error::Usage(
            "no card matches the quiz's filters; check --tag and --kind against `kioku list`"
                .into(),
        ));
    }
    // Recording needs the log (and its lock); --no-record touches nothing.
    let mut scheduler = if args.no_record {
        None
    } else {
        let (_, config) = config(ctx)?;
        Some(session(ctx, &collection.decks, config, None)?)
    };
    let started = Timestamp::now();
    let rules = QuizRules {
        exam_style: args.exam_style,
        deadline: args
            .time_limit
            .and_then(|d| SignedDuration::try_from(d).ok())
            .and_then(|d| started.checked_add(d).ok()),
    };
    // With --json the questions go to stderr, so stdout is only the result.
    let plain = args.plain || args.json;
    let mut ui: Box<dyn crate::ui::Prompter> = if args.json {
        crate::ui::install_interrupt_handler();
        Box::new(crate::ui::Plain::new(
            std::io::BufReader::new(crate::ui::Stdin::new()),
            crate::text::Gate::new(std::io::stderr(), ctx.err.is_enabled()),
            80,
        ))
    } else {
        crate::ui::prompter(plain, ctx.out)
    };
    if let Some(limit) = args.time_limit {
        ui.show(&crate::text::Safe::from(format!(
            "{} questions, {} to answer them.",
            questions.len(),
            crate::session::present::interval(SignedDuration::try_from(limit).unwrap_or_default())
        )))
        .map_err(Error::Output)?;
    }
    let mut clock = Timestamp::now;
    let answers = quiz(
        &questions,
        scheduler.as_mut(),
        &rules,
        ui.as_mut(),
        &ctx.out,
        &mut clock,
        &mut rng,
    )?;
    let seconds = u64::try_from(Timestamp::now().duration_since(started).as_secs()).unwrap_or(0);
    let report = Report::new(&answers, seconds);
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if args.json {
        let name = match &args.name {
            Some(name) => Some(name.clone()),
            None => config(ctx).ok().and_then(|(_, c)| c.name),
        };
        let result = JsonResult {
            format: crate::class::result::FORMAT,
            name,
            date: started,
            seed,
            decks: collection
                .decks
                .iter()
                .map(|d| crate::class::DeckVersion {
                    id: d.id.clone(),
                    version: crate::class::deck_version(d),
                })
                .collect(),
            report: &report,
            questions: &answers,
        };
        crate::text::write_json(&mut out, &result)?;
    } else {
        let width = ui.width();
        write!(out, "\n{}", report.render(&ctx.out, width))?;
    }
    drop(ui);
    Ok(if crate::ui::interrupted() {
        Outcome::Interrupted
    } else {
        Outcome::Success
    })
}

/// `kioku quiz --json`: the report, with what `kioku class report` needs to
/// read it back ([`crate::class::QuizResult`]).
#[derive(serde::Serialize)]
struct JsonResult<'a> {
    format: &'static str,
    name: Option<String>,
    date: Timestamp,
    seed: u64,
    decks: Vec<crate::class::DeckVersion>,
    #[serde(flatten)]
    report: &'a Report,
    questions: &'a [crate::quiz::Answered],
}

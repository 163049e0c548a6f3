//! `kioku stats`: the progress log replayed against the decks, turned into
//! the plain input the statistics are computed from, then shown as text or
//! JSON. Read-only: it never waits for a running session.

use std::io::{IsTerminal, Write};

use jiff::Timestamp;

use super::{Context, Outcome, config, leave_to_exit, load_valid, replay};
use crate::cli::StatsArgs;
use crate::deck::Deck;
use crate::error::Error;
use crate::schedule::memory::StepKind;
use crate::schedule::timelines::{CardReviews, Packed, timelines};
use crate::schedule::{Review, Scheduler};
use crate::session::ask::question;
use crate::stats::{
    CardInfo, CardState, DeckInfo, Mode, OrphanInfo, ReviewInfo, ReviewKind, StatsInput,
};

pub(crate) fn run(ctx: &Context, args: &StatsArgs) -> Result<Outcome, Error> {
    let ahead = super::read_log_ahead(ctx, false)?;
    let collection = load_valid(ctx, &args.data.decks.paths)?;
    let (_, config) = config(ctx)?;
    let scheduler = replay(ctx, &collection.decks, config, Some(ahead))?;
    let now = Timestamp::now();
    let log = super::progress_path(ctx)?;
    let cache = crate::paths::cache_dir();
    let cache = cache.as_deref().map(|dir| (dir, log.as_path()));
    let input = stats_input(&collection.decks, &scheduler, now, cache);
    let width = if std::io::stdout().is_terminal() {
        usize::from(dialoguer::console::Term::stdout().size().1).clamp(40, 160)
    } else {
        80
    };
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if let Some(key) = &args.card {
        let at = match &args.on {
            Some(date) => {
                let date: jiff::civil::Date = date.parse().map_err(|_| {
                    Error::Usage(format!("`{date}` is not a date; write it as YYYY-MM-DD"))
                })?;
                Some(crate::stats::start_of_day(&input, date))
            }
            None => None,
        };
        let Some(mut detail) = crate::stats::card_detail(&input, key, at) else {
            return Err(Error::Usage(format!(
                "no card `{key}` in the decks or the log; card keys look like `islands/etorofu-iturup` (see `kioku list`)"
            )));
        };
        if let Some((deck, card)) = crate::session::study::find(&collection.decks, key) {
            detail.text = question(card);
            detail.source = deck
                .citation(card)
                .or_else(|| card.source().map(ToString::to_string));
        }
        if args.data.json {
            crate::text::write_json(&mut out, &detail)?;
        } else {
            write!(
                out,
                "{}",
                crate::stats::render::render_card(&detail, width, &ctx.out)
            )?;
        }
        return Ok(Outcome::Success);
    }
    let mut stats = crate::stats::compute(&input);
    // The text of the few cards listed (the input leaves it out: making
    // it for every card decoded every card's details).
    // A card is listed overall and in its deck: each is found once.
    let mut texts: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let summaries =
        std::iter::once(&mut stats.overall).chain(stats.decks.iter_mut().map(|d| &mut d.summary));
    for summary in summaries {
        for hard in &mut summary.hardest {
            let text = texts.entry(hard.key.clone()).or_insert_with(|| {
                crate::session::study::find(&collection.decks, &hard.key)
                    .map(|(_, card)| question(card))
                    .unwrap_or_default()
            });
            hard.text.clone_from(text);
        }
    }
    if args.data.json {
        crate::text::write_json(&mut out, &stats)?;
    } else {
        write!(
            out,
            "{}",
            crate::stats::render::render_stats(&stats, width, &ctx.out)
        )?;
    }
    // Read-only: nothing here holds a store. Freeing a million reviews'
    // worth of input one allocation at a time took a tenth of the run.
    leave_to_exit(stats);
    leave_to_exit(input);
    leave_to_exit(scheduler);
    leave_to_exit(collection);
    Ok(Outcome::Success)
}

/// The plain data statistics are computed from, without the cards' text
/// (the caller adds it to the few cards it shows).
/// `cache`: the cache folder and the log, to keep the timelines in.
pub(crate) fn stats_input(
    decks: &[Deck],
    scheduler: &Scheduler,
    now: Timestamp,
    cache: Option<(&std::path::Path, &std::path::Path)>,
) -> StatsInput {
    let config = scheduler.config();
    let mut input = StatsInput::new(
        now,
        jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC),
    );
    input.day_starts_at_hour = config.day_starts_at;
    input.decay = scheduler.memory().decay();
    input.decks = decks
        .iter()
        .map(|d| DeckInfo {
            id: d.id.clone(),
            title: d.title.clone(),
        })
        .collect();
    // Each card's timeline: from the cache, or replayed on every core.
    use rayon::prelude::*;
    let cards: Vec<(&Deck, &crate::deck::Card, String)> = decks
        .iter()
        .flat_map(|deck| deck.cards.iter().map(move |card| (deck, card, card.key())))
        .collect();
    let retention_of = |deck: &Deck| deck.retention.unwrap_or(config.desired_retention);
    // Each card's slot in the history, looked up once for its reviews and
    // its state.
    let history = scheduler.history();
    let slots: Vec<Option<usize>> = cards.iter().map(|(_, _, key)| history.slot(key)).collect();
    let asked: Vec<CardReviews> = cards
        .iter()
        .zip(&slots)
        .map(|((deck, _, key), slot)| CardReviews {
            key,
            retention: retention_of(deck),
            reviews: slot.map_or(&[], |s| history.reviews_in(s)),
        })
        .collect();
    let settings = crate::schedule::snapshot::settings_key(config, decks, scheduler.days()).all;
    let steps = timelines(
        scheduler.memory(),
        scheduler.days(),
        settings,
        &asked,
        cache,
    );
    let mut starts = Vec::with_capacity(asked.len());
    let mut at = 0usize;
    for card in &asked {
        starts.push(at);
        at += card.reviews.len();
    }
    input.cards = cards
        .par_iter()
        .zip(&asked)
        .zip(&starts)
        .zip(&slots)
        .map(|((((deck, _, key), asked), &start), slot)| {
            let state = slot
                .and_then(|s| scheduler.states().get(s))
                .copied()
                .unwrap_or(crate::schedule::memory::CardState::NEW);
            let steps = steps.get(start..start + asked.reviews.len()).unwrap_or(&[]);
            CardInfo {
                deck_id: deck.id.clone(),
                text: String::new(),
                state: if state.is_new() {
                    CardState::New
                } else if state.relearning {
                    CardState::Learning
                } else {
                    CardState::Review
                },
                interval_days: f64::from(state.interval_days),
                due: state.due,
                stability: state.memory.map(|m| m.stability),
                difficulty: state.memory.map(|m| m.difficulty),
                last_review: state.last_review,
                lapses: state.lapses,
                suspended: scheduler.history().suspended.contains(key.as_str())
                    || (state.leech && config.leech_action == crate::config::LeechAction::Suspend),
                leech: state.leech,
                reviews: review_infos(asked.reviews, steps),
                key: key.clone(),
            }
        })
        .collect();
    input.orphans = scheduler
        .orphans()
        .into_iter()
        .map(|key| OrphanInfo {
            key: key.to_string(),
            reviews: {
                let reviews = scheduler.history().reviews_of(key);
                let steps: Vec<Packed> = scheduler
                    .memory()
                    .timeline(reviews, config.desired_retention, scheduler.days())
                    .iter()
                    .map(Packed::pack)
                    .collect();
                review_infos(reviews, &steps)
            },
        })
        .collect();
    input
}

fn review_infos(reviews: &[Review], steps: &[Packed]) -> Vec<ReviewInfo> {
    reviews
        .iter()
        .zip(steps.iter().map(Packed::step))
        .map(|(r, step)| ReviewInfo {
            time: r.time(),
            rating: r.rating(),
            answer_ms: u32::try_from(r.answer_ms()).unwrap_or(u32::MAX),
            mode: match r.mode() {
                crate::session::Mode::Study => Mode::Study,
                crate::session::Mode::Quiz => Mode::Quiz,
            },
            kind: match step.kind {
                StepKind::Learn => ReviewKind::Learn,
                StepKind::Review => ReviewKind::Review,
                StepKind::Relearn => ReviewKind::Relearn,
            },
            interval_before_days: step.interval_before_days.map(f64::from),
            stability_after: step.memory.map(|m| m.stability),
            difficulty_after: step.memory.map(|m| m.difficulty),
        })
        .collect()
}

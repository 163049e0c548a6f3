//! `kioku optimize`: fits FSRS parameters to the learner's own reviews with
//! the `fsrs` crate's optimizer, and keeps them only when they predict the
//! learner's memory better than the current ones.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use fsrs::{CombinedProgressState, ComputeParametersInput, FSRS, FSRSItem};

use super::{Context, Outcome, config, warn};
use crate::error::Error;
use crate::schedule::{Days, History};

/// Training items needed before fitting is worth it.
pub const MINIMUM_ITEMS: usize = 400;

/// One training item per review that came a day or more after the previous
/// one, carrying the card's history up to it (as Anki builds them).
pub fn training_items(history: &History, days: &Days) -> Vec<FSRSItem> {
    let mut items = Vec::new();
    let mut cards: Vec<_> = history.cards().collect();
    cards.sort_unstable_by_key(|(key, _)| *key);
    for (_, reviews) in cards {
        let reviews = crate::schedule::memory::fsrs_reviews(reviews, days);
        for end in 2..=reviews.len() {
            if reviews[end - 1].delta_t > 0 {
                items.push(FSRSItem {
                    reviews: reviews[..end].to_vec(),
                });
            }
        }
    }
    items
}

pub fn run(ctx: &Context) -> Result<Outcome, Error> {
    let (log_path, mut config) = config(ctx)?;
    let log = crate::progress::read(&log_path)?;
    warn(ctx, &log.warnings);
    let days = Days::local(config.day_starts_at);
    let history = History::from_events(&log.events);
    let items = training_items(&history, &days);
    let mut out = std::io::stdout().lock();
    if items.len() < MINIMUM_ITEMS {
        writeln!(
            out,
            "Not enough history yet: the optimizer needs {MINIMUM_ITEMS} reviews of cards seen on an earlier day, and your log has {}. \
             About {} more such reviews and it can fit the model to you; until then the default parameters serve well.",
            items.len(),
            MINIMUM_ITEMS - items.len()
        )?;
        return Ok(Outcome::Success);
    }
    let current = FSRS::new(&config.parameters).unwrap_or_default();
    let before = current
        .evaluate(items.clone(), |_| true)
        .map_err(fit_error)?;
    let progress = CombinedProgressState::new_shared();
    let input = ComputeParametersInput {
        train_set: items.clone(),
        progress: Some(Arc::clone(&progress)),
        enable_short_term: true,
        ..ComputeParametersInput::default()
    };
    let worker = std::thread::spawn(move || fsrs::compute_parameters(input));
    let bar = indicatif::ProgressBar::new(100);
    bar.set_style(
        indicatif::ProgressStyle::with_template("Fitting  {bar:40} {percent:>3}%  {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    while !worker.is_finished() {
        if let Ok(p) = progress.lock() {
            let total = p.total().max(1);
            bar.set_position((p.current() * 100 / total) as u64);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
    let fitted = worker
        .join()
        .map_err(|_| Error::Optimizer("the optimizer stopped unexpectedly".into()))?
        .map_err(fit_error)?;
    let candidate = FSRS::new(&fitted).map_err(fit_error)?;
    let after = candidate.evaluate(items, |_| true).map_err(fit_error)?;
    writeln!(out, "                log loss   RMSE")?;
    writeln!(
        out,
        "current         {:>8.4}   {:>6.4}",
        before.log_loss, before.rmse_bins
    )?;
    writeln!(
        out,
        "fitted to you   {:>8.4}   {:>6.4}",
        after.log_loss, after.rmse_bins
    )?;
    if after.log_loss < before.log_loss {
        config.parameters = fitted;
        let path = super::config_path(ctx)?;
        config.save(&path)?;
        writeln!(
            out,
            "Saved: the fitted parameters predict your memory better ({}).",
            path.display()
        )?;
    } else {
        writeln!(
            out,
            "Kept the current parameters: the fitted ones were not better."
        )?;
    }
    Ok(Outcome::Success)
}

fn fit_error(e: fsrs::FSRSError) -> Error {
    Error::Optimizer(format!("the optimizer could not fit your reviews: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::{Event, EventId, EventKind};
    use crate::rating::Rating;
    use crate::session::Mode;
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    #[test]
    fn items_are_the_histories_up_to_each_later_day_review() {
        let day: i64 = 86_400;
        let review = |id, secs, rating| Event {
            id: EventId(id),
            time: Timestamp::from_second(1_800_000_000 + secs).expect("time"),
            kind: EventKind::Review {
                key: "d/a".into(),
                rating,
                answer_ms: 1,
                mode: Mode::Study,
                picked: None,
            },
        };
        let events = vec![
            review(1, 0, Rating::Again),
            review(2, 60, Rating::Good),
            review(3, 3 * day, Rating::Good),
            review(4, 10 * day, Rating::Hard),
        ];
        let items = training_items(&History::from_events(&events), &Days::new(TimeZone::UTC, 4));
        let shapes: Vec<Vec<u32>> = items
            .iter()
            .map(|i| i.reviews.iter().map(|r| r.delta_t).collect())
            .collect();
        assert_eq!(shapes, [vec![0, 0, 3], vec![0, 0, 3, 7]]);
    }
}

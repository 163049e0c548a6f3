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
use crate::text;

/// Training items needed before fitting is worth it.
pub(crate) const MINIMUM_ITEMS: usize = 400;

/// One training item per review that came a day or more after the previous
/// one, carrying the card's history up to it, ordered by the time of that
/// review across all cards. This is the `fsrs` crate's own conversion
/// (`anki_to_fsrs`): its evaluation and fitting weigh items by position
/// (recency, time-series splits), so card order would skew both.
pub(crate) fn training_items(history: &History, days: &Days) -> Vec<FSRSItem> {
    let mut items: Vec<(i64, FSRSItem)> = Vec::new();
    let mut cards: Vec<_> = history.cards().collect();
    // Ties in time keep card order, as the crate's stable sort does.
    cards.sort_unstable_by_key(|(key, _)| *key);
    for (_, reviews) in cards {
        let fsrs = crate::schedule::memory::fsrs_reviews(reviews, days);
        for end in 2..=fsrs.len() {
            if fsrs[end - 1].delta_t > 0 {
                let at = reviews[end - 1].time().as_millisecond();
                items.push((
                    at,
                    FSRSItem {
                        reviews: fsrs[..end].to_vec(),
                    },
                ));
            }
        }
    }
    items.sort_by_key(|(at, _)| *at);
    items.into_iter().map(|(_, item)| item).collect()
}

pub(crate) fn run(ctx: &Context, args: &crate::cli::OptimizeArgs) -> Result<Outcome, Error> {
    match (&args.set, args.reset) {
        (Some(text), _) => return set(ctx, parse_parameters(text).map_err(Error::Usage)?),
        (None, true) => return set(ctx, Vec::new()),
        (None, false) => {}
    }
    let (log_path, config) = config(ctx)?;
    let log = crate::progress::read(&log_path)?;
    warn(ctx, &log.warnings);
    let days = Days::local(config.day_starts_at);
    let history = History::from_events(&log.events);
    let items = training_items(&history, &days);
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if items.len() < MINIMUM_ITEMS {
        let wait = format!(
            "Not enough history yet: the optimizer needs {MINIMUM_ITEMS} reviews of cards seen on an earlier day, and your log has {}. \
             About {} more such reviews and it can fit the model to you; until then the default parameters serve well.",
            items.len(),
            MINIMUM_ITEMS - items.len()
        );
        text::say(&mut out, text::stdout_columns(), 0, &wait, str::to_string)?;
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
        // Only the parameters change, on the settings as they are now: an
        // `exam set` while the optimizer ran is kept.
        let path = super::config_path(ctx)?;
        crate::config::Config::update(&path, |c| c.parameters = fitted)?;
        let saved = format!(
            "Saved: the fitted parameters predict your memory better ({}).",
            path.display()
        );
        text::say(&mut out, text::stdout_columns(), 0, &saved, str::to_string)?;
        refresh_snapshot(&log_path, &path);
    } else {
        let kept = "Kept the current parameters: the fitted ones were not better.";
        text::say(&mut out, text::stdout_columns(), 0, kept, str::to_string)?;
    }
    Ok(Outcome::Success)
}

/// Saves parameters given on the command line (empty: the defaults) and
/// works out every card's state under them, as after fitting.
fn set(ctx: &Context, parameters: Vec<f32>) -> Result<Outcome, Error> {
    let log_path = super::progress_path(ctx)?;
    let path = super::config_path(ctx)?;
    let count = parameters.len();
    crate::config::Config::update(&path, |c| c.parameters = parameters)?;
    refresh_snapshot(&log_path, &path);
    let mut out = crate::text::Gate::stdout(&ctx.out);
    let saved = if count == 0 {
        format!("Saved: FSRS's default parameters ({}).", path.display())
    } else {
        format!("Saved: your {count} FSRS parameters ({}).", path.display())
    };
    text::say(&mut out, text::stdout_columns(), 0, &saved, str::to_string)?;
    Ok(Outcome::Success)
}

/// FSRS parameters as a person pastes them: numbers separated by commas
/// and/or white space, in brackets or not. Refuses what FSRS cannot use,
/// saying which number is wrong, rather than scheduling with nonsense.
pub(crate) fn parse_parameters(text: &str) -> Result<Vec<f32>, String> {
    let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
    let mut parameters = Vec::new();
    for (i, word) in inner
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        match word.parse::<f32>() {
            Ok(w) if w.is_finite() => parameters.push(w),
            _ => {
                let shown = crate::text::truncate(&crate::text::sanitize(word, false), 20);
                return Err(format!(
                    "--set: number {} (`{shown}`) is not a number; FSRS parameters are numbers such as 0.2172, separated by commas or spaces",
                    i + 1
                ));
            }
        }
    }
    let Ok(full) = fsrs::check_and_fill_parameters(&parameters) else {
        return Err(format!(
            "--set: FSRS parameters come as 21 numbers (FSRS-6), 19 (FSRS-5) or 17 (FSRS-4.5); these are {}",
            parameters.len()
        ));
    };
    // The first four are the stabilities (days) after a first answer, the
    // last the forgetting curve's decay: none can be zero or negative.
    let wrong = (0..4).chain([20]).find(|&i| full[i] <= 0.0);
    if let Some(i) = wrong {
        let what = if i == 20 {
            "the decay"
        } else {
            "a first answer's stability"
        };
        return Err(format!(
            "--set: number {} ({}) is {what}, which must be above 0: were the numbers copied whole?",
            i + 1,
            full[i]
        ));
    }
    Ok(parameters)
}

/// Works out every card's memory state under the new parameters now, and
/// saves them in the replay snapshot, so that the next launch only checks
/// due dates against its decks' retentions (as after any settings change)
/// instead of recomputing a million FSRS steps before its first card: the
/// optimizer has already taken seconds, the launch should not. A snapshot
/// that cannot be saved only costs that launch its speed.
fn refresh_snapshot(log: &std::path::Path, config: &std::path::Path) {
    let Ok(config) = crate::config::Config::load(config) else {
        return;
    };
    let cache = crate::paths::cache_dir();
    let sources = crate::schedule::Sources {
        log,
        cache: cache.as_deref(),
        writable: false,
    };
    // No decks: memory states depend on the reviews and the parameters
    // alone. The log's warnings were said when it was read above.
    let _ = crate::schedule::open(&[], config, &sources, None);
}

fn fit_error(e: fsrs::FSRSError) -> Error {
    Error::Optimizer(format!("the optimizer could not fit your reviews: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Mode;
    use crate::progress::{Event, EventId, EventKind};
    use crate::rating::Rating;
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

    #[test]
    fn items_are_ordered_by_their_last_review_across_cards() {
        let day: i64 = 86_400;
        let review = |id, key: &str, secs, rating| Event {
            id: EventId(id),
            time: Timestamp::from_second(1_800_000_000 + secs).expect("time"),
            kind: EventKind::Review {
                key: key.into(),
                rating,
                answer_ms: 1,
                mode: Mode::Study,
                picked: None,
            },
        };
        // Card "d/a" sorts first by key, but its later reviews come after
        // those of "d/b"; "d/b" is also reviewed twice on one day.
        let events = vec![
            review(1, "d/a", 0, Rating::Good),
            review(2, "d/b", 60, Rating::Good),
            review(3, "d/b", 2 * day, Rating::Again),
            review(4, "d/b", 2 * day + 600, Rating::Good),
            review(5, "d/a", 5 * day, Rating::Good),
            review(6, "d/b", 6 * day, Rating::Good),
            review(7, "d/a", 9 * day, Rating::Hard),
        ];
        let items = training_items(&History::from_events(&events), &Days::new(TimeZone::UTC, 4));
        let shapes: Vec<Vec<(u32, u32)>> = items
            .iter()
            .map(|i| i.reviews.iter().map(|r| (r.rating, r.delta_t)).collect())
            .collect();
        // The crate's convention: one item per review after the first whose
        // day differs from the one before (review 4, same day as 3, gives
        // none), sorted by the time of that last review (3, 5, 6, 7).
        assert_eq!(
            shapes,
            [
                vec![(3, 0), (1, 2)],
                vec![(3, 0), (3, 5)],
                vec![(3, 0), (1, 2), (3, 0), (3, 4)],
                vec![(3, 0), (3, 5), (2, 4)],
            ]
        );
    }

    #[test]
    fn pasted_parameters_are_read_in_any_usual_spelling() {
        let anki = "0.2172, 1.1771, 3.2602, 16.1507, 7.0114, 0.57, 2.0966, 0.0069, 1.5261, 0.112, 1.0178, 1.849, 0.1133, 0.3127, 2.2934, 0.2191, 3.0004, 0.7536, 0.3332, 0.1437, 0.2";
        let w = parse_parameters(anki).expect("anki's form");
        assert_eq!(w.len(), 21);
        assert_eq!(w[3], 16.1507);
        assert_eq!(parse_parameters(&format!("[{anki}]\n")), Ok(w.clone()));
        assert_eq!(parse_parameters(&anki.replace(", ", " ")), Ok(w.clone()));
        assert_eq!(parse_parameters(&anki.replace(", ", ",\n  ")), Ok(w));
        // FSRS-5 and FSRS-4.5 sets, as older Anki versions show them.
        assert_eq!(
            parse_parameters(&vec!["1.0"; 19].join(",")).map(|w| w.len()),
            Ok(19)
        );
        assert_eq!(
            parse_parameters(&vec!["1.0"; 17].join(",")).map(|w| w.len()),
            Ok(17)
        );
    }

    #[test]
    fn a_wrong_paste_says_what_is_wrong() {
        let err = |t: &str| parse_parameters(t).expect_err(t);
        assert!(err("0.2, 1.2").contains("these are 2"));
        assert!(err(&vec!["1.0"; 20].join(",")).contains("these are 20"));
        assert!(err("0.2, abc, 3").contains("number 2 (`abc`)"));
        assert!(err("0.2, NaN").contains("number 2"));
        assert!(err("0.2; 1.2").contains("number 1"));
        let mut w = vec!["1.0"; 21];
        w[2] = "-3.2";
        assert!(err(&w.join(",")).contains("number 3 (-3.2)"));
        w[2] = "3.2";
        w[20] = "0";
        assert!(err(&w.join(",")).contains("the decay"));
        // Control characters from a paste are not echoed.
        assert!(!err("1, \u{1b}[31m").contains('\u{1b}'));
    }
}

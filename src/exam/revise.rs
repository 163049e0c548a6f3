//! The day's revision toward one exam: the relaxation ([`super::relax`])
//! solved again from what the log says of each card this morning, and the
//! exam's cards in the order the day should take them.
//!
//! Solving takes from a fraction of a second (from the day before's
//! prices) to several seconds (from nothing), so a revision is made ahead
//! of the session that uses it and kept: the daily plan takes the cards in
//! its order while it is the plan for today, and the value ranking of
//! [`super::plan`] otherwise.

use std::collections::{HashMap, HashSet};

pub(crate) use super::relax::grid::Answers;
use super::relax::model::Model;
use super::relax::rank::{Day, new_at_pace};
use super::relax::solve::solve_from;
pub(crate) use super::relax::solve::{CardStart, Prices};

/// Same-day reviews in a row the relaxation plans for. The session gives
/// none (a forgotten card waits for a later day); planning for them
/// values a card's later days a little higher. The simulation measured
/// the revision with 3; with none planned and none given, the schedule it
/// ports scored the same (`--mpc-same-day 0`), and 0 would make the solve
/// cheaper: to try with a run of the grid.
const SAME_DAY: usize = 3;

/// Descent steps from the day before's prices, and from nothing. In the
/// simulation, 10 steps a day from the day before's prices keep the
/// schedule as good as more.
const WARM_STEPS: usize = 10;
const COLD_STEPS: usize = 100;

/// New cards come at least at the pace that learns them all this many
/// study days before the exam.
const NEW_MARGIN: usize = 3;

/// The furthest exam a revision plans for, in days, and the most cards:
/// a solve's time grows faster than the square of the days (a card's next
/// review may fall on any later day) and its memory with the cards times
/// the days. For the shipped 326 cards (`cargo bench --bench revision`):
/// 30 days ahead, 3.6 s from nothing and 0.4 s from the day before; 60
/// days ahead, about 20 times that, longer than many sessions. Further
/// out, the value ranking plans until the exam is this near.
pub(crate) const MOST_DAYS: i64 = 30;
pub(crate) const MOST_CARDS: usize = 10_000;

/// What a revision is solved from.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The exam's cards as this morning finds them.
    pub cards: Vec<(String, CardStart)>,
    /// Seconds of study a day.
    pub seconds_per_day: f32,
    /// Days from today to the exam (today counted, the exam day not).
    pub days_left: usize,
    /// The chance that a day ahead is missed.
    pub miss: f32,
    /// FSRS parameters.
    pub parameters: Vec<f32>,
    /// How answers go, in the learner's own time.
    pub answers: Answers,
    /// The decks of the exam's group.
    pub decks: HashSet<String>,
}

/// One day's revision toward one exam.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Stored", into = "Stored")]
pub struct Revision {
    /// The study day it is the plan for.
    pub day: i64,
    /// The exam's study day.
    pub exam_day: i64,
    /// The decks of the exam's group.
    pub decks: HashSet<String>,
    /// The prices it was solved at, for each day from `day` to the exam's
    /// eve: the next day's solve starts from them.
    pub prices: Prices,
    /// The cards in the order the day takes them, with their expected
    /// seconds.
    pub order: Vec<(String, f32)>,
    /// Each card's place in `order`.
    place: HashMap<String, usize>,
}

/// A revision as its cache file keeps it (its places are rebuilt).
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    day: i64,
    exam_day: i64,
    decks: Vec<String>,
    prices: Prices,
    order: Vec<(String, f32)>,
}

impl From<Stored> for Revision {
    fn from(s: Stored) -> Revision {
        Revision::new(
            s.day,
            s.exam_day,
            s.decks.into_iter().collect(),
            s.prices,
            s.order,
        )
    }
}

impl From<Revision> for Stored {
    fn from(r: Revision) -> Stored {
        let mut decks: Vec<String> = r.decks.into_iter().collect();
        decks.sort();
        Stored {
            day: r.day,
            exam_day: r.exam_day,
            decks,
            prices: r.prices,
            order: r.order,
        }
    }
}

/// What a revision's cache file starts with: a changed format is not read.
const CACHE_VERSION: u32 = 1;

impl Revision {
    fn new(
        day: i64,
        exam_day: i64,
        decks: HashSet<String>,
        prices: Prices,
        order: Vec<(String, f32)>,
    ) -> Revision {
        let place = order
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i))
            .collect();
        Revision {
            day,
            exam_day,
            decks,
            prices,
            order,
            place,
        }
    }

    /// The cache file of the revisions toward the exam on `exam_day` over
    /// `decks`, for the progress log named `log_name`.
    pub fn cache_file(
        dir: &std::path::Path,
        log_name: &str,
        exam_day: i64,
        decks: &HashSet<String>,
    ) -> std::path::PathBuf {
        let mut sorted: Vec<&String> = decks.iter().collect();
        sorted.sort();
        let mut key = format!("{log_name}\n{exam_day}");
        for d in sorted {
            key.push('\n');
            key.push_str(d);
        }
        dir.join(format!(
            "revision-{:016x}.bin",
            xxhash_rust::xxh3::xxh3_64(key.as_bytes())
        ))
    }

    /// The revision kept in `path`, if it reads.
    pub fn load(path: &std::path::Path) -> Option<Revision> {
        let bytes = std::fs::read(path).ok()?;
        let (version, rest): (u32, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
        (version == CACHE_VERSION).then_some(())?;
        postcard::from_bytes(rest).ok()
    }

    /// Keeps the revision in `path` (a failure only costs a solve).
    pub fn save(&self, path: &std::path::Path) {
        let Some(dir) = path.parent() else { return };
        let Ok(bytes) = postcard::to_allocvec(&CACHE_VERSION) else {
            return;
        };
        let Ok(bytes) = postcard::to_extend(self, bytes) else {
            return;
        };
        let _ = crate::deck::cache::write_atomically(dir, path, &bytes);
    }

    /// A card's place in the day's order and its expected seconds.
    pub fn place(&self, key: &str) -> Option<(usize, f32)> {
        let i = *self.place.get(key)?;
        Some((i, self.order[i].1))
    }
}

/// The revision for study day `day` toward the exam on `exam_day`, from
/// `warm` (an earlier revision's day and prices) when there is one.
pub(crate) fn revise(
    inputs: &Inputs,
    day: i64,
    exam_day: i64,
    warm: Option<(i64, &Prices)>,
) -> Option<Revision> {
    let days = inputs.days_left.max(1);
    let budget = vec![inputs.seconds_per_day; days];
    let mut model = Model::for_budget(&inputs.parameters, inputs.answers, &budget, SAME_DAY)?;
    // Today is a study day; any later one may be missed.
    model.sure = 1;
    model.miss = inputs.miss;
    let starts: Vec<CardStart> = inputs.cards.iter().map(|c| c.1).collect();
    // The earlier prices, from today on.
    let init = warm.and_then(|(from, (price, free))| {
        let shift = usize::try_from(day - from).ok()?;
        (price.len() == shift + days && free.len() == shift + days)
            .then(|| (price[shift..].to_vec(), free[shift..].to_vec()))
    });
    let steps = if init.is_some() {
        WARM_STEPS
    } else {
        COLD_STEPS
    };
    let solved = solve_from(&model, &starts, &budget, init.as_ref(), steps, None)?;
    let (price, free) = &solved.best;
    let ranked = Day::new(&model, &starts, price, free).rank(&starts)?;
    let ranked = new_at_pace(ranked, &starts, days, NEW_MARGIN);
    let order: Vec<(String, f32)> = ranked
        .iter()
        .map(|r| (inputs.cards[r.card].0.clone(), r.seconds))
        .collect();
    Some(Revision::new(
        day,
        exam_day,
        inputs.decks.clone(),
        solved.best,
        order,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_revision_reads_back_whole_and_each_exam_has_its_own_file() {
        let decks: HashSet<String> = ["b".to_string(), "a".to_string()].into();
        let r = Revision::new(
            7,
            20,
            decks.clone(),
            (vec![0.001, 0.002], vec![0.5, f32::INFINITY]),
            vec![("a/x".into(), 12.5), ("b/y".into(), 20.0)],
        );
        let dir = tempfile::tempdir().expect("dir");
        let path = Revision::cache_file(dir.path(), "log", 20, &decks);
        r.save(&path);
        let back = Revision::load(&path).expect("read back");
        assert_eq!(back, r);
        assert_eq!(back.place("b/y"), Some((1, 20.0)));
        assert_eq!(back.place("c/z"), None);
        // Another exam day, other decks or another log: another file.
        let other: HashSet<String> = ["a".to_string()].into();
        for p in [
            Revision::cache_file(dir.path(), "log", 21, &decks),
            Revision::cache_file(dir.path(), "log", 20, &other),
            Revision::cache_file(dir.path(), "log2", 20, &decks),
        ] {
            assert_ne!(p, path);
        }
        // A file of another format, or damaged, is not read.
        std::fs::write(&path, b"\x02garbage").expect("write");
        assert_eq!(Revision::load(&path), None);
    }
}

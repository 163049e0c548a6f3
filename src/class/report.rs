//! The class report's figures, per card and per student. Every figure is
//! defined here once (README, "Using kioku with a class"):
//!
//! - An *attempt* is a review in a student's log (undone ones excepted) or
//!   an answered question of a quiz result. A quiz that was also recorded in
//!   the student's log is counted once.
//! - *First attempt*: a student's earliest attempt at a card; right when the
//!   review was not rated Again, or the quiz question was answered right.
//! - *Facility*: the share of students whose first attempt was right.
//! - *Discrimination*: the correlation (Pearson, i.e. point-biserial)
//!   between a student's first attempt at this card (1 right, 0 wrong) and
//!   their share right on first attempts at every *other* card; positive
//!   when strong students get it right more often than weak ones. None with
//!   fewer than three such students or when either side does not vary.
//! - *Forgotten*: lapses, i.e. Again after the card had been passed, summed
//!   over students.
//! - A student's *retention*: the share of reviews passed among reviews on a
//!   later study day than the card's previous review.
//! - *Learned*: cards whose last review passed.
//! - *Predicted recall* on the exam date: FSRS (default parameters) recall
//!   of every card of the decks at the start of that day, unseen cards as 0,
//!   averaged.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use serde::Serialize;

use super::input::{Data, Problem, Source};
use crate::config::Config;
use crate::deck::Deck;
use crate::progress::{Event, EventKind};
use crate::rating::Rating;
use crate::schedule::Days;
use crate::schedule::history::History;
use crate::schedule::memory::Memory;
use crate::session::Mode;

/// Answers longer than this are breaks, not study time.
const ANSWER_CAP_MS: u64 = 120_000;

#[derive(Debug, Serialize)]
pub(crate) struct ClassReport {
    pub students: usize,
    /// The exam date predicted recall is for.
    pub exam: Option<String>,
    pub cards: Vec<CardRow>,
    /// Keys of the cards forgotten most, most first (at most 10).
    pub most_forgotten: Vec<String>,
    #[serde(rename = "per_student")]
    pub student_rows: Vec<StudentRow>,
    /// Cards students answered that no deck has (renamed or removed).
    pub unknown_cards: Vec<String>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardRow {
    pub key: String,
    pub deck: String,
    pub kind: String,
    pub question: String,
    /// Students who attempted it.
    pub students: usize,
    pub first_right: usize,
    pub facility: Option<f64>,
    pub discrimination: Option<f64>,
    pub forgotten: u32,
    /// Wrong answers given (for choice cards, the options picked), most
    /// frequent first.
    pub wrong_answers: Vec<WrongAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct WrongAnswer {
    pub answer: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StudentRow {
    pub name: String,
    pub files: Vec<String>,
    pub cards_seen: usize,
    pub cards_learned: usize,
    pub reviews: usize,
    pub retention: Option<f64>,
    pub minutes_studied: f64,
    /// Share right on first attempts.
    pub first_attempt_score: Option<f64>,
    pub quizzes: usize,
    pub predicted_recall: Option<f64>,
    pub last_active: Option<Timestamp>,
}

/// One attempt at a card.
#[derive(Debug, Clone)]
struct Attempt {
    key: String,
    time: Timestamp,
    right: bool,
    given: Option<String>,
}

#[derive(Default)]
struct Student {
    /// As shown: a quiz result's `name`, else the file's.
    name: String,
    files: Vec<String>,
    events: Vec<Event>,
    quizzes: Vec<super::QuizResult>,
    quiz_files: Vec<String>,
}

/// Maps a renamed card's old key to its current one (`was = [...]`).
pub(crate) type Renames = HashMap<String, String>;

fn current_key(renames: &Renames, key: &str) -> String {
    crate::deck::current_key(renames, key).into_owned()
}

/// Computes the report. `now` and `days` are passed in for tests.
pub(crate) fn compute(
    sources: Vec<Source>,
    mut problems: Vec<Problem>,
    decks: &[Deck],
    renames: &Renames,
    exam: Option<jiff::civil::Date>,
    days: &Days,
) -> ClassReport {
    let versions: HashMap<&str, String> = decks
        .iter()
        .map(|d| (d.id.as_str(), super::deck_version(d)))
        .collect();
    let mut students: BTreeMap<String, Student> = BTreeMap::new();
    // Logs first: a second log under a name already taken is the same
    // learner's copy when they share an event, else another student.
    let (logs, quizzes): (Vec<Source>, Vec<Source>) = sources
        .into_iter()
        .partition(|s| matches!(s.data, Data::Log(_)));
    for source in logs {
        let Data::Log(events) = source.data else {
            continue;
        };
        let mut name = slug(&source.student);
        let mut shown = source.student.clone();
        if let Some(existing) = students.get(&name) {
            let ids: HashSet<_> = existing.events.iter().map(|e| e.id).collect();
            if events.iter().any(|e| ids.contains(&e.id)) {
                problems.push(Problem {
                    file: source.file.clone(),
                    student: Some(name.clone()),
                    message: format!(
                        "a second copy of {name}'s log ({}); merged by event id",
                        existing.files.join(", ")
                    ),
                    skipped: false,
                });
            } else {
                let mut n = 2;
                while students.contains_key(&format!("{name} ({n})")) {
                    n += 1;
                }
                let renamed = format!("{shown} ({n})");
                problems.push(Problem {
                    file: source.file.clone(),
                    student: Some(shown.clone()),
                    message: format!(
                        "the name {shown} is also used by {}; reported as {renamed}",
                        existing.files.join(", ")
                    ),
                    skipped: false,
                });
                name = format!("{name} ({n})");
                shown = renamed;
            }
        }
        let s = students.entry(name).or_default();
        if s.name.is_empty() {
            s.name = shown;
        }
        if s.events.is_empty() {
            // The usual case, one log per student: moved, not copied.
            s.events = events;
        } else {
            let known: HashSet<_> = s.events.iter().map(|e| e.id).collect();
            s.events
                .extend(events.into_iter().filter(|e| !known.contains(&e.id)));
        }
        s.files.push(source.file);
    }
    for source in quizzes {
        let Data::Quiz(result) = source.data else {
            continue;
        };
        for d in &result.decks {
            match versions.get(d.id.as_str()) {
                Some(v) if *v == d.version => {}
                Some(v) => problems.push(Problem {
                    file: source.file.clone(),
                    student: Some(source.student.clone()),
                    message: format!(
                        "taken on another version of deck `{}` ({}; the decks now are {v}); its answers to cards that still exist are counted",
                        d.id, d.version
                    ),
                    skipped: false,
                }),
                None => problems.push(Problem {
                    file: source.file.clone(),
                    student: Some(source.student.clone()),
                    message: format!("taken on deck `{}`, which is not among the decks", d.id),
                    skipped: false,
                }),
            }
        }
        let s = students.entry(slug(&source.student)).or_default();
        // A name typed by the student reads better than a file name.
        s.name = source.student.clone();
        if s.quizzes
            .iter()
            .any(|q| q.date == result.date && q.seed == result.seed)
        {
            problems.push(Problem {
                file: source.file,
                student: Some(source.student),
                message: "the same quiz result as another file; counted once".into(),
                skipped: true,
            });
            continue;
        }
        s.quizzes.push(*result);
        s.quiz_files.push(source.file);
    }

    let cards: Vec<(&Deck, &crate::deck::Card)> = decks
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| (d, c)))
        .collect();
    let known_keys: HashSet<String> = cards.iter().map(|(_, c)| c.key()).collect();
    let memory = Memory::new(&Config::default());
    let exam_start = exam.map(|date| days.start(days.index_of_date(date)));
    let mut unknown: HashSet<String> = HashSet::new();

    // Per student: attempts, then their row.
    // Students are independent: each on its own core.
    use rayon::prelude::*;
    let list: Vec<&Student> = students.values().collect();
    let per_student: Vec<_> = list
        .par_iter()
        .map(|s| {
            let name = &s.name;
            let mut unknown_here: Vec<String> = Vec::new();
            let mut lapses_here: Vec<(String, u32)> = Vec::new();
            let renamed: Vec<Event>;
            let events: &[Event] = if renames.is_empty() {
                &s.events
            } else {
                renamed = s
                    .events
                    .iter()
                    .map(|e| {
                        let mut e = e.clone();
                        match &mut e.kind {
                            EventKind::Review { key, .. }
                            | EventKind::Bury { key, .. }
                            | EventKind::Suspend { key }
                            | EventKind::Unsuspend { key }
                            | EventKind::Accept { key, .. } => {
                                *key = current_key(renames, key).into();
                            }
                            EventKind::Undo { .. } => {}
                        }
                        e
                    })
                    .collect();
                &renamed
            };
            let undone: HashSet<_> = events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::Undo { target } => Some(target),
                    _ => None,
                })
                .collect();
            let mut attempts: Vec<Attempt> = Vec::with_capacity(events.len());
            let mut quiz_reviews: Vec<(String, Timestamp)> = Vec::new();
            let mut minutes_ms = 0u64;
            let mut last_active: Option<Timestamp> = None;
            for e in events {
                last_active = last_active.max(Some(e.time));
                if undone.contains(&e.id) {
                    continue;
                }
                if let EventKind::Review {
                    key,
                    rating,
                    answer_ms,
                    mode,
                    picked,
                } = &e.kind
                {
                    minutes_ms += (*answer_ms).min(ANSWER_CAP_MS);
                    if *mode == Mode::Quiz {
                        quiz_reviews.push((key.to_string(), e.time));
                    }
                    attempts.push(Attempt {
                        key: key.to_string(),
                        time: e.time,
                        right: *rating != Rating::Again,
                        given: picked.clone(),
                    });
                }
            }
            for q in &s.quizzes {
                let end = q
                    .date
                    .checked_add(jiff::SignedDuration::from_secs(
                        i64::try_from(q.seconds).unwrap_or(0) + 60,
                    ))
                    .unwrap_or(q.date);
                let begin = q
                    .date
                    .checked_sub(jiff::SignedDuration::from_secs(1))
                    .unwrap_or(q.date);
                let mut at = q.date;
                for a in &q.questions {
                    let Some(given) = &a.given else {
                        continue;
                    };
                    at = at
                        .checked_add(jiff::SignedDuration::from_millis(
                            i64::try_from(a.answer_ms).unwrap_or(0),
                        ))
                        .unwrap_or(at);
                    let key = current_key(renames, &a.card);
                    // The log keeps milliseconds; the result's date has more.
                    let recorded = quiz_reviews
                        .iter()
                        .any(|(k, t)| *k == key && *t >= begin && *t <= end);
                    if recorded {
                        continue;
                    }
                    minutes_ms += a.answer_ms.min(ANSWER_CAP_MS);
                    attempts.push(Attempt {
                        key,
                        time: at,
                        right: a.correct,
                        given: Some(given.clone()),
                    });
                }
                last_active = last_active.max(Some(end));
            }
            attempts.sort_by_key(|a| a.time);
            let mut first: HashMap<String, Attempt> = HashMap::new();
            for a in &attempts {
                if !known_keys.contains(&a.key) {
                    unknown_here.push(a.key.clone());
                    continue;
                }
                first.entry(a.key.clone()).or_insert_with(|| a.clone());
            }
            // Memory from the log's reviews.
            let history = History::from_events(events);
            let mut learned = 0;
            let mut passed_later = 0usize;
            let mut later = 0usize;
            let mut recall_sum = 0.0f64;
            for (key, reviews) in history.cards() {
                if reviews.is_empty() {
                    continue;
                }
                let state = memory.state(reviews, 0.9, days);
                if state.lapses > 0 {
                    lapses_here.push((key.to_string(), state.lapses));
                }
                if known_keys.contains(key) && !state.relearning {
                    learned += 1;
                }
                for w in reviews.windows(2) {
                    if days.index(w[1].time()) > days.index(w[0].time()) {
                        later += 1;
                        passed_later += usize::from(w[1].rating() != Rating::Again);
                    }
                }
                if let (Some(start), Some(m), Some(last)) =
                    (exam_start, state.memory, state.last_review)
                    && known_keys.contains(key)
                {
                    let elapsed = start.duration_since(last).as_secs_f64() / 86_400.0;
                    recall_sum += f64::from(memory.retrievability(m, elapsed as f32));
                }
            }
            let reviews = attempts.len();
            let right_first = first.values().filter(|a| a.right).count();
            let row = StudentRow {
                name: name.clone(),
                files: s.files.iter().chain(&s.quiz_files).cloned().collect(),
                cards_seen: first.len(),
                cards_learned: learned,
                reviews,
                retention: share(passed_later, later),
                minutes_studied: (minutes_ms as f64 / 6_000.0).round() / 10.0,
                first_attempt_score: share(right_first, first.len()),
                quizzes: s.quizzes.len(),
                predicted_recall: exam_start
                    .map(|_| recall_sum / cards.len().max(1) as f64)
                    .map(|r| (r * 1000.0).round() / 1000.0),
                last_active,
            };
            (row, first, attempts, lapses_here, unknown_here)
        })
        .collect();
    let mut firsts: Vec<HashMap<String, Attempt>> = Vec::new();
    let mut all_attempts: Vec<Vec<Attempt>> = Vec::new();
    let mut lapses: HashMap<String, u32> = HashMap::new();
    let mut rows = Vec::new();
    for (row, first, attempts, lapses_here, unknown_here) in per_student {
        rows.push(row);
        firsts.push(first);
        all_attempts.push(attempts);
        for (key, n) in lapses_here {
            *lapses.entry(key).or_default() += n;
        }
        unknown.extend(unknown_here);
    }

    // Each student's first-attempt totals, so a card's "other cards" score
    // is a subtraction rather than a pass over every card.
    let totals: Vec<(usize, usize)> = firsts
        .iter()
        .map(|f| (f.values().filter(|a| a.right).count(), f.len()))
        .collect();
    // Wrong answers per card, in one pass over every attempt.
    let mut wrong_by_card: HashMap<&str, BTreeMap<String, usize>> = HashMap::new();
    for a in all_attempts.iter().flatten().filter(|a| !a.right) {
        if let Some(g) = a.given.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            *wrong_by_card
                .entry(a.key.as_str())
                .or_default()
                .entry(g.to_string())
                .or_default() += 1;
        }
    }
    let mut card_rows = Vec::new();
    for (deck, card) in &cards {
        let key = card.key();
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        let mut seen = 0;
        let mut right = 0;
        for (first, (total_right, total)) in firsts.iter().zip(&totals) {
            let Some(a) = first.get(&key) else {
                continue;
            };
            seen += 1;
            right += usize::from(a.right);
            let others = total - 1;
            if others > 0 {
                let others_right = total_right - usize::from(a.right);
                xs.push(if a.right { 1.0 } else { 0.0 });
                ys.push(others_right as f64 / others as f64);
            }
        }
        let wrong = wrong_by_card.remove(key.as_str()).unwrap_or_default();
        let mut wrong_answers: Vec<WrongAnswer> = wrong
            .into_iter()
            .map(|(answer, count)| WrongAnswer { answer, count })
            .collect();
        wrong_answers.sort_by(|a, b| b.count.cmp(&a.count).then(a.answer.cmp(&b.answer)));
        card_rows.push(CardRow {
            key: key.clone(),
            deck: deck.id.clone(),
            kind: card.content().kind().name().to_string(),
            question: crate::session::ask::question(card),
            students: seen,
            first_right: right,
            facility: share(right, seen),
            discrimination: correlation(&xs, &ys).map(|r| (r * 1000.0).round() / 1000.0),
            forgotten: lapses.get(&key).copied().unwrap_or(0),
            wrong_answers,
        });
    }
    let mut most: Vec<&CardRow> = card_rows.iter().filter(|c| c.forgotten > 0).collect();
    most.sort_by(|a, b| b.forgotten.cmp(&a.forgotten).then(a.key.cmp(&b.key)));
    let most_forgotten = most.iter().take(10).map(|c| c.key.clone()).collect();
    let mut unknown: Vec<String> = unknown.into_iter().collect();
    unknown.sort();
    ClassReport {
        students: rows.len(),
        exam: exam.map(|d| d.to_string()),
        cards: card_rows,
        most_forgotten,
        student_rows: rows,
        unknown_cards: unknown,
        problems,
    }
}

/// Leaves only what is about the class as a whole: no per-student rows,
/// no problems naming students, and no wrong answer that only one student
/// gave (it could say who wrote it).
pub(crate) fn anonymize(report: &mut ClassReport) {
    report.student_rows.clear();
    report.problems.clear();
    for card in &mut report.cards {
        card.wrong_answers.retain(|w| w.count > 1);
    }
}

/// Who a name is: `Ana María`, `ana-maría.log` and `ana maría` are one
/// student (the file names `kioku sync` gives).
fn slug(name: &str) -> String {
    let file = crate::sync::file_name(Some(name));
    file.strip_suffix(".log").unwrap_or(&file).to_string()
}

/// `part / whole`, None when nothing was counted.
fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Pearson's correlation; None with fewer than three pairs or no variation.
pub(crate) fn correlation(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n < 3 || ys.len() != n {
        return None;
    }
    let mx = xs.iter().sum::<f64>() / n as f64;
    let my = ys.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_of_perfect_and_reversed_items() {
        let xs = [1.0, 1.0, 0.0, 0.0];
        assert_eq!(
            correlation(&xs, &[0.9, 0.8, 0.2, 0.1]).map(|r| r > 0.9),
            Some(true)
        );
        assert_eq!(
            correlation(&xs, &[0.1, 0.2, 0.8, 0.9]).map(|r| r < -0.9),
            Some(true)
        );
        assert_eq!(correlation(&[1.0, 1.0, 1.0], &[0.1, 0.2, 0.3]), None);
        assert_eq!(correlation(&[1.0, 0.0], &[0.1, 0.2]), None);
    }

    #[test]
    fn renamed_keys_keep_their_suffix() {
        let renames: Renames = [("d/old".to_string(), "d/new".to_string())].into();
        assert_eq!(current_key(&renames, "d/old"), "d/new");
        assert_eq!(current_key(&renames, "d/old:c2"), "d/new:c2");
        assert_eq!(current_key(&renames, "d/other"), "d/other");
    }
}

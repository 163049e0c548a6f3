//! A quiz's result: the score, a breakdown per deck and per tag, and the
//! questions missed with their answers.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::paint::Paint;
use crate::text;

/// One question's outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Answered {
    /// `deck/card`.
    pub card: String,
    pub deck: String,
    pub tags: Vec<String>,
    pub question: String,
    pub expected: String,
    /// What the learner answered; None when time ran out first, or the
    /// learner ended the quiz before it ([`Answered::ended_early`]).
    pub given: Option<String>,
    /// Not answered because the learner ended the quiz, not for the time
    /// limit.
    /// Results written before this field read as false.
    #[serde(default)]
    pub ended_early: bool,
    pub correct: bool,
    pub answer_ms: u64,
}

/// Right out of asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Tally {
    pub correct: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, correct: bool) {
        self.total += 1;
        self.correct += usize::from(correct);
    }

    /// The share right, in percent (0 when nothing was asked).
    pub(crate) fn percent(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.total as f64
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub score: Tally,
    pub percent: f64,
    /// Questions not reached before the time limit.
    pub unanswered: usize,
    /// Questions not answered because the learner ended the quiz.
    pub not_answered: usize,
    pub seconds: u64,
    pub by_deck: BTreeMap<String, Tally>,
    pub by_tag: BTreeMap<String, Tally>,
    pub missed: Vec<Answered>,
}

impl Report {
    pub(crate) fn new(answers: &[Answered], seconds: u64) -> Report {
        let mut score = Tally::default();
        let mut by_deck: BTreeMap<String, Tally> = BTreeMap::new();
        let mut by_tag: BTreeMap<String, Tally> = BTreeMap::new();
        for a in answers {
            score.add(a.correct);
            by_deck.entry(a.deck.clone()).or_default().add(a.correct);
            for tag in &a.tags {
                by_tag.entry(tag.clone()).or_default().add(a.correct);
            }
        }
        Report {
            percent: (score.percent() * 10.0).round() / 10.0,
            score,
            unanswered: answers
                .iter()
                .filter(|a| a.given.is_none() && !a.ended_early)
                .count(),
            not_answered: answers.iter().filter(|a| a.ended_early).count(),
            seconds,
            by_deck,
            by_tag,
            missed: answers.iter().filter(|a| !a.correct).cloned().collect(),
        }
    }

    /// The text shown at the end of a quiz, fitted to `width` columns.
    pub(crate) fn render(&self, paint: &Paint, width: usize) -> String {
        let mut out = String::new();
        let headline = format!(
            "Score: {} / {} ({:.0}%) in {}",
            self.score.correct,
            self.score.total,
            self.percent,
            clock(self.seconds)
        );
        let headline = if self.percent >= 80.0 {
            paint.green_bold(&headline)
        } else if self.percent >= 50.0 {
            paint.yellow_bold(&headline)
        } else {
            paint.red_bold(&headline)
        };
        let _ = writeln!(out, "{headline}");
        let notes = [
            (self.unanswered, "not reached before the time limit"),
            (self.not_answered, "not answered: the quiz was ended early"),
        ];
        for (count, why) in notes.into_iter().filter(|(count, _)| *count > 0) {
            for line in text::wrap(&format!("{count} question(s) {why}"), width) {
                let _ = writeln!(out, "{line}");
            }
        }
        for (title, table) in [("By deck", &self.by_deck), ("By tag", &self.by_tag)] {
            if table.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}", paint.bold(title));
            let name_width = table
                .keys()
                .map(|k| text::width(k))
                .max()
                .unwrap_or(0)
                .min(width / 2);
            for (name, tally) in table {
                let name = text::truncate(&text::sanitize(name, false), name_width);
                let _ = writeln!(
                    out,
                    "  {}  {:>3} / {:<3} {:>4.0}%",
                    text::pad(&name, name_width),
                    tally.correct,
                    tally.total,
                    tally.percent()
                );
            }
        }
        if !self.missed.is_empty() {
            let _ = writeln!(out, "\n{}", paint.bold("Missed"));
            let inner = width.saturating_sub(6).max(20);
            for a in &self.missed {
                let question = text::sanitize(&a.question, false);
                for (i, line) in text::wrap(&question, inner).iter().enumerate() {
                    let bullet = if i == 0 { "  • " } else { "    " };
                    let _ = writeln!(out, "{bullet}{line}");
                }
                let given = match &a.given {
                    Some(g) if g.trim().is_empty() => "(no answer)".to_string(),
                    Some(g) => text::sanitize(g, false),
                    None if a.ended_early => "(not answered)".to_string(),
                    None => "(time ran out)".to_string(),
                };
                let expected = text::sanitize(&a.expected, false);
                // Long answers wrap under themselves, never inside a word.
                let mut labelled = |label: String, value: &str| {
                    for (i, line) in text::wrap(value, width.saturating_sub(12).max(20))
                        .iter()
                        .enumerate()
                    {
                        if i == 0 {
                            let _ = writeln!(out, "    {label} {line}");
                        } else {
                            let _ = writeln!(out, "            {line}");
                        }
                    }
                };
                labelled(paint.green("answer:"), &expected);
                labelled(paint.red("yours: "), &given);
            }
        }
        out
    }
}

/// `m:ss`, or `h:mm:ss` past an hour.
pub(crate) fn clock(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(deck: &str, tags: &[&str], correct: bool, given: Option<&str>) -> Answered {
        Answered {
            card: format!("{deck}/x"),
            deck: deck.into(),
            tags: tags.iter().map(std::string::ToString::to_string).collect(),
            question: "In which year was the Treaty of Shimoda signed?".into(),
            expected: "1855".into(),
            given: given.map(Into::into),
            ended_early: false,
            correct,
            answer_ms: 1000,
        }
    }

    #[test]
    fn questions_left_by_ending_the_quiz_are_not_blamed_on_the_time_limit() {
        let left = Answered {
            ended_early: true,
            ..answered("people", &[], false, None)
        };
        let answers = vec![answered("treaties", &[], true, Some("1855")), left];
        let r = Report::new(&answers, 30);
        assert_eq!((r.unanswered, r.not_answered), (0, 1));
        let shown = r.render(&Paint::plain(), 80);
        assert!(
            shown.contains("1 question(s) not answered: the quiz was ended early"),
            "{shown}"
        );
        assert!(shown.contains("yours:  (not answered)"), "{shown}");
        assert!(!shown.contains("time"), "{shown}");
    }

    #[test]
    fn score_and_breakdowns() {
        let answers = vec![
            answered("treaties", &["1855"], true, Some("1855")),
            answered("treaties", &["1855", "border"], false, Some("1885")),
            answered("people", &["border"], true, Some("x")),
            answered("people", &[], false, None),
        ];
        let r = Report::new(&answers, 125);
        assert_eq!(
            r.score,
            Tally {
                correct: 2,
                total: 4
            }
        );
        assert_eq!(r.percent, 50.0);
        assert_eq!(r.unanswered, 1);
        assert_eq!(
            r.by_deck["treaties"],
            Tally {
                correct: 1,
                total: 2
            }
        );
        assert_eq!(
            r.by_tag["border"],
            Tally {
                correct: 1,
                total: 2
            }
        );
        assert_eq!(
            r.by_tag["1855"],
            Tally {
                correct: 1,
                total: 2
            }
        );
        assert_eq!(r.missed.len(), 2);
        let shown = r.render(&Paint::plain(), 80);
        assert!(shown.starts_with("Score: 2 / 4 (50%) in 2:05\n"), "{shown}");
        assert!(shown.contains("  treaties    1 / 2     50%\n"), "{shown}");
        assert!(
            shown.contains("    answer: 1855\n    yours:  1885\n"),
            "{shown}"
        );
        assert!(shown.contains("yours:  (time ran out)"), "{shown}");
    }

    #[test]
    fn an_empty_quiz_scores_zero_without_dividing_by_zero() {
        let r = Report::new(&[], 0);
        assert_eq!(r.percent, 0.0);
        assert!(
            r.render(&Paint::plain(), 40)
                .starts_with("Score: 0 / 0 (0%) in 0:00")
        );
    }

    #[test]
    fn clock_format() {
        assert_eq!(clock(59), "0:59");
        assert_eq!(clock(3725), "1:02:05");
    }
}

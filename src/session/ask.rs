//! Putting one card to the learner, by kind, and grading the reply.

use rand::Rng;
use rand::seq::SliceRandom;

use crate::deck::model::cloze;
use crate::deck::{Card, Content, Text};
use crate::grade;
use crate::paint::{Paint, Style};
use crate::quiz::Ask;
use crate::rating::Rating;
use crate::text::Safe;
use crate::ui::{Prompter, Reply};

use super::present::block;

/// The reply to one card, graded where it can be.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    /// None for a flip card: the learner judges.
    pub right: Option<bool>,
    pub suggested: Option<Rating>,
    /// What the learner typed or picked, for "I was right" and reports.
    pub given: Option<String>,
    /// The expected answer, as shown after answering.
    pub expected: String,
    /// A diff or a partial-answer line.
    pub detail: Option<Safe>,
    /// Whether the answer was typed as text: only then can the learner say
    /// "I was right" (a pick from a menu or t/f has nothing to accept).
    pub typed: bool,
}

/// How the feedback heads a graded reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Right,
    Wrong,
    /// Nothing typed ("I don't know"): wrong, but not "not quite".
    Blank,
}

impl Answer {
    /// How the feedback heads this reply; None for a flip card.
    pub(crate) fn mark(&self) -> Option<Mark> {
        self.right.map(|right| {
            if right {
                Mark::Right
            } else if self.typed && self.blank() {
                Mark::Blank
            } else {
                Mark::Wrong
            }
        })
    }

    /// Whether `r` ("I was right") means anything: a typed answer not
    /// already graded right as typed. A slip (Hard) can still be claimed,
    /// to count as Good and be accepted from then on. An empty answer is
    /// "I don't know": there is nothing to accept.
    pub(crate) fn can_claim(&self) -> bool {
        self.typed && self.suggested.is_some_and(|s| s != Rating::Good) && !self.blank()
    }

    /// Nothing given, or only spaces: Enter on an empty prompt.
    fn blank(&self) -> bool {
        self.given.as_deref().is_none_or(|g| g.trim().is_empty())
    }
}

/// The question text of a card (for reports).
pub(crate) fn question(card: &Card) -> String {
    match &card.content() {
        Content::Basic { question, .. }
        | Content::Choice { question, .. }
        | Content::Multi { question, .. }
        | Content::Order { question, .. } => question.to_string(),
        Content::TrueFalse { statement, .. } => statement.to_string(),
        Content::Cloze { segments, active } => cloze::prompt(segments, *active),
    }
}

/// Where a card is asked: in study, where the learner rates and may say a
/// close answer was a slip (`r`), or in a quiz, where a menu pick is echoed
/// as right or wrong unless the quiz is exam-style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Setting {
    Study,
    Quiz { marks: bool },
}

/// Asks `card`. `how` says how a quiz frames it (`Ask::AsKind` in study);
/// `accepted` adds answers the learner marked right before.
pub(crate) fn ask(
    ui: &mut dyn Prompter,
    card: &Card,
    how: &Ask,
    accepted: &[String],
    paint: &Paint,
    setting: Setting,
    rng: &mut impl Rng,
) -> std::io::Result<Reply<Answer>> {
    let marks = setting != Setting::Quiz { marks: false };
    let claims = setting == Setting::Study;
    let width = ui.width();
    let typed = |ui: &mut dyn Prompter,
                 expected: &str,
                 accept: &[Text]|
     -> std::io::Result<Reply<Answer>> {
        let all: Vec<String> = accept
            .iter()
            .map(Text::to_string)
            .chain(accepted.iter().cloned())
            .collect();
        let given = match ui.line(&Safe::from("Your answer:"))? {
            Reply::Value(v) => v,
            Reply::Command(c) => return Ok(Reply::Command(c)),
        };
        let g = grade::grade(&given, expected, &all);
        // The verdict line may hold the grader's coloured diff; only its
        // colours pass the gate. Wrapped between words under its label
        // (textwrap measures past the colour codes).
        let detail = super::present::verdict_line(&given, &g, expected, paint, claims)
            .map(|line| Safe::keep_colours(&super::present::under_labels(&line, width)));
        Ok(Reply::Value(Answer {
            right: Some(g.is_right()),
            suggested: Some(g.suggested()),
            given: Some(given),
            expected: expected.to_string(),
            detail,
            typed: true,
        }))
    };
    if let Ask::Choice { options, correct } = how {
        ui.show(&block(&question(card), width))?;
        return choose(ui, options, *correct, paint, marks);
    }
    match &card.content() {
        Content::Basic {
            question,
            answer,
            accept,
            typed: is_typed,
        } => {
            ui.show(&block(question, width))?;
            if *is_typed || matches!(how, Ask::Typed) {
                typed(ui, answer, accept)
            } else {
                match ui.reveal(&Safe::from("Enter shows the answer"))? {
                    Reply::Value(()) => Ok(Reply::Value(Answer {
                        right: None,
                        suggested: None,
                        given: None,
                        expected: answer.to_string(),
                        detail: None,
                        typed: false,
                    })),
                    Reply::Command(c) => Ok(Reply::Command(c)),
                }
            }
        }
        Content::Cloze { segments, active } => {
            ui.show(&block(&cloze::prompt(segments, *active), width))?;
            let blanks = cloze::blanks(segments, *active);
            if let [(answer, accept)] = blanks[..] {
                return typed(ui, answer, accept);
            }
            ui.show(&Safe::wrapped(
                "(several blanks: type them in order, separated by commas)",
                width,
            ))?;
            multi(ui, &blanks)
        }
        Content::Choice {
            question,
            answer,
            distractors,
        } => {
            ui.show(&block(question, width))?;
            if distractors.is_empty() {
                return typed(ui, answer, &[]);
            }
            match crate::quiz::select::choice(
                answer,
                distractors.iter().map(Text::as_str).collect(),
                rng,
            ) {
                Ask::Choice { options, correct } => choose(ui, &options, correct, paint, marks),
                _ => typed(ui, answer, &[]),
            }
        }
        Content::Multi {
            question,
            answers,
            accept,
        } => {
            ui.show(&block(question, width))?;
            ui.show(&Safe::wrapped(
                &format!(
                    "({} answers, any order, separated by commas)",
                    answers.len()
                ),
                width,
            ))?;
            let items: Vec<(&str, &[Text])> = answers
                .iter()
                .enumerate()
                .map(|(i, a)| (a.as_str(), accept.get(i).map_or(&[][..], Vec::as_slice)))
                .collect();
            multi(ui, &items)
        }
        Content::Order { question, items } => {
            ui.show(&block(question, width))?;
            let mut shown: Vec<usize> = (0..items.len()).collect();
            while shown.len() > 1 && shown.windows(2).all(|w| w[0] < w[1]) {
                shown.shuffle(rng);
            }
            for (i, item) in shown.iter().enumerate() {
                let wrapped = block(&items[*item], width.saturating_sub(6));
                let lines: Vec<Safe> = wrapped
                    .as_str()
                    .lines()
                    .enumerate()
                    .map(|(j, l)| {
                        let lead = if j == 0 {
                            format!("  {}) ", i + 1)
                        } else {
                            "     ".to_string()
                        };
                        Safe::line(&format!("{lead}{l}"))
                    })
                    .collect();
                ui.show(&Safe::join(&lines, "\n"))?;
            }
            let expected = items.join(" → ");
            loop {
                let given = match ui.line(&Safe::from("Order (e.g. 3 1 2):"))? {
                    Reply::Value(v) => v,
                    Reply::Command(c) => return Ok(Reply::Command(c)),
                };
                let Some(picked) = grade::parse_order(&given, items.len()) else {
                    ui.show(&Safe::wrapped(
                        &format!("Give each number from 1 to {} once, in order.", items.len()),
                        width,
                    ))?;
                    continue;
                };
                let order: Vec<usize> = picked.iter().map(|i| shown[*i]).collect();
                let placed = order
                    .iter()
                    .enumerate()
                    .filter(|(pos, item)| pos == *item)
                    .count();
                let right = placed == items.len();
                return Ok(Reply::Value(Answer {
                    right: Some(right),
                    suggested: Some(if right { Rating::Good } else { Rating::Again }),
                    given: Some(
                        order
                            .iter()
                            .map(|i| items[*i].as_str())
                            .collect::<Vec<_>>()
                            .join(" → "),
                    ),
                    expected,
                    detail: (!right).then(|| {
                        Safe::from(format!("{placed} of {} in the right place", items.len()))
                    }),
                    typed: false,
                }));
            }
        }
        Content::TrueFalse { statement, answer } => {
            ui.show(&block(statement, width))?;
            loop {
                let given = match ui.line(&Safe::from("True or false? (t/f)"))? {
                    Reply::Value(v) => v,
                    Reply::Command(c) => return Ok(Reply::Command(c)),
                };
                let Some(b) = grade::parse_bool(&given) else {
                    ui.show(&Safe::wrapped("Type t for true or f for false.", width))?;
                    continue;
                };
                let right = b == *answer;
                return Ok(Reply::Value(Answer {
                    right: Some(right),
                    suggested: Some(if right { Rating::Good } else { Rating::Again }),
                    given: Some(if b { "true" } else { "false" }.into()),
                    expected: if *answer { "True" } else { "False" }.into(),
                    detail: None,
                    typed: false,
                }));
            }
        }
    }
}

/// A menu of options; the pick is echoed with a red ✗ when wrong and a
/// green ✓ when right (words under NO_COLOR), or plainly in exam style.
fn choose(
    ui: &mut dyn Prompter,
    options: &[String],
    correct: usize,
    paint: &Paint,
    marks: bool,
) -> std::io::Result<Reply<Answer>> {
    let shown: Vec<Safe> = options.iter().map(|o| Safe::line(o)).collect();
    match ui.choose(&Safe::from("Which one?"), &shown)? {
        Reply::Value(i) => {
            let right = i == correct;
            let mut echo = Safe::from("Your pick: ");
            if marks {
                echo.push(&if right {
                    paint.safe(Style::Green, &Safe::from("✓ "))
                } else {
                    paint.safe(Style::Red, &Safe::from("✗ "))
                });
            }
            // The option wraps under itself, between words.
            let indent = if marks { 13 } else { 11 };
            let option = options.get(i).map(String::as_str).unwrap_or_default();
            let lines = crate::text::wrap(option, ui.width().saturating_sub(indent));
            for (j, line) in lines.iter().enumerate() {
                if j > 0 {
                    echo.push(&Safe::from(format!("\n{}", " ".repeat(indent))));
                }
                echo.push(&Safe::line(line));
            }
            ui.show(&echo)?;
            Ok(Reply::Value(Answer {
                right: Some(right),
                suggested: Some(if right { Rating::Good } else { Rating::Again }),
                given: options.get(i).cloned(),
                expected: options.get(correct).cloned().unwrap_or_default(),
                detail: None,
                typed: false,
            }))
        }
        Reply::Command(c) => Ok(Reply::Command(c)),
    }
}

/// Several answers typed on one line; the detail marks each expected one.
fn multi(ui: &mut dyn Prompter, expected: &[(&str, &[Text])]) -> std::io::Result<Reply<Answer>> {
    let given = match ui.line(&Safe::from("Your answer:"))? {
        Reply::Value(v) => v,
        Reply::Command(c) => return Ok(Reply::Command(c)),
    };
    let g = grade::grade_multi(&given, expected);
    let marks: Vec<String> = expected
        .iter()
        .zip(&g.items)
        .map(|(e, v)| {
            // A slip is forgiven but said, as for one typed answer; a close
            // item (another word within a slip of it) is said to be close.
            let (mark, note) = match v {
                grade::Verdict::Exact => ("✓", ""),
                grade::Verdict::Typo => ("✓", "\u{a0}(typo)"),
                grade::Verdict::Close => ("✗", "\u{a0}(close)"),
                grade::Verdict::Wrong => ("✗", ""),
            };
            format!("{mark}\u{a0}{}{note}", e.0)
        })
        .collect();
    let mut detail = format!("{} of {}: {}", g.right(), expected.len(), marks.join(", "));
    if !g.extra.is_empty() {
        detail.push_str(&format!(" (not asked: {})", g.extra.join(", ")));
    }
    Ok(Reply::Value(Answer {
        right: Some(g.is_right()),
        suggested: Some(g.suggested()),
        given: Some(given),
        expected: expected
            .iter()
            .map(|(a, _)| *a)
            .collect::<Vec<_>>()
            .join(", "),
        // Deck text and the learner's words: through the gate.
        detail: Some(Safe::wrapped(&detail, ui.width())),
        typed: true,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(given: &str, suggested: Rating) -> Answer {
        Answer {
            right: Some(suggested != Rating::Again),
            suggested: Some(suggested),
            given: Some(given.into()),
            expected: "Etorofu".into(),
            detail: None,
            typed: true,
        }
    }

    #[test]
    fn i_was_right_is_offered_for_a_wrong_or_slipped_typed_answer_but_not_an_empty_one() {
        assert!(typed("Etorohu", Rating::Again).can_claim());
        assert!(typed("Etorofuu", Rating::Hard).can_claim());
        assert!(!typed("Etorofu", Rating::Good).can_claim());
        // Enter on an empty prompt, or only spaces: "I don't know".
        assert!(!typed("", Rating::Again).can_claim());
        assert!(!typed("   ", Rating::Again).can_claim());
        // A menu pick has nothing to accept.
        let picked = Answer {
            typed: false,
            ..typed("Etorohu", Rating::Again)
        };
        assert!(!picked.can_claim());
    }

    #[test]
    fn an_empty_typed_answer_is_marked_blank_not_wrong() {
        assert_eq!(typed("Etorohu", Rating::Again).mark(), Some(Mark::Wrong));
        assert_eq!(typed("Etorofu", Rating::Good).mark(), Some(Mark::Right));
        assert_eq!(typed("", Rating::Again).mark(), Some(Mark::Blank));
        assert_eq!(typed("  ", Rating::Again).mark(), Some(Mark::Blank));
        let flip = Answer {
            right: None,
            ..typed("", Rating::Again)
        };
        assert_eq!(flip.mark(), None);
    }
}

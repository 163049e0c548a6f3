//! The study and quiz loops: card after card through the prompter, every
//! answer recorded before the next card is shown. The clock and randomness
//! are passed in, so the loops run in tests with scripted input.

use jiff::Timestamp;
use rand::Rng;

use super::ask::{Answer, Setting, ask, question};
use super::engine::{Engine, Mode};
use super::present;
use super::study::{Study, Summary};
use crate::deck::Text;
use crate::error::Error;
use crate::paint::Paint;
use crate::paint::Style;
use crate::quiz::{Answered, Ask, Question};
use crate::rating::Rating;
use crate::text::{self, Safe};
use crate::ui::{Command, Prompter, Rated, Reply};

fn io(e: std::io::Error) -> Error {
    Error::Output(e)
}

fn millis(from: Timestamp, to: Timestamp) -> u64 {
    u64::try_from(to.duration_since(from).as_millis()).unwrap_or(0)
}

/// Runs a study session until the queue is empty or the learner quits.
///
/// Once an answer is graded it is never lost: leaving at the rating prompt
/// (q, Esc, Ctrl-C, end of input) records it with the suggested rating
/// first, and `s` there records it before burying the card. `u` at the
/// rating prompt takes back the answer just given and asks the same card
/// again; at a question it undoes the previous answer.
pub(crate) fn study<E: Engine>(
    session: &mut Study<'_, E>,
    ui: &mut dyn Prompter,
    paint: &Paint,
    clock: &mut dyn FnMut() -> Timestamp,
    rng: &mut impl Rng,
) -> Result<Summary, Error> {
    'cards: loop {
        let now = clock();
        let Some(turn) = session.next(now) else {
            break;
        };
        // One card, asked again until it is answered or left.
        'ask: loop {
            let width = ui.width();
            ui.show(&present::header(
                turn.deck,
                turn.card,
                turn.progress,
                turn.is_new,
                turn.exam.as_ref(),
                width,
                paint,
            ))
            .map_err(io)?;
            let shown = clock();
            let accepted = session.accepted(&turn);
            let answer: Answer = match ask(
                ui,
                turn.card,
                &Ask::AsKind,
                &accepted,
                paint,
                Setting::Study,
                rng,
            )
            .map_err(io)?
            {
                Reply::Value(a) => a,
                Reply::Command(Command::Quit | Command::Interrupt) => break 'cards,
                Reply::Command(Command::Help) => {
                    ui.show(&present::help(ui.width())).map_err(io)?;
                    continue 'ask;
                }
                Reply::Command(Command::Undo) => {
                    undo(session, ui, clock())?;
                    continue 'cards;
                }
                Reply::Command(Command::Bury) => {
                    session.bury(&turn, clock())?;
                    ui.show(&Safe::from("Buried until tomorrow.")).map_err(io)?;
                    continue 'cards;
                }
            };
            let ms = millis(shown, clock());
            // The terminal may have been resized while the learner thought.
            let width = ui.width();
            ui.show(&present::feedback(
                answer.mark(),
                &answer.expected,
                answer.detail.as_ref(),
                turn.card,
                width,
                paint,
            ))
            .map_err(io)?;
            let line = present::rating_line(
                &turn.intervals,
                answer.suggested,
                answer.can_claim(),
                width,
                paint,
            );
            let rated = loop {
                let reply = match ui.rate(&line, answer.suggested, answer.can_claim()) {
                    Ok(reply) => reply,
                    // The terminal went away: the graded answer is still kept.
                    Err(e) => {
                        if let Some(s) = answer.suggested {
                            session.answer(&turn, s, ms, clock())?;
                        }
                        return Err(io(e));
                    }
                };
                match reply {
                    Reply::Value(r) => break r,
                    Reply::Command(Command::Help) => ui
                        .show(&present::help_after(turn.deck, turn.card, width))
                        .map_err(io)?,
                    Reply::Command(Command::Quit | Command::Interrupt) => {
                        // Graded already: saved with the suggestion before leaving.
                        if let Some(s) = answer.suggested {
                            session.answer(&turn, s, ms, clock())?;
                            ui.show(&saved(s, "")).map_err(io)?;
                        }
                        break 'cards;
                    }
                    Reply::Command(Command::Undo) => {
                        ui.show(&Safe::from("Answer taken back; the card again:"))
                            .map_err(io)?;
                        continue 'ask;
                    }
                    Reply::Command(Command::Bury) => {
                        let mut said = Safe::from("Buried until tomorrow.");
                        if let Some(s) = answer.suggested {
                            session.answer(&turn, s, ms, clock())?;
                            said = saved(s, " and buried until tomorrow");
                        }
                        session.bury(&turn, clock())?;
                        ui.show(&said).map_err(io)?;
                        continue 'cards;
                    }
                }
            };
            let rating = match rated {
                Rated::Rating(r) => r,
                Rated::IWasRight => {
                    if let Some(given) = answer.given.as_deref().filter(|g| !g.trim().is_empty()) {
                        session.accept(&turn, given, clock())?;
                    }
                    Rating::Good
                }
            };
            // The option picked on a choice card goes into the log, for the
            // class report's wrong-option counts.
            let picked = matches!(turn.card.content(), crate::deck::Content::Choice { .. })
                .then_some(answer.given.as_deref())
                .flatten();
            session.answer_picked(&turn, rating, ms, clock(), picked)?;
            continue 'cards;
        }
    }
    Ok(session.summary(clock()))
}

/// `Saved as Good.`: what leaving at the rating prompt did with the answer.
fn saved(rating: Rating, and: &str) -> Safe {
    let name = match rating {
        Rating::Again => "Again",
        Rating::Hard => "Hard",
        Rating::Good => "Good",
        Rating::Easy => "Easy",
    };
    Safe::from(format!("Saved as {name}{and}."))
}

fn undo<E: Engine>(
    session: &mut Study<'_, E>,
    ui: &mut dyn Prompter,
    now: Timestamp,
) -> Result<(), Error> {
    match session.undo(now)? {
        Some(turn) => ui.show(&Safe::line(&format!("Undone: {}", turn.card.key()))),
        None => ui.show(&Safe::from("Nothing to undo in this session.")),
    }
    .map_err(io)
}

/// Why a quiz stopped before its last question: the questions left are
/// reported as past the time limit, or as not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    TimeUp,
    /// The learner ended the quiz.
    Ended,
}

/// How a quiz is run.
pub(crate) struct QuizRules {
    pub exam_style: bool,
    pub deadline: Option<Timestamp>,
}

/// Asks the quiz's questions; answers are recorded through `engine` as quiz
/// reviews when one is given (`--no-record` passes None).
pub(crate) fn quiz<E: Engine>(
    questions: &[Question<'_>],
    mut engine: Option<&mut E>,
    rules: &QuizRules,
    ui: &mut dyn Prompter,
    paint: &Paint,
    clock: &mut dyn FnMut() -> Timestamp,
    rng: &mut impl Rng,
) -> Result<Vec<Answered>, Error> {
    let mut results = Vec::with_capacity(questions.len());
    // Why the quiz stopped before its last question, once it has.
    let mut stopped: Option<Stop> = None;
    for (i, q) in questions.iter().enumerate() {
        // `ended_early`: not asked because the learner ended the quiz,
        // rather than for the time limit.
        let unanswered = |q: &Question, ended_early: bool| Answered {
            card: q.card.key(),
            deck: q.deck.id.clone(),
            tags: q.card.tags().iter().map(Text::to_string).collect(),
            question: question(q.card),
            expected: expected(q),
            given: None,
            ended_early,
            correct: false,
            answer_ms: 0,
        };
        if stopped.is_some() || rules.deadline.is_some_and(|d| clock() >= d) {
            if stopped.is_none() {
                ui.show(&paint.safe(Style::YellowBold, &Safe::from("Time is up.")))
                    .map_err(io)?;
                stopped = Some(Stop::TimeUp);
            }
            results.push(unanswered(q, stopped == Some(Stop::Ended)));
            continue;
        }
        let width = ui.width();
        // The position stays; a long deck title is cut to fit.
        let position = format!("Question {} / {} · ", i + 1, questions.len());
        let title = text::truncate(
            &text::sanitize(&q.deck.title, false),
            width.saturating_sub(text::width(&position)).max(4),
        );
        ui.show(&paint.safe(
            Style::Dim,
            &Safe::from(format!("{}\n{position}{title}", "─".repeat(width.min(60)))),
        ))
        .map_err(io)?;
        let shown = clock();
        let answer = loop {
            match ask(
                ui,
                q.card,
                &q.ask,
                &[],
                paint,
                Setting::Quiz {
                    marks: !rules.exam_style,
                },
                rng,
            )
            .map_err(io)?
            {
                Reply::Value(a) => break Some(a),
                Reply::Command(Command::Quit | Command::Interrupt) => break None,
                Reply::Command(Command::Help) => ui
                    .show(&Safe::wrapped(
                        "Answer the question; :q (or q, Esc) ends the quiz.",
                        width,
                    ))
                    .map_err(io)?,
                Reply::Command(Command::Undo | Command::Bury) => ui
                    .show(&Safe::wrapped(
                        "Undo and bury are for study sessions; here, answer or quit.",
                        width,
                    ))
                    .map_err(io)?,
            }
        };
        let Some(answer) = answer else {
            stopped = Some(Stop::Ended);
            results.push(unanswered(q, true));
            continue;
        };
        let answered_at = clock();
        if rules.deadline.is_some_and(|d| answered_at > d) {
            // Answered after the bell: it does not count.
            ui.show(&paint.safe(
                Style::YellowBold,
                &Safe::wrapped("Time is up; that answer came too late.", width),
            ))
            .map_err(io)?;
            stopped = Some(Stop::TimeUp);
            results.push(unanswered(q, false));
            continue;
        }
        // A flip card in a quiz is self-judged; the rating is asked for.
        let right = match answer.right {
            Some(r) => r,
            None => {
                ui.show(&present::feedback(
                    None,
                    &answer.expected,
                    None,
                    q.card,
                    width,
                    paint,
                ))
                .map_err(io)?;
                match ui
                    .rate(&Safe::from("Did you know it? 1 no · 3 yes"), None, false)
                    .map_err(io)?
                {
                    Reply::Value(Rated::Rating(r)) => r.passed(),
                    Reply::Command(Command::Quit | Command::Interrupt) => {
                        // Seen but not judged: counted as not known, and the
                        // quiz ends after it.
                        stopped = Some(Stop::Ended);
                        false
                    }
                    _ => false,
                }
            }
        };
        if !rules.exam_style && answer.right.is_some() {
            ui.show(&present::feedback(
                answer.mark(),
                &answer.expected,
                answer.detail.as_ref(),
                q.card,
                width,
                paint,
            ))
            .map_err(io)?;
        }
        let ms = millis(shown, answered_at);
        if let Some(engine) = engine.as_deref_mut() {
            let rating =
                answer
                    .suggested
                    .unwrap_or(if right { Rating::Good } else { Rating::Again });
            // The option picked on a choice question goes into the log, for
            // the class report's wrong-option counts.
            let picked = (matches!(q.ask, Ask::Choice { .. })
                || matches!(q.card.content(), crate::deck::Content::Choice { .. }))
            .then_some(answer.given.as_deref())
            .flatten();
            engine.record_picked(&q.card.key(), rating, ms, Mode::Quiz, answered_at, picked)?;
        }
        results.push(Answered {
            card: q.card.key(),
            deck: q.deck.id.clone(),
            tags: q.card.tags().iter().map(Text::to_string).collect(),
            question: question(q.card),
            expected: answer.expected,
            given: answer.given.or(Some(String::new())),
            ended_early: false,
            correct: right,
            answer_ms: ms,
        });
    }
    Ok(results)
}

/// The expected answer of a question, for the missed list.
fn expected(q: &Question) -> String {
    use crate::deck::Content;
    use crate::deck::model::cloze;
    match (&q.ask, &q.card.content()) {
        (Ask::Choice { options, correct }, _) => options.get(*correct).cloned().unwrap_or_default(),
        (_, Content::Basic { answer, .. } | Content::Choice { answer, .. }) => answer.to_string(),
        (_, Content::Cloze { segments, active }) => cloze::answers(segments, *active).join(", "),
        (_, Content::Multi { answers, .. }) => answers.join(", "),
        (_, Content::Order { items, .. }) => items.join(" → "),
        (_, Content::TrueFalse { answer, .. }) => {
            if *answer { "True" } else { "False" }.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Card, Content, Deck};
    use crate::session::study::tests::{FakeEngine, deck};
    use crate::ui::Plain;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn clock() -> impl FnMut() -> Timestamp {
        let mut t = 1_800_000_000;
        move || {
            t += 2;
            Timestamp::from_second(t).expect("time")
        }
    }

    /// Runs a study session over `keys` with scripted input; returns the
    /// summary, the session (for its engine) and what was shown.
    fn scripted<'d>(
        decks: &'d [Deck],
        keys: &[&str],
        input: &str,
    ) -> (Summary, Study<'d, FakeEngine>, String) {
        let mut session = Study::new(
            decks,
            FakeEngine::with(keys),
            Mode::Study,
            Timestamp::UNIX_EPOCH,
        );
        let mut ui = Plain::new(input.as_bytes(), Vec::new(), 80);
        let summary = study(
            &mut session,
            &mut ui,
            &Paint::plain(),
            &mut clock(),
            &mut StdRng::seed_from_u64(1),
        )
        .expect("session");
        let shown = String::from_utf8(ui.into_output()).expect("utf-8");
        (summary, session, shown)
    }

    /// Every card of the deck, asked as its kind asks.
    fn as_asked(deck: &Deck) -> Vec<Question<'_>> {
        deck.cards
            .iter()
            .map(|card| Question {
                deck,
                card,
                ask: Ask::AsKind,
            })
            .collect()
    }

    fn typed_deck() -> Vec<Deck> {
        let mut d = deck("d", 0);
        let card = |id: &str, content: Content| {
            Card::new(
                "d".into(),
                id.into(),
                id.into(),
                1,
                crate::deck::Details {
                    content,
                    explain: Some("Signed in 1855.".into()),
                    source: Some("Doc".into()),
                    tags: vec!["t".into()],
                },
            )
        };
        d.cards.push(card(
            "shimoda",
            Content::Basic {
                question: "Treaty of 1855?".into(),
                answer: "Shimoda".into(),
                accept: vec![],
                typed: true,
            },
        ));
        d.cards.push(card(
            "tf",
            Content::TrueFalse {
                statement: "A peace treaty was signed.".into(),
                answer: false,
            },
        ));
        vec![d]
    }

    #[test]
    fn a_typed_card_is_graded_and_the_suggestion_taken_with_enter() {
        let decks = typed_deck();
        let (summary, session, shown) =
            scripted(&decks, &["d/shimoda", "d/tf"], "shimoda\n\nf\n\n");
        assert_eq!(summary.reviewed, 2);
        let log = &session.engine().log;
        assert_eq!(log[0], ("d/shimoda".into(), Rating::Good, Mode::Study));
        assert_eq!(log[1], ("d/tf".into(), Rating::Good, Mode::Study));
        assert!(shown.contains("✓ Right"), "{shown}");
        assert!(shown.contains("Signed in 1855."));
        assert!(shown.contains("Source: Doc"));
    }

    #[test]
    fn a_wrong_answer_shows_a_diff_and_i_was_right_remembers_it() {
        let decks = typed_deck();
        let (_, session, shown) = scripted(&decks, &["d/shimoda"], "Simoda-jo\nr\n");
        assert_eq!(session.engine().log[0].1, Rating::Good);
        assert_eq!(session.engine().accepted["d/shimoda"], ["Simoda-jo"]);
        assert!(shown.contains("✗ Not quite"));
        assert!(shown.contains("Yours:  S[+h]imoda[--jo]"), "{shown}");
    }

    #[test]
    fn an_empty_answer_is_headed_no_answer_and_rated_again() {
        let decks = typed_deck();
        let (_, session, shown) = scripted(&decks, &["d/shimoda"], "\n\n");
        assert_eq!(session.engine().log[0].1, Rating::Again);
        assert!(shown.contains("✗ No answer"), "{shown}");
        assert!(!shown.contains("Not quite"), "{shown}");
    }

    #[test]
    fn quitting_and_undoing_from_the_prompts() {
        let decks = vec![deck("d", 3)];
        // Flip c0, rate 3; at c1 undo; c0 again, rate 1; then quit.
        let (summary, session, _) = scripted(&decks, &["d/c0", "d/c1", "d/c2"], "\n3\nu\n\n1\nq\n");
        let log: Vec<(String, Rating)> = session
            .engine()
            .log
            .iter()
            .map(|(k, r, _)| (k.clone(), *r))
            .collect();
        assert_eq!(log, [("d/c0".to_string(), Rating::Again)]);
        assert_eq!(summary.reviewed, 1);
    }

    #[test]
    fn leaving_at_the_rating_prompt_saves_the_graded_answer_first() {
        let decks = typed_deck();
        for leave in ["q\n", ":q\n", ""] {
            let input = format!("Simoda\n{leave}");
            let (summary, session, shown) = scripted(&decks, &["d/shimoda", "d/tf"], &input);
            let log = &session.engine().log;
            assert_eq!(log.len(), 1, "leaving with {leave:?}");
            assert_eq!(log[0].0, "d/shimoda");
            assert_eq!(log[0].1, Rating::Hard, "the suggestion for a typo");
            assert_eq!(summary.reviewed, 1);
            assert!(shown.contains("Saved as Hard."), "{shown}");
        }
    }

    #[test]
    fn u_at_the_rating_prompt_takes_back_this_answer_not_the_previous_one() {
        let decks = typed_deck();
        // The true/false card is answered, then the typed card is answered
        // wrong, taken back with u, and answered right.
        let (summary, session, shown) = scripted(
            &decks,
            &["d/tf", "d/shimoda"],
            "f\n\nSimoda-jo\nu\nShimoda\n\n",
        );
        let log: Vec<(String, Rating)> = session
            .engine()
            .log
            .iter()
            .map(|(k, r, _)| (k.clone(), *r))
            .collect();
        assert_eq!(
            log,
            [
                ("d/tf".to_string(), Rating::Good),
                ("d/shimoda".to_string(), Rating::Good)
            ]
        );
        assert_eq!(summary.reviewed, 2);
        assert_eq!(shown.matches("Treaty of 1855?").count(), 2, "{shown}");
    }

    #[test]
    fn a_failing_terminal_at_the_rating_prompt_still_keeps_the_answer() {
        /// Gives one line, then fails as a closed terminal does.
        struct OneLine(Option<&'static [u8]>);
        impl std::io::Read for OneLine {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.take() {
                    Some(line) => {
                        buf[..line.len()].copy_from_slice(line);
                        Ok(line.len())
                    }
                    None => Err(std::io::Error::other("the terminal is gone")),
                }
            }
        }
        let decks = typed_deck();
        let mut session = Study::new(
            &decks,
            FakeEngine::with(&["d/shimoda"]),
            Mode::Study,
            Timestamp::UNIX_EPOCH,
        );
        let input = std::io::BufReader::new(OneLine(Some(b"Shimoda\n")));
        let mut ui = Plain::new(input, Vec::new(), 80);
        let result = study(
            &mut session,
            &mut ui,
            &Paint::plain(),
            &mut clock(),
            &mut StdRng::seed_from_u64(1),
        );
        assert!(result.is_err());
        assert_eq!(session.engine().log.len(), 1, "the answer was saved");
    }

    #[test]
    fn burying_after_an_answer_saves_it_first() {
        let decks = typed_deck();
        let (_, session, _) = scripted(&decks, &["d/shimoda", "d/tf"], "Shimoda\ns\nq\n");
        assert_eq!(session.engine().log.len(), 1);
        assert_eq!(session.engine().buried, ["d/shimoda"]);
    }

    #[test]
    fn a_quiz_is_graded_and_recorded_as_quiz_answers() {
        let decks = typed_deck();
        let questions = as_asked(&decks[0]);
        let mut engine = FakeEngine::with(&[]);
        let mut ui = Plain::new("Shimoda\ntrue\n".as_bytes(), Vec::new(), 80);
        let rules = QuizRules {
            exam_style: true,
            deadline: None,
        };
        let results = quiz(
            &questions,
            Some(&mut engine),
            &rules,
            &mut ui,
            &Paint::plain(),
            &mut clock(),
            &mut StdRng::seed_from_u64(1),
        )
        .expect("quiz");
        assert_eq!(
            results.iter().map(|r| r.correct).collect::<Vec<_>>(),
            [true, false]
        );
        assert!(engine.log.iter().all(|(_, _, m)| *m == Mode::Quiz));
        let shown = String::from_utf8(ui.into_output()).expect("utf-8");
        assert!(
            !shown.contains("Right") && !shown.contains("Not quite"),
            "exam style gives no feedback: {shown}"
        );
    }

    #[test]
    fn a_wrong_pick_is_marked_except_in_exam_style() {
        let decks = typed_deck();
        let question = |deck| Question {
            deck,
            card: &decks[0].cards[0],
            ask: Ask::Choice {
                options: vec!["Potsdam".into(), "Shimoda".into()],
                correct: 1,
            },
        };
        for (exam_style, echo) in [
            (false, "Your pick: ✗ Potsdam"),
            (true, "Your pick: Potsdam"),
        ] {
            let rules = QuizRules {
                exam_style,
                deadline: None,
            };
            let mut ui = Plain::new("1\n".as_bytes(), Vec::new(), 80);
            let results = quiz::<FakeEngine>(
                &[question(&decks[0])],
                None,
                &rules,
                &mut ui,
                &Paint::plain(),
                &mut clock(),
                &mut StdRng::seed_from_u64(1),
            )
            .expect("quiz");
            assert!(!results[0].correct);
            let shown = String::from_utf8(ui.into_output()).expect("utf-8");
            assert!(shown.contains(&format!("{echo}\n")), "{shown}");
        }
    }

    #[test]
    fn a_deadline_ends_the_quiz() {
        let decks = typed_deck();
        let questions = as_asked(&decks[0]);
        let rules = QuizRules {
            exam_style: false,
            deadline: Some(Timestamp::from_second(1_800_000_001).expect("t")),
        };
        let mut ui = Plain::new("Shimoda\nf\n".as_bytes(), Vec::new(), 80);
        let results = quiz::<FakeEngine>(
            &questions,
            None,
            &rules,
            &mut ui,
            &Paint::plain(),
            &mut clock(),
            &mut StdRng::seed_from_u64(1),
        )
        .expect("quiz");
        assert!(results.iter().all(|r| r.given.is_none() && !r.correct));
    }
}

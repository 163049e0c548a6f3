//! What the learner sees, as pure functions returning text: headers,
//! questions, feedback, rating prompts, intervals and the summary.

use jiff::{SignedDuration, Timestamp};

use super::ask::Mark;
use super::engine::Progress;
use super::study::Summary;
use crate::deck::{Card, Deck};
use crate::grade::{self, Grade, Verdict};
use crate::paint::{Paint, Style};
use crate::rating::Rating;
use crate::text::{self, Safe};

/// `10m`, `3h`, `4d`, `2.5mo`, `1.2y`.
pub(crate) fn interval(d: SignedDuration) -> String {
    let mins = d.as_secs() / 60;
    let days = d.as_secs() as f64 / 86_400.0;
    if mins < 60 {
        format!("{}m", mins.max(1))
    } else if mins < 24 * 60 {
        format!("{}h", mins / 60)
    } else if days < 30.0 {
        format!("{}d", days.round() as i64)
    } else if days < 365.0 {
        trim(format!("{:.1}mo", days / 30.4))
    } else {
        trim(format!("{:.1}y", days / 365.25))
    }
}

fn trim(s: String) -> String {
    s.replace(".0", "")
}

/// Deck text made safe and wrapped to the width.
pub(crate) fn block(text: &str, width: usize) -> Safe {
    Safe::wrapped(text, width)
}

/// `Treaties · 12 / 40 · new · finals in 12d · 1945, border`. When the
/// line is too wide, the title and the exam's name are cut, never the
/// position, and the tags go on a line below.
pub(crate) fn header(
    deck: &Deck,
    card: &Card,
    progress: Progress,
    is_new: bool,
    exam: Option<&(String, i64)>,
    width: usize,
    paint: &Paint,
) -> Safe {
    let position = format!(
        "{} / {}",
        progress.done + 1,
        progress.total.max(progress.done + 1)
    );
    let mut tail = position;
    if is_new {
        tail.push_str(" · new");
    }
    if let Some((name, days)) = exam {
        // An exam without a name is known by its date: "exam in 12d".
        let name = if name.parse::<jiff::civil::Date>().is_ok() {
            String::new()
        } else {
            format!(" {}", text::truncate(&text::sanitize(name, false), 12))
        };
        let full = format!(" · exam{name} in {days}d");
        // Narrow: the days left alone, so the title keeps a dozen letters.
        if text::width(&tail) + text::width(&full) + 15 <= width {
            tail.push_str(&full);
        } else {
            tail.push_str(&format!(" · exam {days}d"));
        }
    }
    let title = text::sanitize(&deck.title, false);
    let sep = " · ";
    // The title gets what the position leaves, but at least a few letters.
    let room = width.saturating_sub(text::width(&tail) + text::width(sep));
    let title = text::truncate(&title, room.max(4));
    let mut line = format!("{title}{sep}{tail}");
    // The tags may be what tells a bare prompt's direction ("Etorofu",
    // tagged russian-names): when they do not fit beside the position,
    // they get a line of their own rather than being dropped.
    let mut below = None;
    if !card.tags().is_empty() {
        let tags = text::sanitize(&card.tags().join(", "), false);
        if text::width(&line) + text::width(sep) + text::width(&tags) <= width {
            line = format!("{line}{sep}{tags}");
        } else {
            below = Some(text::truncate(&tags, width));
        }
    }
    let rule = Safe::from("─".repeat(width.min(60)));
    let mut out = paint.safe(Style::Dim, &rule);
    for line in std::iter::once(line).chain(below) {
        out.push(&Safe::from("\n"));
        out.push(&paint.safe(Style::Dim, &Safe::line(&line)));
    }
    out
}

/// The rating line: `1 Again · 1m   2 Hard · 2d   3 Good · 4d   4 Easy · 9d`,
/// with the suggestion marked; at a narrow width the ratings go on as many
/// lines as they need, never cut inside one. `claim` offers `r` ("I was
/// right"), which only means something where an answer was typed.
pub(crate) fn rating_line(
    intervals: &[SignedDuration; 4],
    suggested: Option<Rating>,
    claim: bool,
    width: usize,
    paint: &Paint,
) -> Safe {
    let gap = "   ";
    let mut lines: Vec<Safe> = Vec::new();
    let mut line = Safe::default();
    let mut used = 0;
    for (r, d) in Rating::ALL.iter().zip(intervals) {
        let name = match r {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        };
        let mut item = format!("{} {name} · {}", r.number(), interval(*d));
        if Some(*r) == suggested {
            item = format!("[{item}]");
        }
        let w = text::width(&item);
        if used > 0 && used + gap.len() + w > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(&Safe::from(gap));
            used += gap.len();
        }
        let item = Safe::from(item);
        line.push(&if Some(*r) == suggested {
            paint.safe(Style::Bold, &item)
        } else {
            item
        });
        used += w;
    }
    lines.push(line);
    if suggested.is_some() {
        // On a line of its own: the ratings alone fill a narrow terminal.
        let hint = if claim {
            "Enter: as marked · r: I was right"
        } else {
            "Enter: as marked"
        };
        lines.push(Safe::wrapped(hint, width));
    }
    Safe::join(&lines, "\n")
}

/// The session keys and what each does, for [`help`].
const KEYS: [(&str, &str); 9] = [
    ("Enter or space", "show the answer (flip cards)"),
    ("1 2 3 4", "rate: again, hard, good, easy"),
    ("Enter", "take the suggested rating"),
    (
        "r",
        "I was right (typed answers): count it and accept my answer from now on",
    ),
    ("q or Esc", "quit; an answer already graded is saved first"),
    (
        "u",
        "undo the last answer; after an answer, take it back and ask this card again",
    ),
    ("s", "bury this card until tomorrow"),
    ("?", "this help"),
    ("Ctrl-C", "quit at once (exit code 130); nothing is lost"),
];

/// Help for the session keys, wrapped between words to `width`: each
/// key's text in a column beside it, or under it when the terminal is too
/// narrow for a column.
pub(crate) fn help(width: usize) -> Safe {
    const COLUMN: usize = 19;
    let mut out = String::from("Keys:\n");
    for (key, what) in KEYS {
        if width >= COLUMN + 20 {
            let lead = text::pad(&format!("  {key}"), COLUMN);
            out.push_str(&text::hanging(
                &lead,
                COLUMN,
                what,
                Some(width),
                str::to_string,
            ));
        } else {
            out.push_str(&format!("  {key}\n"));
            out.push_str(&text::hanging(
                "      ",
                6,
                what,
                Some(width),
                str::to_string,
            ));
        }
    }
    for line in [
        "In menus: a number, or ↑ ↓ and Enter; the same u s ? q keys.",
        "While typing an answer, write :q :u :s or :? instead; Esc quits there too.",
    ] {
        out.push_str(&text::wrap(line, width).join("\n"));
        out.push('\n');
    }
    Safe::from(out.trim_end().to_string())
}

/// Help after an answer: the keys, then the card's full references when its
/// deck cites by short key (the feedback shows only the key).
pub(crate) fn help_after(deck: &Deck, card: &Card, width: usize) -> Safe {
    let mut out = help(width);
    if let Some(full) = deck.citation(card) {
        let mut source = String::from("\nSource:");
        for reference in full.lines() {
            for line in text::wrap(reference, width.saturating_sub(2)) {
                source.push_str("\n  ");
                source.push_str(&line);
            }
        }
        out.push(&Safe::new(&source));
    }
    out
}

/// The line under a typed answer's grade: the slip marked in a near miss
/// (`Typo:   Kunash[+i]ri`); for a close answer, whether the learner meant
/// the right one (`r` stays their call); for a wrong one, a diff when the
/// two are alike, else what was typed, plainly (the answer is shown above).
pub(crate) fn verdict_line(
    given: &str,
    grade: &Grade,
    expected: &str,
    paint: &Paint,
    claim: bool,
) -> Option<String> {
    let typed = || text::sanitize(given.trim(), false);
    match grade.verdict {
        Verdict::Exact => None,
        Verdict::Typo => (grade.matched.as_deref() == Some(expected))
            .then(|| grade::diff(given, expected, paint))
            .flatten()
            .map(|d| format!("Typo:   {d}")),
        Verdict::Close => {
            let meant = text::sanitize(grade.close_to().unwrap_or(expected), false);
            // `r` exists only where the learner rates (study, not quizzes).
            let slip = if claim { " r if it was a slip" } else { "" };
            Some(format!(
                "Yours:  {}\nclose: did you mean {meant}?{slip}",
                typed()
            ))
        }
        Verdict::Wrong if given.trim().is_empty() => None,
        Verdict::Wrong => Some(format!(
            "Yours:  {}",
            grade::diff(given, expected, paint).unwrap_or_else(typed)
        )),
    }
}

/// The labels of feedback lines, all as wide as `Answer: `, so that what
/// follows them lines up.
const LABEL: usize = 8;

/// The verdict's lines wrapped between words to `width`, a labelled line's
/// continuation under its text rather than its label.
pub(crate) fn under_labels(verdict: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in verdict.lines() {
        match ["Yours:  ", "Typo:   "]
            .iter()
            .find_map(|label| line.strip_prefix(label).map(|rest| (label, rest)))
        {
            Some((label, rest)) if width >= LABEL + 16 => {
                // A colour of the diff open at a line's end would paint the
                // indent under it (a struck-through gap): it is closed
                // before the indent and opened again after it.
                let mut open = String::new();
                for (i, part) in text::wrap(rest, width - LABEL).iter().enumerate() {
                    if i == 0 {
                        out.push(format!("{label}{part}"));
                    } else if open.is_empty() {
                        out.push(format!("{:LABEL$}{part}", ""));
                    } else {
                        out.push(format!("\x1b[0m{:LABEL$}{open}{part}", ""));
                    }
                    open = open_style(&open, part);
                }
            }
            _ => out.extend(text::wrap(line, width)),
        }
    }
    out.join("\n")
}

/// The SGR codes in force after `text`, starting from `open`: those since
/// the last reset (a code whose parameters start with 0 or are empty).
fn open_style(open: &str, text: &str) -> String {
    let mut open = open.to_string();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        let tail = &rest[at + 2..];
        let Some(end) = tail.find('m') else { break };
        let params = &tail[..end];
        if params.is_empty() || params == "0" {
            open.clear();
        } else if let Some(more) = params.strip_prefix("0;") {
            open = format!("\x1b[{more}m");
        } else {
            open.push_str(&rest[at..at + 2 + end + 1]);
        }
        rest = &tail[end + 1..];
    }
    open
}

/// Right or wrong, the expected answer, the explanation and the source.
pub(crate) fn feedback(
    mark: Option<Mark>,
    expected: &str,
    detail: Option<&Safe>,
    card: &Card,
    width: usize,
    paint: &Paint,
) -> Safe {
    let mut lines = Vec::new();
    match mark {
        Some(Mark::Right) => lines.push(paint.safe(Style::GreenBold, &Safe::from("✓ Right"))),
        Some(Mark::Wrong) => lines.push(paint.safe(Style::RedBold, &Safe::from("✗ Not quite"))),
        Some(Mark::Blank) => lines.push(paint.safe(Style::RedBold, &Safe::from("✗ No answer"))),
        None => {}
    }
    let mut answer = paint.safe(Style::Bold, &Safe::from("Answer:"));
    answer.push(&Safe::from(" "));
    let expected = text::sanitize(expected, true);
    let wrapped = text::hanging("", LABEL, &expected, Some(width), str::to_string);
    answer.push(&Safe::new(wrapped.trim_end_matches('\n')));
    lines.push(answer);
    if let Some(d) = detail {
        lines.push(d.clone());
    }
    if let Some(e) = &card.explain() {
        lines.push(paint.safe(Style::Dim, &block(e, width)));
    }
    if let Some(s) = &card.source() {
        lines.push(paint.safe(Style::Dim, &block(&format!("Source: {s}"), width)));
    }
    Safe::join(&lines, "\n")
}

/// The end of a study session, wrapped to the width.
pub(crate) fn summary(s: &Summary, now: Timestamp, width: usize, paint: &Paint) -> Safe {
    // A session left early says what today still holds, not when the
    // next review falls due (new cards wait now, whatever that says).
    let left = match s.left_today {
        0 => None,
        1 => Some("1 card left for today".to_string()),
        n => Some(format!("{n} cards left for today")),
    };
    if s.reviewed == 0 {
        return Safe::wrapped(
            &match (left, s.next_due) {
                (Some(left), _) => format!("Nothing answered; {left}."),
                (None, Some(at)) => format!(
                    "Nothing answered. Next card due in {}.",
                    interval(at.duration_since(now))
                ),
                (None, None) => "Nothing answered.".to_string(),
            },
            width,
        );
    }
    let indented = |t: &str| {
        let lines: Vec<Safe> = text::wrap(t, width.saturating_sub(2))
            .iter()
            .map(|l| Safe::line(&format!("  {l}")))
            .collect();
        Safe::join(&lines, "\n")
    };
    let mut out = vec![paint.safe(Style::Bold, &Safe::from("Session done"))];
    out.push(indented(&format!(
        "{} answer{}, {:.0}% right, {} new card{} learned, {}",
        s.reviewed,
        if s.reviewed == 1 { "" } else { "s" },
        s.correct.unwrap_or(0.0) * 100.0,
        s.new_learned,
        if s.new_learned == 1 { "" } else { "s" },
        crate::quiz::report::clock(u64::try_from(s.seconds).unwrap_or(0))
    )));
    out.push(indented(&match (left, s.next_due) {
        (Some(left), _) => left,
        (None, Some(at)) => format!("Next card due in {}", interval(at.duration_since(now))),
        (None, None) => "No more cards scheduled".to_string(),
    }));
    Safe::join(&out, "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colour_open_across_a_break_does_not_paint_the_indent() {
        // Struck through in red from `Shim` to the end of the first line.
        let line = "Yours:  Treaty of \x1b[9m\x1b[31mShimoda between Russia\x1b[0m and";
        let wrapped = under_labels(line, 30);
        assert_eq!(
            wrapped,
            "Yours:  Treaty of \x1b[9m\x1b[31mShimoda\n\x1b[0m        \x1b[9m\x1b[31mbetween Russia\x1b[0m and"
        );
        assert_eq!(open_style("", "a\x1b[0;4m\x1b[32mb"), "\x1b[4m\x1b[32m");
        assert_eq!(open_style("\x1b[9m", "a\x1b[0mb"), "");
        // Without colour, nothing is added.
        assert_eq!(
            under_labels("Yours:  Treaty of Shimoda between Russia and", 30),
            "Yours:  Treaty of Shimoda\n        between Russia and"
        );
    }

    #[test]
    fn help_wraps_between_words_beside_its_keys() {
        let wide = help(80);
        assert!(
            wide.as_str().contains(
                "  r                I was right (typed answers): count it and accept my answer\n                   from now on"
            ),
            "{wide}"
        );
        let narrow = help(40);
        assert!(
            narrow
                .as_str()
                .contains("  Enter or space   show the answer (flip\n                   cards)"),
            "{narrow}"
        );
        let tiny = help(30);
        assert!(
            tiny.as_str()
                .contains("  Enter or space\n      show the answer (flip\n      cards)"),
            "{tiny}"
        );
        for (help, width) in [(wide, 80), (narrow, 40), (tiny, 30)] {
            for line in help.as_str().lines() {
                assert!(text::width(line) <= width, "{line:?}");
            }
            // Words the narrow layouts wrap around are whole.
            let words: Vec<&str> = help.as_str().split_whitespace().collect();
            assert!(words.contains(&"again,") && words.contains(&"tomorrow"));
        }
    }

    #[test]
    fn help_after_an_answer_spells_out_the_cards_sources() {
        let mut deck = crate::deck::Deck {
            id: "d".into(),
            title: "D".into(),
            description: String::new(),
            tags: Vec::new(),
            retention: None,
            path: std::path::PathBuf::new(),
            cards: Vec::new(),
            sources: [
                ("eyal".to_string(), "Jonathan Eyal, RUSI".to_string()),
                ("miller2004".to_string(), "John H. Miller, Russia-Japan Relations: Prisoners of History?, APCSS, October 2004".to_string()),
            ]
            .into_iter()
            .collect(),
            new_order: Default::default(),
            renames: Vec::new(),
        };
        deck.cards.push(crate::deck::Card::new(
            "d".into(),
            "c".into(),
            "c".into(),
            1,
            crate::deck::Details {
                content: crate::deck::Content::TrueFalse {
                    statement: "S".into(),
                    answer: true,
                },
                explain: None,
                source: Some("miller2004, eyal".into()),
                tags: Vec::new(),
            },
        ));
        let help = help_after(&deck, &deck.cards[0], 40);
        let tail: Vec<&str> = help
            .as_str()
            .lines()
            .skip_while(|l| *l != "Source:")
            .collect();
        assert_eq!(
            tail,
            [
                "Source:",
                "  miller2004: John H. Miller,",
                "  Russia-Japan Relations: Prisoners of",
                "  History?, APCSS, October 2004",
                "  eyal: Jonathan Eyal, RUSI",
            ]
        );
    }

    #[test]
    fn intervals_are_compact() {
        assert_eq!(interval(SignedDuration::from_secs(60)), "1m");
        assert_eq!(interval(SignedDuration::from_hours(3)), "3h");
        assert_eq!(interval(SignedDuration::from_hours(96)), "4d");
        assert_eq!(interval(SignedDuration::from_hours(24 * 76)), "2.5mo");
        assert_eq!(interval(SignedDuration::from_hours(24 * 365)), "1y");
    }

    #[test]
    fn the_rating_line_marks_the_suggestion() {
        let ivl = [
            SignedDuration::from_mins(1),
            SignedDuration::from_hours(48),
            SignedDuration::from_hours(96),
            SignedDuration::from_hours(24 * 9),
        ];
        assert_eq!(
            rating_line(&ivl, None, false, 80, &Paint::plain()).as_str(),
            "1 Again · 1m   2 Hard · 2d   3 Good · 4d   4 Easy · 9d"
        );
        let marked = rating_line(&ivl, Some(Rating::Good), true, 80, &Paint::plain());
        assert!(marked.as_str().contains("[3 Good · 4d]"));
        assert!(marked.as_str().contains("r: I was right"));
        let no_claim = rating_line(&ivl, Some(Rating::Good), false, 80, &Paint::plain());
        assert!(!no_claim.as_str().contains("r: I was right"));
    }

    #[test]
    fn at_40_columns_nothing_breaks_inside_a_word() {
        let ivl = [
            SignedDuration::from_mins(10),
            SignedDuration::from_hours(24 * 30 * 5),
            SignedDuration::from_hours(24 * 365 * 2),
            SignedDuration::from_hours(24 * 365 * 7),
        ];
        let line = rating_line(&ivl, Some(Rating::Hard), true, 40, &Paint::plain());
        for l in line.as_str().lines() {
            assert!(text::width(l) <= 40, "{l:?}");
        }
        assert!(line.as_str().contains("[2 Hard · 4.9mo]"), "{line}");
        let summary = Summary {
            reviewed: 123,
            correct: Some(0.5),
            seconds: 4000,
            new_learned: 17,
            left_today: 0,
            next_due: None,
        };
        let shown = super::summary(&summary, Timestamp::UNIX_EPOCH, 40, &Paint::plain());
        for l in shown.as_str().lines() {
            assert!(text::width(l) <= 40, "{l:?}");
        }
        assert!(shown.as_str().contains("17 new cards"), "{shown}");
    }

    /// Left early, a session says what today still holds: the next review
    /// may be days away while new cards wait now.
    #[test]
    fn a_session_left_early_says_how_many_cards_today_still_holds() {
        let tomorrow = Timestamp::UNIX_EPOCH + SignedDuration::from_hours(24);
        let mut summary = Summary {
            reviewed: 1,
            correct: Some(1.0),
            seconds: 7,
            new_learned: 1,
            left_today: 19,
            next_due: Some(tomorrow),
        };
        let said = |s: &Summary| {
            super::summary(s, Timestamp::UNIX_EPOCH, 80, &Paint::plain())
                .as_str()
                .to_string()
        };
        let shown = said(&summary);
        assert!(shown.contains("19 cards left for today"), "{shown}");
        assert!(!shown.contains("Next card due"), "{shown}");
        summary.left_today = 1;
        assert!(said(&summary).contains("1 card left for today"));
        summary.left_today = 0;
        assert!(said(&summary).contains("Next card due in 1d"));
        summary.reviewed = 0;
        summary.left_today = 20;
        assert_eq!(said(&summary), "Nothing answered; 20 cards left for today.");
    }

    #[test]
    fn the_header_keeps_the_position_when_the_title_is_cut() {
        let mut deck = crate::session::study::tests::deck("d", 1);
        deck.title = "The Russo-Japanese dispute over the Kuril Islands, in depth".into();
        let card = deck.cards[0].clone();
        let progress = Progress {
            done: 11,
            total: 40,
        };
        let h = header(&deck, &card, progress, true, None, 40, &Paint::plain());
        let exam = ("finals".to_string(), 12);
        let wide = header(
            &deck,
            &card,
            progress,
            true,
            Some(&exam),
            80,
            &Paint::plain(),
        );
        assert!(
            wide.as_str().contains("exam finals in 12d"),
            "{}",
            wide.as_str()
        );
        let narrow = header(
            &deck,
            &card,
            progress,
            true,
            Some(&exam),
            40,
            &Paint::plain(),
        );
        let line = narrow.as_str().lines().nth(1).expect("a header line");
        assert!(line.contains("exam") && text::width(line) <= 40, "{line}");
        let line = h.as_str().lines().nth(1).expect("a header line");
        assert!(line.contains("12 / 40 · new"), "{line}");
        assert!(line.contains('…'), "{line}");
        assert!(text::width(line) <= 40, "{line}");
    }

    #[test]
    fn tags_that_do_not_fit_beside_the_position_go_on_a_line_below() {
        let mut deck = crate::session::study::tests::deck("d", 1);
        deck.title = "The islands: geography and names".into();
        let mut card = deck.cards[0].clone();
        card.details_mut().tags = vec!["russian-names".into()];
        let progress = Progress { done: 4, total: 20 };
        let lines = |width: usize| -> Vec<String> {
            let h = header(&deck, &card, progress, true, None, width, &Paint::plain());
            h.as_str().lines().skip(1).map(str::to_string).collect()
        };
        assert_eq!(
            lines(80),
            ["The islands: geography and names · 5 / 20 · new · russian-names"]
        );
        assert_eq!(
            lines(40),
            ["The islands: geography a… · 5 / 20 · new", "russian-names"]
        );
    }

    #[test]
    fn the_verdict_line_says_close_shows_slips_and_plain_wrong_answers() {
        let plain = Paint::plain();
        let line = |given: &str, expected: &str| {
            let g = grade::grade(given, expected, &[] as &[&str]);
            verdict_line(given, &g, expected, &plain, true)
        };
        assert_eq!(line("Iran", "Iran"), None);
        assert_eq!(
            line("Iraq", "Iran").as_deref(),
            Some("Yours:  Iraq\nclose: did you mean Iran? r if it was a slip")
        );
        let g = grade::grade("Iraq", "Iran", &[] as &[&str]);
        assert_eq!(
            verdict_line("Iraq", &g, "Iran", &plain, false).as_deref(),
            Some("Yours:  Iraq\nclose: did you mean Iran?"),
            "a quiz has no r"
        );
        assert_eq!(
            line("Kunashri", "Kunashiri").as_deref(),
            Some("Typo:   Kunash[+i]ri")
        );
        assert_eq!(
            line("Pacific Fleet", "Sea of Okhotsk").as_deref(),
            Some("Yours:  Pacific Fleet")
        );
        assert_eq!(line("  ", "Iran"), None);
    }

    #[test]
    fn feedback_wraps_the_verdict_between_words_at_40_columns() {
        let card = Card::new(
            "d".into(),
            "c".into(),
            "c".into(),
            1,
            crate::deck::Details {
                content: crate::deck::Content::TrueFalse {
                    statement: "s".into(),
                    answer: true,
                },
                explain: None,
                source: None,
                tags: Vec::new(),
            },
        );
        // Wrapped as `ask` wraps the verdict line before feedback shows it.
        let detail = "Yours:  Slovakia\nclose: did you mean Slovenia? r if it was a slip";
        let detail = Safe::keep_colours(&under_labels(detail, 40));
        let shown = feedback(
            Some(Mark::Wrong),
            "Slovenia",
            Some(&detail),
            &card,
            40,
            &Paint::plain(),
        );
        let shown = shown.as_str();
        assert!(shown.lines().all(|l| text::width(l) <= 40), "{shown}");
        assert!(
            shown.contains("close: did you mean Slovenia? r if it\nwas a slip"),
            "{shown}"
        );
        // A long answer and a long reply go on under their text, not
        // under their labels.
        let detail = under_labels("Yours:  Iturup, Kunashir, Shikotan and the Habomai", 40);
        assert_eq!(
            detail,
            "Yours:  Iturup, Kunashir, Shikotan and\n        the Habomai"
        );
        let shown = feedback(
            Some(Mark::Wrong),
            "Etorofu, Kunashiri, Shikotan, Habomai",
            Some(&Safe::keep_colours(&detail)),
            &card,
            40,
            &Paint::plain(),
        );
        assert!(
            shown
                .as_str()
                .contains("Answer: Etorofu, Kunashiri, Shikotan,\n        Habomai\nYours:"),
            "{shown}"
        );
    }

    #[test]
    fn wide_text_wraps_within_the_width() {
        let wrapped = block("択捉島、国後島、色丹島、歯舞群島は北方領土と呼ばれる。", 20);
        assert!(
            wrapped.as_str().lines().all(|l| text::width(l) <= 20),
            "{wrapped}"
        );
        assert_eq!(block("a\u{1b}[2Jb", 20).as_str(), "a\u{FFFD}[2Jb");
    }
}

//! What the learner sees, as pure functions returning text: headers,
//! questions, feedback, rating prompts, intervals and the summary.

use jiff::{SignedDuration, Timestamp};

use super::engine::Progress;
use super::study::Summary;
use crate::deck::{Card, Deck};
use crate::grade::{self, Grade, Verdict};
use crate::paint::Paint;
use crate::rating::Rating;
use crate::text;

/// `10m`, `3h`, `4d`, `2.5mo`, `1.2y`.
pub fn interval(d: SignedDuration) -> String {
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
pub fn block(text: &str, width: usize) -> String {
    text::wrap(&text::sanitize(text, true), width).join("\n")
}

/// `Treaties · 12 / 40 · new · 1945, border`
pub fn header(
    deck: &Deck,
    card: &Card,
    progress: Progress,
    is_new: bool,
    width: usize,
    paint: &Paint,
) -> String {
    let mut parts = vec![
        text::sanitize(&deck.title, false),
        format!(
            "{} / {}",
            progress.done + 1,
            progress.total.max(progress.done + 1)
        ),
    ];
    if is_new {
        parts.push("new".into());
    }
    if !card.tags.is_empty() {
        parts.push(text::sanitize(&card.tags.join(", "), false));
    }
    let line = text::truncate(&parts.join(" · "), width);
    let rule = "─".repeat(width.min(60));
    format!("{}\n{}", paint.dim(&rule), paint.dim(&line))
}

/// The rating line: `1 Again · 1m   2 Hard · 2d   3 Good · 4d   4 Easy · 9d`,
/// with the suggestion marked.
pub fn rating_line(
    intervals: &[SignedDuration; 4],
    suggested: Option<Rating>,
    paint: &Paint,
) -> String {
    let mut parts = Vec::new();
    for (r, d) in Rating::ALL.iter().zip(intervals) {
        let name = match r {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        };
        let item = format!("{} {name} · {}", r.number(), interval(*d));
        parts.push(if Some(*r) == suggested {
            paint.bold(&format!("[{item}]"))
        } else {
            item
        });
    }
    let mut line = parts.join("   ");
    if suggested.is_some() {
        // On a line of its own: the ratings alone fill a narrow terminal.
        line.push_str("\nEnter: as marked · r: I was right");
    }
    line
}

/// Help for the session keys.
pub fn help() -> String {
    [
        "Keys:",
        "  Enter or space   show the answer (flip cards)",
        "  1 2 3 4          rate: again, hard, good, easy",
        "  Enter            take the suggested rating (typed answers)",
        "  r                I was right: count it and accept my answer from now on",
        "  q or Esc         quit (every answer so far is saved)",
        "  u                undo the last answer",
        "  s                bury this card until tomorrow",
        "  ?                this help",
        "While typing an answer, write :q :u :s or :? instead.",
    ]
    .join("\n")
}

/// Help after an answer: the keys, then the card's full references when its
/// deck cites by short key (the feedback shows only the key).
pub fn help_after(deck: &Deck, card: &Card, width: usize) -> String {
    let mut out = help();
    if let Some(full) = deck.citation(card) {
        out.push_str("\nSource:");
        for reference in full.lines() {
            for line in block(reference, width.saturating_sub(2)).lines() {
                out.push_str("\n  ");
                out.push_str(line);
            }
        }
    }
    out
}

/// The line under a typed answer's grade: the slip marked in a near miss
/// (`Typo:   Kunash[+i]ri`); for a close answer, whether the learner meant
/// the right one (`r` stays their call); for a wrong one, a diff when the
/// two are alike, else what was typed, plainly (the answer is shown above).
pub fn verdict_line(given: &str, grade: &Grade, expected: &str, paint: &Paint) -> Option<String> {
    let typed = || text::sanitize(given.trim(), false);
    match grade.verdict {
        Verdict::Exact => None,
        Verdict::Typo => (grade.matched.as_deref() == Some(expected))
            .then(|| grade::diff(given, expected, paint))
            .flatten()
            .map(|d| format!("Typo:   {d}")),
        Verdict::Close => {
            let meant = text::sanitize(grade.close_to().unwrap_or(expected), false);
            Some(format!(
                "Yours:  {}\nclose: did you mean {meant}? r if it was a slip",
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

/// Right or wrong, the expected answer, the explanation and the source.
pub fn feedback(
    right: Option<bool>,
    expected: &str,
    detail: Option<&str>,
    card: &Card,
    width: usize,
    paint: &Paint,
) -> String {
    let mut lines = Vec::new();
    match right {
        Some(true) => lines.push(paint.green_bold("✓ Right")),
        Some(false) => lines.push(paint.red_bold("✗ Not quite")),
        None => {}
    }
    lines.push(format!(
        "{} {}",
        paint.bold("Answer:"),
        block(expected, width.saturating_sub(8))
    ));
    if let Some(d) = detail {
        // Plain lines (a verdict, a partial answer) wrap between words; a
        // coloured diff is left whole.
        for line in d.lines() {
            if line.contains('\x1b') {
                lines.push(line.to_string());
            } else {
                lines.extend(text::wrap(line, width));
            }
        }
    }
    if let Some(e) = &card.explain {
        lines.push(paint.dim(&block(e, width)));
    }
    if let Some(s) = &card.source {
        lines.push(paint.dim(&block(&format!("Source: {s}"), width)));
    }
    lines.join("\n")
}

/// The end of a study session.
pub fn summary(s: &Summary, now: Timestamp, paint: &Paint) -> String {
    if s.reviewed == 0 {
        return match s.next_due {
            Some(at) => format!(
                "Nothing answered. Next card due in {}.",
                interval(at.duration_since(now))
            ),
            None => "Nothing answered.".to_string(),
        };
    }
    let mut out = vec![paint.bold("Session done")];
    out.push(format!(
        "  {} answer{}, {:.0}% right, {} new card{} learned, {}",
        s.reviewed,
        if s.reviewed == 1 { "" } else { "s" },
        s.correct.unwrap_or(0.0) * 100.0,
        s.new_learned,
        if s.new_learned == 1 { "" } else { "s" },
        crate::quiz::report::clock(u64::try_from(s.seconds).unwrap_or(0))
    ));
    match s.next_due {
        Some(at) => out.push(format!(
            "  Next card due in {}",
            interval(at.duration_since(now))
        )),
        None => out.push("  No more cards scheduled".to_string()),
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        };
        deck.cards.push(crate::deck::Card {
            deck_id: "d".into(),
            id: "c".into(),
            note_id: "c".into(),
            content: crate::deck::Content::TrueFalse {
                statement: "S".into(),
                answer: true,
            },
            explain: None,
            source: Some("miller2004, eyal".into()),
            tags: Vec::new(),
            line: 1,
        });
        let help = help_after(&deck, &deck.cards[0], 40);
        let tail: Vec<&str> = help.lines().skip_while(|l| *l != "Source:").collect();
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
            rating_line(&ivl, None, &Paint::plain()),
            "1 Again · 1m   2 Hard · 2d   3 Good · 4d   4 Easy · 9d"
        );
        assert!(rating_line(&ivl, Some(Rating::Good), &Paint::plain()).contains("[3 Good · 4d]"));
    }

    #[test]
    fn the_verdict_line_says_close_shows_slips_and_plain_wrong_answers() {
        let plain = Paint::plain();
        let line = |given: &str, expected: &str| {
            let g = grade::grade(given, expected, &[] as &[&str]);
            verdict_line(given, &g, expected, &plain)
        };
        assert_eq!(line("Iran", "Iran"), None);
        assert_eq!(
            line("Iraq", "Iran").as_deref(),
            Some("Yours:  Iraq\nclose: did you mean Iran? r if it was a slip")
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
        let card = Card {
            deck_id: "d".into(),
            id: "c".into(),
            note_id: "c".into(),
            content: crate::deck::Content::TrueFalse {
                statement: "s".into(),
                answer: true,
            },
            explain: None,
            source: None,
            tags: Vec::new(),
            line: 1,
        };
        let detail = "Yours:  Slovakia\nclose: did you mean Slovenia? r if it was a slip";
        let shown = feedback(
            Some(false),
            "Slovenia",
            Some(detail),
            &card,
            40,
            &Paint::plain(),
        );
        assert!(shown.lines().all(|l| text::width(l) <= 40), "{shown}");
        assert!(
            shown.contains("close: did you mean Slovenia? r if it\nwas a slip"),
            "{shown}"
        );
    }

    #[test]
    fn wide_text_wraps_within_the_width() {
        let wrapped = block("択捉島、国後島、色丹島、歯舞群島は北方領土と呼ばれる。", 20);
        assert!(wrapped.lines().all(|l| text::width(l) <= 20), "{wrapped}");
        assert_eq!(block("a\u{1b}[2Jb", 20), "a\u{FFFD}[2Jb");
    }
}

//! The class report shown three ways besides JSON: a terminal table that
//! fits the width (one block per card below 72 columns), CSV, and one
//! self-contained HTML page whose charts are inline SVG (no script, no
//! network, no file beside it).

use std::fmt::Write as _;

use super::report::{CardRow, ClassReport, StudentRow};
use crate::paint::Paint;
use crate::text;

fn percent(share: Option<f64>) -> String {
    share.map_or("–".into(), |s| format!("{:.0}%", s * 100.0))
}

fn decimal(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{v:.2}"))
}

fn day(t: Option<jiff::Timestamp>) -> String {
    t.map_or("–".into(), |t| {
        t.to_zoned(jiff::tz::TimeZone::system()).date().to_string()
    })
}

fn wrong(c: &CardRow, n: usize) -> String {
    c.wrong_answers
        .iter()
        .take(n)
        .map(|w| format!("{} ×{}", text::sanitize(&w.answer, false), w.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report for a terminal `width` columns wide.
pub(crate) fn table(report: &ClassReport, paint: &Paint, width: usize) -> String {
    let mut out = String::new();
    let title = format!(
        "Class report: {} student{}, {} card{}{}",
        report.students,
        if report.students == 1 { "" } else { "s" },
        report.cards.len(),
        if report.cards.len() == 1 { "" } else { "s" },
        report
            .exam
            .as_ref()
            .map(|e| format!(", exam on {e}"))
            .unwrap_or_default()
    );
    for line in text::wrap(&title, width) {
        let _ = writeln!(out, "{}", paint.bold(&line));
    }
    let wide = width >= 72;
    let _ = writeln!(out, "\n{}", paint.bold("Cards"));
    let key_width = report
        .cards
        .iter()
        .map(|c| text::width(&c.key))
        .max()
        .unwrap_or(4)
        .clamp(4, width.saturating_sub(44).max(10));
    if wide {
        let _ = writeln!(
            out,
            "{}",
            paint.dim(&format!(
                "  {}  seen  right  facility  discrim.  forgot",
                text::pad("card", key_width)
            ))
        );
    }
    for c in &report.cards {
        let key = text::sanitize(&c.key, false);
        if wide {
            let _ = writeln!(
                out,
                "  {}  {:>4}  {:>5}  {:>8}  {:>8}  {:>6}",
                text::pad(&text::truncate(&key, key_width), key_width),
                c.students,
                c.first_right,
                percent(c.facility),
                decimal(c.discrimination),
                c.forgotten
            );
        } else {
            let _ = writeln!(out, "  {}", text::truncate(&key, width.saturating_sub(2)));
            let figures = format!(
                "seen {} · right {} · facility {} · discrimination {} · forgotten {}",
                c.students,
                c.first_right,
                percent(c.facility),
                decimal(c.discrimination),
                c.forgotten
            );
            for line in text::wrap(&figures, width.saturating_sub(4)) {
                let _ = writeln!(out, "    {line}");
            }
        }
        if !c.wrong_answers.is_empty() {
            let label = if c.kind == "choice" {
                "options picked wrongly: "
            } else {
                "wrong answers: "
            };
            let line = format!("{label}{}", wrong(c, 3));
            for l in text::wrap(&line, width.saturating_sub(6)) {
                let _ = writeln!(out, "      {}", paint.dim(&l));
            }
        }
    }
    if !report.most_forgotten.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Most often forgotten"));
        for key in &report.most_forgotten {
            if let Some(c) = report.cards.iter().find(|c| &c.key == key) {
                let line = format!(
                    "{} ({}×): {}",
                    text::sanitize(key, false),
                    c.forgotten,
                    text::sanitize(&c.question, false)
                );
                for (i, l) in text::wrap(&line, width.saturating_sub(4))
                    .iter()
                    .enumerate()
                {
                    let _ = writeln!(out, "{}{l}", if i == 0 { "  • " } else { "    " });
                }
            }
        }
    }
    if !report.student_rows.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Students"));
        let name_width = report
            .student_rows
            .iter()
            .map(|s| text::width(&s.name))
            .max()
            .unwrap_or(4)
            .clamp(4, width.saturating_sub(60).max(10));
        let wide = width >= name_width + 62;
        if wide {
            let _ = writeln!(
                out,
                "{}",
                paint.dim(&format!(
                    "  {}  seen  learned  retention  minutes  score  recall  last active",
                    text::pad("name", name_width)
                ))
            );
        }
        for s in &report.student_rows {
            student_line(&mut out, s, name_width, wide, width);
        }
    }
    if !report.unknown_cards.is_empty() {
        let line = format!(
            "{} card{} answered that no deck has (renamed or removed; `kioku doctor` suggests where they belong)",
            report.unknown_cards.len(),
            if report.unknown_cards.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        out.push('\n');
        for l in text::wrap(&line, width) {
            let _ = writeln!(out, "{l}");
        }
    }
    out
}

fn student_line(out: &mut String, s: &StudentRow, name_width: usize, wide: bool, width: usize) {
    let name = text::sanitize(&s.name, false);
    if wide {
        let _ = writeln!(
            out,
            "  {}  {:>4}  {:>7}  {:>9}  {:>7.1}  {:>5}  {:>6}  {}",
            text::pad(&text::truncate(&name, name_width), name_width),
            s.cards_seen,
            s.cards_learned,
            percent(s.retention),
            s.minutes_studied,
            percent(s.first_attempt_score),
            percent(s.predicted_recall),
            day(s.last_active)
        );
        return;
    }
    let _ = writeln!(out, "  {}", text::truncate(&name, width.saturating_sub(2)));
    let figures = format!(
        "seen {} · learned {} · retention {} · {:.1} min · score {} · recall on exam {} · last active {}",
        s.cards_seen,
        s.cards_learned,
        percent(s.retention),
        s.minutes_studied,
        percent(s.first_attempt_score),
        percent(s.predicted_recall),
        day(s.last_active)
    );
    for line in text::wrap(&figures, width.saturating_sub(4)) {
        let _ = writeln!(out, "    {line}");
    }
}

/// CSV: one row per card, a blank line, then one row per student.
pub(crate) fn csv(report: &ClassReport) -> Result<String, csv::Error> {
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "card",
        "deck",
        "kind",
        "students",
        "first_right",
        "facility",
        "discrimination",
        "forgotten",
        "wrong_answers",
        "question",
    ])?;
    for c in &report.cards {
        w.write_record([
            c.key.clone(),
            c.deck.clone(),
            c.kind.clone(),
            c.students.to_string(),
            c.first_right.to_string(),
            opt(c.facility),
            opt(c.discrimination),
            c.forgotten.to_string(),
            c.wrong_answers
                .iter()
                .map(|a| format!("{} ({})", a.answer, a.count))
                .collect::<Vec<_>>()
                .join("; "),
            c.question.clone(),
        ])?;
    }
    let cards = w.into_inner().map_err(csv::IntoInnerError::into_error)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "student",
        "cards_seen",
        "cards_learned",
        "reviews",
        "retention",
        "minutes_studied",
        "first_attempt_score",
        "quizzes",
        "predicted_recall",
        "last_active",
    ])?;
    for s in &report.student_rows {
        w.write_record([
            s.name.clone(),
            s.cards_seen.to_string(),
            s.cards_learned.to_string(),
            s.reviews.to_string(),
            opt(s.retention),
            format!("{:.1}", s.minutes_studied),
            opt(s.first_attempt_score),
            s.quizzes.to_string(),
            opt(s.predicted_recall),
            s.last_active.map(|t| t.to_string()).unwrap_or_default(),
        ])?;
    }
    let students = w.into_inner().map_err(csv::IntoInnerError::into_error)?;
    Ok(format!(
        "{}\n{}",
        String::from_utf8_lossy(&cards),
        String::from_utf8_lossy(&students)
    ))
}

fn esc(text: &str) -> String {
    html_escape::encode_text(&text::sanitize(text, false)).to_string()
}

/// A horizontal bar chart as inline SVG: one labelled bar per row, values
/// from 0 to `max`.
fn bars(id: &str, title: &str, rows: &[(String, f64, String)], max: f64) -> String {
    let row_h = 22.0;
    let label_w = 220.0;
    let bar_w = 360.0;
    let height = row_h * rows.len() as f64 + 10.0;
    let mut svg = format!(
        r#"<figure><figcaption>{}</figcaption><svg id="{id}" role="img" aria-label="{}" width="{}" height="{height}" viewBox="0 0 {} {height}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title),
        esc(title),
        label_w + bar_w + 80.0,
        label_w + bar_w + 80.0
    );
    for (i, (label, value, shown)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 5.0;
        let w = if max > 0.0 {
            (value / max).clamp(0.0, 1.0) * bar_w
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text><rect class="bar" x="{}" y="{y}" width="{w:.1}" height="{}" fill="steelblue"><title>{}: {}</title></rect><text x="{}" y="{}" font-size="12">{}</text>"#,
            label_w - 6.0,
            y + 14.0,
            esc(&text::truncate(label, 34)),
            label_w,
            row_h - 6.0,
            esc(label),
            esc(shown),
            label_w + w + 4.0,
            y + 14.0,
            esc(shown)
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

/// The report as one self-contained HTML page.
pub(crate) fn html(report: &ClassReport) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>kioku class report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: right; }}
th:first-child, td:first-child, .t {{ text-align: left; }}
figure {{ margin: 1em 0; }} figcaption {{ font-weight: bold; margin-bottom: .3em; }}
.note {{ color: #666; }}
</style></head><body>
<h1>Class report</h1>
<p id="summary">{} students, {} cards{}</p>
"#,
        report.students,
        report.cards.len(),
        report
            .exam
            .as_ref()
            .map(|e| format!(", exam on {}", esc(e)))
            .unwrap_or_default()
    );
    let facility: Vec<(String, f64, String)> = report
        .cards
        .iter()
        .filter(|c| c.facility.is_some())
        .map(|c| {
            (
                c.key.clone(),
                c.facility.unwrap_or(0.0),
                percent(c.facility),
            )
        })
        .collect();
    page.push_str(&bars(
        "facility",
        "First-attempt facility per card",
        &facility,
        1.0,
    ));
    let forgotten: Vec<(String, f64, String)> = report
        .most_forgotten
        .iter()
        .filter_map(|k| report.cards.iter().find(|c| &c.key == k))
        .map(|c| {
            (
                c.key.clone(),
                f64::from(c.forgotten),
                c.forgotten.to_string(),
            )
        })
        .collect();
    if !forgotten.is_empty() {
        let max = forgotten.iter().map(|r| r.1).fold(0.0, f64::max);
        page.push_str(&bars("forgotten", "Most often forgotten", &forgotten, max));
    }
    let recall: Vec<(String, f64, String)> = report
        .student_rows
        .iter()
        .map(|s| {
            let v = s.predicted_recall.or(s.first_attempt_score);
            (s.name.clone(), v.unwrap_or(0.0), percent(v))
        })
        .collect();
    if !recall.is_empty() {
        let title = if report.exam.is_some() {
            "Predicted recall on the exam date per student"
        } else {
            "First-attempt score per student"
        };
        page.push_str(&bars("students-chart", title, &recall, 1.0));
    }
    page.push_str("<h2>Cards</h2>\n<table id=\"cards\"><tr><th>card</th><th class=\"t\">question</th><th>seen</th><th>right first</th><th>facility</th><th>discrimination</th><th>forgotten</th><th class=\"t\">wrong answers</th></tr>\n");
    for c in &report.cards {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"t\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"t\">{}</td></tr>",
            esc(&c.key),
            esc(&c.question),
            c.students,
            c.first_right,
            percent(c.facility),
            decimal(c.discrimination),
            c.forgotten,
            esc(&wrong(c, 5))
        );
    }
    page.push_str("</table>\n");
    if !report.student_rows.is_empty() {
        page.push_str("<h2>Students</h2>\n<table id=\"students\"><tr><th>name</th><th>seen</th><th>learned</th><th>retention</th><th>minutes</th><th>score</th><th>recall on exam</th><th>last active</th></tr>\n");
        for s in &report.student_rows {
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&s.name),
                s.cards_seen,
                s.cards_learned,
                percent(s.retention),
                s.minutes_studied,
                percent(s.first_attempt_score),
                percent(s.predicted_recall),
                day(s.last_active)
            );
        }
        page.push_str("</table>\n");
    }
    page.push_str("<p class=\"note\">Made by <code>kioku class report</code>. Facility: share of students right at their first attempt. Discrimination: correlation of a card's first attempts with the students' scores on the other cards.</p>\n</body></html>\n");
    page
}

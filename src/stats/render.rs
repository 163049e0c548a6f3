//! `kioku stats` as text: tables and charts that fit a terminal `width`
//! columns wide (CJK counted double), coloured through [`Paint`] or plain.
//!
//! Every function is pure and returns whole lines ending in `\n`. No line is
//! wider than `width` for `width >= 20`: layouts shrink first (fewer weeks,
//! fewer days, fewer columns), and a last cut guards against absurd numbers.
//! Charts stay readable without colour: block glyphs encode the levels.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

use super::compute::{
    Activity, CardDetail, Forecast, HardCard, Heatmap, Orphans, Retention, Stats, Summary,
};
use super::days;
use crate::paint::Paint;
use crate::text;

/// Narrowest layout the renderer plans for; narrower output is cut.
pub const MIN_WIDTH: usize = 20;

/// Heatmap glyphs by level: nothing, then four quartiles.
pub const HEAT_GLYPHS: [char; 5] = ['·', '░', '▒', '▓', '█'];
/// Graded greens (256-colour SGR) for heatmap levels 0–4.
pub const HEAT_CODES: [&str; 5] = ["38;5;240", "38;5;22", "38;5;28", "38;5;34", "38;5;46"];
/// Rows of the forecast chart.
pub const FORECAST_HEIGHT: usize = 6;
const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The whole report: overall figures, the per-deck table and every chart.
pub fn render_stats(stats: &Stats, width: usize, paint: &Paint) -> String {
    let overall = &stats.overall;
    let mut sections = vec![
        render_header(stats, width, paint),
        render_decks(stats, width, paint),
        render_retention(&overall.retention, width, paint),
        render_forecast(&overall.forecast, width, paint),
        render_heatmap(&overall.activity.heatmap, width, paint),
        render_activity(&overall.activity, width, paint),
        render_hardest(&overall.hardest, width, paint),
    ];
    if stats.orphans.cards > 0 {
        sections.push(render_orphans(&stats.orphans, width, paint));
    }
    sections.join("\n")
}

fn render_header(stats: &Stats, width: usize, paint: &Paint) -> String {
    let zone = stats
        .time_zone
        .as_deref()
        .map(|z| format!(", {}", text::sanitize(z, false)))
        .unwrap_or_default();
    let line = format!(
        "Statistics for {} (days start at {:02}:00{zone})",
        stats.today, stats.day_starts_at_hour
    );
    finish(
        text::wrap(&line, width)
            .into_iter()
            .map(|l| paint.bold(&l))
            .collect(),
        width,
    )
}

/// Cards by state per deck, with what is due today and 30-day retention.
pub fn render_decks(stats: &Stats, width: usize, paint: &Paint) -> String {
    let mut rows: Vec<(String, &Summary)> = stats
        .decks
        .iter()
        .map(|d| (text::sanitize(&d.title, false), &d.summary))
        .collect();
    if stats.decks.len() != 1 {
        rows.push(("All decks".to_string(), &stats.overall));
    }
    let col = |header: &str, keep: u8, f: &dyn Fn(&Summary) -> String| Column {
        header: header.to_string(),
        cells: rows.iter().map(|(_, s)| f(s)).collect(),
        right: true,
        keep,
        flex: false,
    };
    let columns = vec![
        Column {
            header: "Deck".to_string(),
            cells: rows.iter().map(|(t, _)| t.clone()).collect(),
            right: false,
            keep: u8::MAX,
            flex: true,
        },
        col("Cards", 3, &|s| count(s.cards.total)),
        col("New", 7, &|s| count(s.cards.new)),
        col("Learn", 4, &|s| count(s.cards.learning)),
        col("Young", 6, &|s| count(s.cards.young)),
        col("Mature", 6, &|s| count(s.cards.mature)),
        col("Susp", 2, &|s| count(s.cards.suspended)),
        col("Leech", 1, &|s| count(s.cards.leeches)),
        col("Due", 8, &|s| {
            count(s.forecast.days.first().copied().unwrap_or(0))
        }),
        col("Ret 30d", 5, &|s| {
            percent(s.retention.last_30_days.total.rate)
        }),
    ];
    let mut lines = vec![paint.bold("Cards")];
    lines.extend(table(columns, width, paint));
    finish(lines, width)
}

/// True retention by period, young and mature.
pub fn render_retention(retention: &Retention, width: usize, paint: &Paint) -> String {
    let windows = [
        ("today", "today", &retention.today),
        ("7 days", "7d", &retention.last_7_days),
        ("30 days", "30d", &retention.last_30_days),
        ("all time", "all", &retention.all_time),
    ];
    let short = width < 44;
    let mut columns = vec![Column {
        header: String::new(),
        cells: ["young", "mature", "total", "count"]
            .map(str::to_string)
            .to_vec(),
        right: false,
        keep: u8::MAX,
        flex: false,
    }];
    for (i, (long_name, short_name, w)) in windows.into_iter().enumerate() {
        columns.push(Column {
            header: if short { short_name } else { long_name }.to_string(),
            cells: vec![
                percent(w.young.rate),
                percent(w.mature.rate),
                percent(w.total.rate),
                count(w.total.answers),
            ],
            right: true,
            keep: [1, 2, 4, 3][i],
            flex: false,
        });
    }
    let mut lines = heading("True retention", "(review answers passed)", width, paint);
    lines.extend(table(columns, width, paint));
    finish(lines, width)
}

/// Reviews due per day as a vertical bar chart, today (with anything
/// overdue) on the left, scaled to the busiest day.
pub fn render_forecast(forecast: &Forecast, width: usize, paint: &Paint) -> String {
    let total: u64 = forecast.days.iter().fold(0u64, |a, &b| a.saturating_add(b));
    let mut lines = Vec::new();
    let summary = format!(
        "today {}{} · tomorrow {} · 7 days {} · 30 days {}",
        count(forecast.days.first().copied().unwrap_or(0)),
        if forecast.overdue > 0 {
            format!(" ({} overdue)", count(forecast.overdue))
        } else {
            String::new()
        },
        count(forecast.days.get(1).copied().unwrap_or(0)),
        count(sum(forecast.days.iter().take(7))),
        count(total),
    );
    if total == 0 {
        lines.extend(heading("Due", "nothing in the next 30 days", width, paint));
        return finish(lines, width);
    }
    let max = forecast.days.iter().copied().max().unwrap_or(0);
    let top_label = compact(max);
    let label_w = text::width(&top_label).max(1);
    let available = width.saturating_sub(label_w + 2).max(1);
    let shown = forecast.days.len().min(available);
    let cell = (available / shown.max(1)).clamp(1, 3);
    let (bar_w, gap) = if cell == 1 { (1, 0) } else { (cell - 1, 1) };
    let heading = if shown == forecast.days.len() {
        format!("Due in the next {shown} days")
    } else {
        format!("Due, next {shown} days")
    };
    lines.push(paint.bold(&heading));
    for l in text::wrap(&summary, width) {
        lines.push(l);
    }
    let eighths: Vec<u64> = forecast.days[..shown]
        .iter()
        .map(|&c| {
            let h = (FORECAST_HEIGHT * 8) as u128;
            (u128::from(c) * h).div_ceil(u128::from(max.max(1))) as u64
        })
        .collect();
    for row in 0..FORECAST_HEIGHT {
        let level = (FORECAST_HEIGHT - 1 - row) as u64;
        let mut line = if row == 0 {
            format!("{} ┤", pad_left(&top_label, label_w))
        } else {
            format!("{} │", " ".repeat(label_w))
        };
        for (day, &e) in eighths.iter().enumerate() {
            let fill = e.saturating_sub(level * 8).min(8) as usize;
            let bar: String = std::iter::repeat_n(EIGHTHS[fill], bar_w).collect();
            let bar = if fill == 0 {
                bar
            } else if day == 0 {
                paint.yellow(&bar)
            } else {
                paint.cyan(&bar)
            };
            line.push_str(&bar);
            line.extend(std::iter::repeat_n(' ', gap));
        }
        lines.push(line.trim_end().to_string());
    }
    let chart_w = shown * cell - gap;
    lines.push(format!(
        "{} └{}",
        pad_left("0", label_w),
        "─".repeat(chart_w)
    ));
    let mut axis = " ".repeat(label_w + 2);
    let origin = axis.len();
    for day in (0..shown).step_by(7) {
        let label = if day == 0 {
            "today".to_string()
        } else {
            format!("+{day}")
        };
        let at = origin + day * cell;
        let end = at + label.len();
        let fits = end <= width && (day == 0 || axis.len() < at);
        if fits {
            axis.extend(std::iter::repeat_n(' ', at - axis.len()));
            axis.push_str(&label);
        }
    }
    lines.push(axis);
    finish(lines, width)
}

/// Reviews per day as a calendar: a row per weekday, a column per week,
/// ending with the current week, as many weeks as fit (at most 26).
pub fn render_heatmap(heatmap: &Heatmap, width: usize, paint: &Paint) -> String {
    let days_n = heatmap.counts.len() as i64;
    if days_n == 0 {
        return finish(heading("Reviews", "none", width, paint), width);
    }
    let first = days::day_of_date(heatmap.start);
    let today = first + days_n - 1;
    let label_w = 4;
    let max_weeks = ((days_n - 1 - days::weekday_index(today) as i64) / 7 + 1).max(1) as usize;
    let max_weeks = max_weeks.min(26);
    let (cell, weeks) = if label_w + 2 * max_weeks <= width {
        (2, max_weeks)
    } else {
        (1, width.saturating_sub(label_w).clamp(1, max_weeks))
    };
    let this_monday = today - days::weekday_index(today) as i64;
    let monday = |week: usize| this_monday - 7 * (weeks - 1 - week) as i64;
    let count_at = |day: i64| -> Option<u64> {
        (first..=today)
            .contains(&day)
            .then(|| heatmap.counts[(day - first) as usize])
    };

    // Quartile thresholds over the days shown that had reviews.
    let mut studied: Vec<u64> = (0..weeks)
        .flat_map(|w| (0..7).map(move |d| monday(w) + d))
        .filter_map(count_at)
        .filter(|&c| c > 0)
        .collect();
    studied.sort_unstable();
    let thresholds: Vec<u64> = (1..4)
        .map(|k| {
            studied
                .get(studied.len() * k / 4)
                .copied()
                .unwrap_or(u64::MAX)
        })
        .collect();
    let level = |c: u64| -> usize {
        if c == 0 {
            0
        } else {
            1 + thresholds.iter().filter(|&&t| c >= t).count()
        }
    };
    let glyph = |lvl: usize| paint.code(HEAT_CODES[lvl], &HEAT_GLYPHS[lvl].to_string());

    let total: u64 = sum(studied.iter());
    let mut lines = heading(
        "Reviews",
        &format!("{} in the last {weeks} weeks", count(total)),
        width,
        paint,
    );

    // Month names above the first week starting in that month (and above
    // the first week shown, when there is room before the next name).
    let mut months = " ".repeat(label_w);
    let mut candidates = Vec::new();
    for week in 0..weeks {
        let month = days::date_of(monday(week)).month();
        if week == 0 || days::date_of(monday(week - 1)).month() != month {
            candidates.push((label_w + week * cell, MONTHS[month as usize - 1]));
        }
    }
    for (i, &(at, name)) in candidates.iter().enumerate() {
        let next = candidates.get(i + 1).map_or(usize::MAX, |c| c.0);
        if at >= months.len() && at + name.len() < next && at + name.len() <= width {
            months.extend(std::iter::repeat_n(' ', at - months.len()));
            months.push_str(name);
        }
    }
    lines.push(months.trim_end().to_string());

    for (weekday, name) in WEEKDAYS.iter().enumerate() {
        let mut line = format!("{name} ");
        for week in 0..weeks {
            match count_at(monday(week) + weekday as i64) {
                Some(c) => line.push_str(&glyph(level(c))),
                None => line.push(' '),
            }
            if cell == 2 {
                line.push(' ');
            }
        }
        lines.push(line.trim_end().to_string());
    }
    let legend: Vec<String> = (0..5).map(glyph).collect();
    let legend = format!("less {} more", legend.join(" "));
    let indent = if label_w + 19 <= width { label_w } else { 0 };
    lines.push(" ".repeat(indent) + &legend);
    finish(lines, width)
}

/// Streaks, time studied and answer time.
pub fn render_activity(activity: &Activity, width: usize, paint: &Paint) -> String {
    let streak = &activity.streak;
    let rows = [
        (
            "Streak",
            format!(
                "{} (longest {}) · {} studied",
                days_count(streak.current),
                days_count(streak.longest),
                days_count(activity.days_studied)
            ),
        ),
        (
            "Studied",
            format!(
                "{} in all · {} today",
                duration(activity.answer_ms_total),
                duration(activity.answer_ms_today)
            ),
        ),
        (
            "Answers",
            format!(
                "{} · {} today · {} on average",
                count(activity.reviews),
                count(activity.reviews_today),
                activity
                    .answer_ms_average
                    .map_or("–".to_string(), |ms| duration(ms.round() as u64))
            ),
        ),
    ];
    let mut lines = Vec::new();
    for (label, value) in rows {
        lines.extend(key_value(label, &value, 9, width, paint));
    }
    finish(lines, width)
}

/// The hardest cards: most lapses, then lowest retrievability now.
pub fn render_hardest(cards: &[HardCard], width: usize, paint: &Paint) -> String {
    if cards.is_empty() {
        let none = format!(
            "none: no card answered has been forgotten or is below {:.0}% recall",
            super::compute::HARD_RECALL * 100.0
        );
        return finish(heading("Hardest cards", &none, width, paint), width);
    }
    let columns = vec![
        Column {
            header: "#".to_string(),
            cells: (1..=cards.len()).map(|i| i.to_string()).collect(),
            right: true,
            keep: 1,
            flex: false,
        },
        Column {
            header: "Card".to_string(),
            cells: cards
                .iter()
                .map(|c| {
                    let mut s = format!("{}  {}", c.key, c.text);
                    if c.leech {
                        s.push_str(" · leech");
                    }
                    if c.suspended {
                        s.push_str(" · suspended");
                    }
                    text::sanitize(&s, false)
                })
                .collect(),
            right: false,
            keep: u8::MAX,
            flex: true,
        },
        Column {
            header: "Lapses".to_string(),
            cells: cards.iter().map(|c| count(u64::from(c.lapses))).collect(),
            right: true,
            keep: 3,
            flex: false,
        },
        Column {
            header: "Recall".to_string(),
            cells: cards
                .iter()
                .map(|c| whole_percent(c.retrievability))
                .collect(),
            right: true,
            keep: 2,
            flex: false,
        },
    ];
    let mut lines = vec![paint.bold("Hardest cards")];
    lines.extend(table(columns, width, paint));
    finish(lines, width)
}

/// Reviews of cards no deck contains any more.
pub fn render_orphans(orphans: &Orphans, width: usize, paint: &Paint) -> String {
    if orphans.cards == 0 {
        return finish(heading("Orphaned reviews", "none", width, paint), width);
    }
    const SHOWN: usize = 10;
    let mut keys: Vec<String> = orphans
        .keys
        .iter()
        .take(SHOWN)
        .map(|k| text::sanitize(k, false))
        .collect();
    if orphans.keys.len() > SHOWN {
        keys.push(format!("and {} more", orphans.keys.len() - SHOWN));
    }
    let value = format!(
        "{} {} of {} {} in no deck: {}",
        count(orphans.reviews),
        plural(orphans.reviews, "answer", "answers"),
        count(orphans.cards),
        plural(orphans.cards, "card", "cards"),
        keys.join(", ")
    );
    let mut lines = vec![paint.bold("Orphaned reviews")];
    lines.extend(
        text::wrap(&value, width.saturating_sub(2))
            .into_iter()
            .map(|l| format!("  {l}")),
    );
    finish(lines, width)
}

/// `kioku stats --card`: memory state, recall now and at a date, history.
pub fn render_card(detail: &CardDetail, width: usize, paint: &Paint) -> String {
    let mut lines = Vec::new();
    let title = text::sanitize(&detail.key, false);
    lines.push(paint.bold(&text::truncate(&title, width)));
    if !detail.text.is_empty() {
        lines.extend(
            text::wrap(
                &text::sanitize(&detail.text, false),
                width.saturating_sub(2),
            )
            .into_iter()
            .map(|l| format!("  {l}")),
        );
    }
    let mut rows: Vec<(&str, String)> = Vec::new();
    if detail.orphan {
        rows.push(("Deck", "none: the card is in no deck any more".to_string()));
    } else if let Some(t) = &detail.deck_title {
        rows.push((
            "Deck",
            format!(
                "{} ({})",
                text::sanitize(t, false),
                text::sanitize(&detail.deck_id, false)
            ),
        ));
    }
    if let Some(state) = detail.state {
        let mut s = state.name().to_string();
        if let Some(i) = detail.interval_days.filter(|&i| i > 0.0) {
            let _ = write!(s, " · interval {}", days_f(i));
        }
        if let (Some(due), Some(ahead)) = (&detail.due_local, detail.due_in_days) {
            let when = if ahead < 0.0 {
                format!("{} overdue", days_f(-ahead))
            } else {
                format!("in {}", days_f(ahead))
            };
            let _ = write!(s, " · due {due} ({when})");
        }
        rows.push(("State", s));
    }
    let mut flags = format!("{}", detail.lapses);
    if detail.leech {
        flags.push_str(" · leech");
    }
    if detail.suspended {
        flags.push_str(" · suspended");
    }
    rows.push(("Lapses", flags));
    rows.push((
        "Memory",
        match (detail.stability, detail.difficulty) {
            (Some(s), Some(d)) => format!("stability {} · difficulty {d:.2}", days_f(f64::from(s))),
            (Some(s), None) => format!("stability {}", days_f(f64::from(s))),
            _ => "no memory state yet".to_string(),
        },
    ));
    let mut recall = format!("{} now", whole_percent(detail.retrievability_now));
    if let Some(at) = &detail.at_local {
        let _ = write!(
            recall,
            " · {} at {at}",
            whole_percent(detail.retrievability_at)
        );
    }
    rows.push(("Recall", recall));
    rows.push((
        "Retention",
        match detail.retention.rate {
            Some(_) => format!(
                "{} of {} review answers passed ({})",
                detail.retention.passed,
                detail.retention.answers,
                percent(detail.retention.rate)
            ),
            None => "no review answers yet".to_string(),
        },
    ));
    rows.push((
        "History",
        format!(
            "{} {}, {} in all",
            count(detail.history.len() as u64),
            plural(detail.history.len() as u64, "answer", "answers"),
            duration(detail.answer_ms_total)
        ),
    ));
    for (i, reference) in detail.source.iter().flat_map(|s| s.lines()).enumerate() {
        rows.push((
            if i == 0 { "Source" } else { "" },
            text::sanitize(reference, false),
        ));
    }
    for (label, value) in rows {
        lines.extend(key_value(label, &value, 10, width, paint));
    }
    if !detail.history.is_empty() {
        let h = &detail.history;
        let opt = |v: Option<f64>| v.map_or("–".to_string(), days_f);
        let columns = vec![
            Column {
                header: "When".to_string(),
                cells: h.iter().map(|e| e.local.clone()).collect(),
                right: false,
                keep: u8::MAX,
                flex: false,
            },
            Column {
                header: "Rating".to_string(),
                cells: h.iter().map(|e| e.rating.name().to_string()).collect(),
                right: false,
                keep: 9,
                flex: false,
            },
            Column {
                header: "Mode".to_string(),
                cells: h.iter().map(|e| e.mode.name().to_string()).collect(),
                right: false,
                keep: 2,
                flex: false,
            },
            Column {
                header: "Kind".to_string(),
                cells: h.iter().map(|e| e.kind.name().to_string()).collect(),
                right: false,
                keep: 3,
                flex: false,
            },
            Column {
                header: "Time".to_string(),
                cells: h.iter().map(|e| duration(u64::from(e.answer_ms))).collect(),
                right: true,
                keep: 7,
                flex: false,
            },
            Column {
                header: "Interval".to_string(),
                cells: h.iter().map(|e| opt(e.interval_before_days)).collect(),
                right: true,
                keep: 8,
                flex: false,
            },
            Column {
                header: "Stability".to_string(),
                cells: h
                    .iter()
                    .map(|e| opt(e.stability_after.map(f64::from)))
                    .collect(),
                right: true,
                keep: 6,
                flex: false,
            },
        ];
        lines.push(String::new());
        lines.extend(table(columns, width, paint));
    }
    finish(lines, width)
}

/// A table column. Columns with the lowest `keep` are dropped first when the
/// table is too wide; the `flex` column (at most one) is cut to what is left.
struct Column {
    header: String,
    cells: Vec<String>,
    right: bool,
    keep: u8,
    flex: bool,
}

fn table(mut columns: Vec<Column>, width: usize, paint: &Paint) -> Vec<String> {
    const GAP: usize = 2;
    const FLEX_MIN: usize = 8;
    let natural = |c: &Column| {
        c.cells
            .iter()
            .map(|s| text::width(s))
            .chain([text::width(&c.header)])
            .max()
            .unwrap_or(0)
    };
    let needed = |columns: &[Column]| -> usize {
        columns
            .iter()
            .map(|c| {
                if c.flex {
                    natural(c).min(FLEX_MIN)
                } else {
                    natural(c)
                }
            })
            .sum::<usize>()
            + GAP * columns.len().saturating_sub(1)
    };
    while columns.len() > 1 && needed(&columns) > width {
        let Some(drop) = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.keep != u8::MAX)
            .min_by_key(|(_, c)| c.keep)
            .map(|(i, _)| i)
        else {
            break;
        };
        columns.remove(drop);
    }
    let fixed: usize = columns
        .iter()
        .filter(|c| !c.flex)
        .map(natural)
        .sum::<usize>()
        + GAP * columns.len().saturating_sub(1);
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| {
            if c.flex {
                natural(c).min(width.saturating_sub(fixed)).max(1)
            } else {
                natural(c)
            }
        })
        .collect();
    let rows = columns.first().map_or(0, |c| c.cells.len());
    let line = |cell: &dyn Fn(&Column) -> &str| -> String {
        let mut out = String::new();
        for (i, (c, &w)) in columns.iter().zip(&widths).enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(GAP));
            }
            let s = text::truncate(cell(c), w);
            if c.right {
                out.push_str(&pad_left(&s, w));
            } else {
                out.push_str(&text::pad(&s, w));
            }
        }
        out.trim_end().to_string()
    };
    let mut lines = vec![paint.bold(&line(&|c| &c.header))];
    for r in 0..rows {
        lines.push(line(&|c| &c.cells[r]));
    }
    lines
}

/// A bold `label` followed by `rest`, wrapped to the width.
fn heading(label: &str, rest: &str, width: usize, paint: &Paint) -> Vec<String> {
    let mut lines = text::wrap(&format!("{label} {rest}"), width);
    if let Some(first) = lines.first_mut()
        && let Some(tail) = first.strip_prefix(label)
    {
        *first = paint.bold(label) + tail;
    }
    lines
}

/// `label` in a column `label_w` wide, then `value` wrapped beside it.
fn key_value(label: &str, value: &str, label_w: usize, width: usize, paint: &Paint) -> Vec<String> {
    let label_w = if width >= label_w + 12 { label_w } else { 0 };
    if label_w == 0 {
        let mut lines = vec![paint.bold(label)];
        lines.extend(
            text::wrap(value, width.saturating_sub(2))
                .into_iter()
                .map(|l| format!("  {l}")),
        );
        return lines;
    }
    text::wrap(value, width - label_w)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                paint.bold(&text::pad(label, label_w)) + &l
            } else {
                " ".repeat(label_w) + &l
            }
        })
        .collect()
}

/// Joins lines, each cut to `width`, each ending in a newline.
fn finish(lines: Vec<String>, width: usize) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&clip(&line, width));
        out.push('\n');
    }
    out
}

/// Cuts a line to `width` columns, escape sequences taking none.
fn clip(line: &str, width: usize) -> String {
    let mut out = String::with_capacity(line.len());
    let mut used = 0;
    let mut escaped = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            escaped = true;
            out.push(c);
            for n in chars.by_ref() {
                out.push(n);
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        let w = c.width().unwrap_or(0);
        if used + w > width {
            if escaped {
                out.push_str("\x1b[0m");
            }
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

fn pad_left(s: &str, columns: usize) -> String {
    let mut out = " ".repeat(columns.saturating_sub(text::width(s)));
    out.push_str(s);
    out
}

fn sum<'a>(values: impl Iterator<Item = &'a u64>) -> u64 {
    values.fold(0u64, |a, &b| a.saturating_add(b))
}

/// 1234567 → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// At most five columns: `9,999`, `12k`, `1.2M`, `18E`.
pub fn compact(n: u64) -> String {
    if n < 10_000 {
        return count(n);
    }
    let units = ["k", "M", "G", "T", "P", "E"];
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.5 && unit + 1 < units.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 9.95 {
        format!("{value:.1}{}", units[unit])
    } else {
        format!("{value:.0}{}", units[unit])
    }
}

/// `91.2%`, or `–` without data.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or("–".to_string(), |r| format!("{:.1}%", r * 100.0))
}

fn whole_percent(rate: Option<f32>) -> String {
    rate.map_or("–".to_string(), |r| format!("{:.0}%", r * 100.0))
}

/// `4.2 s`, `12 min`, `3 h 05 min`.
pub fn duration(ms: u64) -> String {
    if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{} min", ms / 60_000)
    } else {
        let minutes = ms / 60_000;
        format!("{} h {:02} min", count(minutes / 60), minutes % 60)
    }
}

fn days_count(n: u64) -> String {
    format!("{} {}", count(n), plural(n, "day", "days"))
}

/// `1 day`, `2.5 days`, `12 days`, `3.2 h`.
fn days_f(d: f64) -> String {
    if d < 1.0 {
        format!("{:.1} h", d * 24.0)
    } else if d < 10.0 {
        let s = format!("{d:.1}");
        let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
        format!("{s} {}", if s == "1" { "day" } else { "days" })
    } else {
        format!("{d:.0} days")
    }
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

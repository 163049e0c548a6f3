//! `kioku exam`: record exams, and see the plan toward them.

use std::collections::BTreeMap;
use std::io::Write;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::{Context, Outcome, config, config_path, load_valid, replay};
use crate::cli::ExamCommand;
use crate::config::{Config, ExamConfig};
use crate::error::Error;
use crate::exam::plan::{Forecast, PlanDay};
use crate::schedule::Days;
use crate::text;

/// The share of the material an exam plan aims to have recalled.
pub(crate) const TARGET: f32 = 0.9;

pub(crate) fn run(ctx: &Context, command: &ExamCommand) -> Result<Outcome, Error> {
    match command {
        ExamCommand::Set {
            date,
            decks,
            minutes_per_day,
            name,
            replace,
        } => set(
            ctx,
            date,
            &decks.paths,
            *minutes_per_day,
            name.as_deref(),
            *replace,
        ),
        ExamCommand::List { json } => list(ctx, *json),
        ExamCommand::Drop { exam } => drop_exam(ctx, exam),
        ExamCommand::Status { decks, exam, json } => {
            status(ctx, &decks.paths, exam.as_deref(), *json)
        }
    }
}

fn parse_date(date: &str) -> Result<Date, Error> {
    date.parse().map_err(|_| {
        Error::Usage(format!(
            "`{date}` is not a date; write it as YYYY-MM-DD, e.g. 2026-12-20"
        ))
    })
}

/// Edits the settings under their lock, on the file as it is now: another
/// command may have changed it since this one read it.
fn update(ctx: &Context, change: impl FnOnce(&mut Config)) -> Result<Config, Error> {
    Config::update(&config_path(ctx)?, change)
}

/// How an exam is called in messages: its name and date, or its date.
fn label(e: &ExamConfig) -> String {
    match &e.name {
        Some(name) => format!("`{}` on {}", text::sanitize(name, false), e.date),
        None => format!("the exam on {}", e.date),
    }
}

/// Whether `what` (a name or a date) names this exam.
fn names(e: &ExamConfig, what: &str) -> bool {
    if e.name.as_deref() == Some(what) {
        return true;
    }
    what.parse::<Date>().is_ok_and(|d| d.to_string() == e.date)
}

/// An exam 10 years ahead is a typo or a wish: planning it day by day
/// would take seconds for nothing. Two years covers any course.
pub(crate) const MAX_DAYS_AHEAD: i64 = 2 * 366;

fn set(
    ctx: &Context,
    date: &str,
    paths: &[std::path::PathBuf],
    minutes: u32,
    name: Option<&str>,
    replace: bool,
) -> Result<Outcome, Error> {
    let day = parse_date(date)?;
    let (_, config) = config(ctx)?;
    let days = Days::local(config.day_starts_at);
    let ahead = days.index_of_date(day) - days.index(Timestamp::now());
    if ahead <= 0 {
        return Err(Error::Usage(format!(
            "{day} is not in the future; an exam needs a date from tomorrow on"
        )));
    }
    if ahead > MAX_DAYS_AHEAD {
        return Err(Error::Usage(format!(
            "{day} is {ahead} days away; kioku plans exams up to {MAX_DAYS_AHEAD} days ahead"
        )));
    }
    if minutes == 0 {
        return Err(Error::Usage("--minutes-per-day must be at least 1".into()));
    }
    if let Some(name) = name {
        let bad = name.trim().is_empty()
            || name.trim() != name
            || name.chars().any(char::is_control)
            || name.parse::<Date>().is_ok();
        if bad {
            return Err(Error::Usage(format!(
                "`{}` cannot name an exam: a name is a word or two, not empty, not a date",
                text::sanitize(name, false)
            )));
        }
    }
    let collection = load_valid(ctx, paths)?;
    let decks: Vec<String> = collection.decks.iter().map(|d| d.id.clone()).collect();
    let cards = collection.cards();
    let exam = ExamConfig {
        name: name.map(str::to_string),
        date: day.to_string(),
        decks: decks.clone(),
        minutes_per_day: minutes,
    };
    // The same exam: the same name, or the same date where the two are
    // not told apart by different names.
    let same = |e: &ExamConfig| match (&e.name, &exam.name) {
        (Some(a), Some(b)) => a == b,
        _ => e.date == exam.date,
    };
    let mut replaced: Vec<ExamConfig> = Vec::new();
    update(ctx, |config| {
        replaced = config.exams.iter().filter(|e| same(e)).cloned().collect();
        if !replaced.is_empty() && !replace {
            return;
        }
        config.exams.retain(|e| !same(e));
        config.exams.push(exam.clone());
        config.exams.sort_by(|a, b| a.date.cmp(&b.date));
    })?;
    if !replaced.is_empty() && !replace {
        let what: Vec<String> = replaced
            .iter()
            .map(|e| {
                format!(
                    "{} ({}, {} min/day)",
                    label(e),
                    text::sanitize(&e.decks.join(", "), false),
                    e.minutes_per_day
                )
            })
            .collect();
        return Err(Error::Usage(format!(
            "this would replace {}; add --replace to replace it, or --name to keep both",
            what.join(" and ")
        )));
    }
    let mut out = crate::text::Gate::stdout(&ctx.out);
    let columns = text::stdout_columns();
    for e in &replaced {
        writeln!(out, "Replaced {}.", label(e))?;
    }
    let set = format!(
        "Exam{} on {day} for {} deck{} ({cards} cards), {minutes} minutes a day. `kioku study` now plans toward it; `kioku exam status` shows the plan.",
        name.map(|n| format!(" `{}`", text::sanitize(n, false)))
            .unwrap_or_default(),
        decks.len(),
        if decks.len() == 1 { "" } else { "s" }
    );
    text::say(&mut out, columns, 0, &set, str::to_string)?;
    let overlapping: Vec<String> = config
        .exams
        .iter()
        .filter(|e| !same(e) && e.decks.iter().any(|d| decks.contains(d)))
        .map(label)
        .collect();
    if !overlapping.is_empty() {
        let shared = format!(
            "It shares decks with {}: they share one day's minutes (the larger allowance).",
            overlapping.join(", ")
        );
        text::say(&mut out, columns, 0, &shared, str::to_string)?;
    }
    Ok(Outcome::Success)
}

fn list(ctx: &Context, json: bool) -> Result<Outcome, Error> {
    let (_, config) = config(ctx)?;
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if json {
        crate::text::write_json(&mut out, &config.exams)?;
        return Ok(Outcome::Success);
    }
    if config.exams.is_empty() {
        writeln!(
            out,
            "No exams set. `kioku exam set YYYY-MM-DD [PATH...]` records one."
        )?;
    }
    let days = Days::local(config.day_starts_at);
    let today = days.index(Timestamp::now());
    let columns = text::stdout_columns();
    for e in &config.exams {
        let left = e
            .date
            .parse()
            .map(|d| days.index_of_date(d) - today)
            .unwrap_or(0);
        let when = if left > 0 {
            format!("in {left} days")
        } else {
            "past".to_string()
        };
        let name = text::truncate(&text::sanitize(e.name.as_deref().unwrap_or("-"), false), 16);
        let decks = text::sanitize(&e.decks.join(", "), false);
        let row = format!(
            "{}  {}  {when:<12} {:>3} min/day  {decks}",
            e.date,
            text::pad(&name, 16),
            e.minutes_per_day,
        );
        // A row wider than the terminal puts its minutes and decks on
        // lines of their own, wrapped between words.
        if columns.is_none_or(|c| text::width(&row) <= c) {
            writeln!(out, "{row}")?;
        } else {
            writeln!(out, "{}  {name}  {when}", e.date)?;
            let rest = format!("{} min/day · {decks}", e.minutes_per_day);
            text::say(&mut out, columns, 4, &rest, str::to_string)?;
        }
    }
    Ok(Outcome::Success)
}

fn drop_exam(ctx: &Context, what: &str) -> Result<Outcome, Error> {
    let (_, config) = config(ctx)?;
    if !config.exams.iter().any(|e| names(e, what)) {
        return Err(Error::Usage(format!(
            "there is no exam named or on `{}`; `kioku exam list` shows them",
            text::sanitize(what, false)
        )));
    }
    let mut dropped = Vec::new();
    update(ctx, |config| {
        dropped = config
            .exams
            .iter()
            .filter(|e| names(e, what))
            .map(label)
            .collect();
        config.exams.retain(|e| !names(e, what));
    })?;
    let mut out = crate::text::Gate::stdout(&ctx.out);
    for exam in dropped {
        let said = format!(
            "Dropped {exam}. Your reviews are kept; its decks return to normal scheduling."
        );
        text::say(&mut out, text::stdout_columns(), 0, &said, str::to_string)?;
    }
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct ExamStatus {
    name: Option<String>,
    date: String,
    days_left: i64,
    /// The daily minutes, shared with any exam whose decks overlap.
    minutes_per_day: u32,
    /// Exams ahead sharing those minutes (overlapping decks).
    shared_with: Vec<String>,
    cards: usize,
    /// Predicted share recalled on exam day if you study as planned.
    predicted: f32,
    /// ... and if you stop studying now.
    if_you_stop: f32,
    by_deck: BTreeMap<String, f32>,
    on_track: bool,
    /// Minutes a day that reach the target, when the current plan does not.
    minutes_needed: Option<f32>,
    plan: Vec<PlanDay>,
}

fn status(
    ctx: &Context,
    paths: &[std::path::PathBuf],
    only: Option<&str>,
    json: bool,
) -> Result<Outcome, Error> {
    let collection = load_valid(ctx, paths)?;
    let (_, config) = config(ctx)?;
    if let Some(what) = only
        && !config.exams.iter().any(|e| names(e, what))
    {
        return Err(Error::Usage(format!(
            "there is no exam named or on `{}`; `kioku exam list` shows them",
            text::sanitize(what, false)
        )));
    }
    let chosen: Vec<String> = config
        .exams
        .iter()
        .filter(|e| only.is_none_or(|w| names(e, w)))
        .map(|e| e.name.clone().unwrap_or_else(|| e.date.clone()))
        .collect();
    let days = Days::local(config.day_starts_at);
    let scheduler = replay(ctx, &collection.decks, config, None)?;
    let now = Timestamp::now();
    let today = days.index(now);
    let planner = scheduler.planner();
    // One forecast per group of overlapping exams: they share the minutes.
    let mut forecasts: BTreeMap<usize, (Vec<String>, Forecast, Option<f32>)> = BTreeMap::new();
    let mut reports = Vec::new();
    for exam in scheduler
        .exams()
        .iter()
        .filter(|e| e.day > today && chosen.contains(&e.label))
    {
        if let std::collections::btree_map::Entry::Vacant(slot) = forecasts.entry(exam.group) {
            // Each card toward its nearest exam, as `study` plans it.
            let mut keys = Vec::new();
            let mut cards = Vec::new();
            for deck in collection
                .decks
                .iter()
                .filter(|d| exam.group_decks.contains(&d.id))
            {
                let Some(nearest) = scheduler.exam_for(&deck.id, today) else {
                    continue;
                };
                let horizon = usize::try_from(nearest.day - today).unwrap_or(0);
                for card in &deck.cards {
                    let key = card.key();
                    cards.push((scheduler.card_now(&key, now), horizon));
                    keys.push(key);
                }
            }
            let spent = scheduler.seconds_today(&exam.group_decks, now) / 60.0;
            let minutes = exam.group_minutes as f32;
            let forecast = planner.forecast_each(&cards, minutes, spent);
            let needed = if forecast.mean() >= TARGET {
                None
            } else {
                planner.minutes_needed_each(&cards, TARGET, 240.0)
            };
            slot.insert((keys, forecast, needed));
        }
        let Some((keys, forecast, needed)) = forecasts.get(&exam.group) else {
            continue;
        };
        let days_left = exam.day - today;
        let mut by_deck: BTreeMap<String, (f32, usize)> = BTreeMap::new();
        let (mut sum, mut stop, mut n) = (0.0, 0.0, 0usize);
        for (key, r) in keys.iter().zip(&forecast.recall) {
            let deck = crate::schedule::key::CardKey::parse(key).deck;
            if !exam.decks.contains(deck) {
                continue;
            }
            let e = by_deck.entry(deck.to_string()).or_default();
            e.0 += r;
            e.1 += 1;
            sum += r;
            n += 1;
            stop += planner.recall_at_exam(&scheduler.card_now(key, now), days_left as f32);
        }
        let predicted = if n == 0 { 0.0 } else { sum / n as f32 };
        let if_you_stop = if n == 0 { 0.0 } else { stop / n as f32 };
        let on_track = predicted >= TARGET;
        let date = days
            .start(exam.day)
            .to_zoned(jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC))
            .date();
        let shared_with: Vec<String> = scheduler
            .exams()
            .iter()
            .filter(|e| e.group == exam.group && e.label != exam.label && e.day > today)
            .map(|e| e.label.clone())
            .collect();
        reports.push(ExamStatus {
            name: (exam.label != date.to_string()).then(|| exam.label.clone()),
            date: date.to_string(),
            days_left,
            minutes_per_day: exam.group_minutes,
            shared_with,
            cards: n,
            predicted,
            if_you_stop,
            by_deck: by_deck
                .into_iter()
                .map(|(k, (s, n))| (k, s / n.max(1) as f32))
                .collect(),
            on_track,
            minutes_needed: if on_track { None } else { *needed },
            plan: forecast.days.clone(),
        });
    }
    let mut out = crate::text::Gate::stdout(&ctx.out);
    if json {
        crate::text::write_json(&mut out, &reports)?;
        return Ok(Outcome::Success);
    }
    if reports.is_empty() {
        writeln!(
            out,
            "No exam ahead. `kioku exam set YYYY-MM-DD [PATH...]` records one."
        )?;
    }
    let p = &ctx.out;
    let columns = text::stdout_columns();
    let pct = |x: f32| format!("{:.1}%", 100.0 * x);
    for r in &reports {
        let header = format!(
            "Exam{} on {} · {} days left · {} cards",
            r.name
                .as_deref()
                .map(|n| format!(" {}", text::sanitize(n, false)))
                .unwrap_or_default(),
            r.date,
            r.days_left,
            r.cards
        );
        text::say(&mut out, columns, 0, &header, |t| p.bold(t))?;
        if !r.shared_with.is_empty() {
            let shares = format!(
                "Shares its {} minutes a day with {} (overlapping decks).",
                r.minutes_per_day,
                text::sanitize(&r.shared_with.join(", "), false)
            );
            text::say(&mut out, columns, 2, &shares, str::to_string)?;
        }
        // Colour codes take no columns in the wrapping.
        let predicted = format!(
            "Predicted recall on the day: {} if you study {} minutes a day as planned ({} if you stop now)",
            p.bold(&pct(r.predicted)),
            r.minutes_per_day,
            pct(r.if_you_stop)
        );
        text::say(&mut out, columns, 2, &predicted, str::to_string)?;
        let width = r.by_deck.keys().map(|k| text::width(k)).max().unwrap_or(0);
        for (deck, recall) in &r.by_deck {
            writeln!(
                out,
                "    {}  {:>4}",
                text::pad(&text::sanitize(deck, false), width),
                pct(*recall)
            )?;
        }
        if r.on_track {
            let on_track = format!("On track for {} or better.", pct(TARGET));
            text::say(&mut out, columns, 2, &on_track, |t| p.green_bold(t))?;
        } else {
            match r.minutes_needed {
                Some(m) => {
                    let command = format!(
                        "kioku exam set {}{} --minutes-per-day {m:.0} --replace",
                        r.date,
                        r.name
                            .as_deref()
                            .map(|n| format!(" --name {}", text::sanitize(n, false)))
                            .unwrap_or_default()
                    );
                    let behind = format!(
                        "Not on track for {}: about {m:.0} minutes a day would get there (`{command}`).",
                        pct(TARGET)
                    );
                    text::say(&mut out, columns, 2, &behind, |t| p.yellow_bold(t))?;
                }
                None => {
                    let beyond = format!(
                        "Not on track for {}, and even 4 hours a day would not get there: focus on fewer decks, or move the exam.",
                        pct(TARGET)
                    );
                    text::say(&mut out, columns, 2, &beyond, |t| p.red_bold(t))?;
                }
            }
        }
        writeln!(out, "  Plan:")?;
        for d in r.plan.iter().take(14) {
            let date = days
                .start(today + d.day as i64)
                .to_zoned(jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC))
                .date();
            if d.span > 1 {
                writeln!(
                    out,
                    "    {date}  {:>4} cards  {:>5.1} min  over {} days",
                    d.cards, d.minutes, d.span
                )?;
            } else {
                writeln!(
                    out,
                    "    {date}  {:>4} cards  {:>5.1} min",
                    d.cards, d.minutes
                )?;
            }
        }
        if r.plan.len() > 14 {
            let more = format!(
                "… {} more rows (`--json` lists them all)",
                r.plan.len() - 14
            );
            text::say(&mut out, columns, 4, &more, str::to_string)?;
        }
    }
    Ok(Outcome::Success)
}

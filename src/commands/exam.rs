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
use crate::exam::plan::PlanDay;
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
        } => set(ctx, date, &decks.paths, *minutes_per_day),
        ExamCommand::List { json } => list(ctx, *json),
        ExamCommand::Drop { date } => drop_exam(ctx, date),
        ExamCommand::Status { decks, json } => status(ctx, &decks.paths, *json),
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

fn set(
    ctx: &Context,
    date: &str,
    paths: &[std::path::PathBuf],
    minutes: u32,
) -> Result<Outcome, Error> {
    let day = parse_date(date)?;
    let (_, config) = config(ctx)?;
    let days = Days::local(config.day_starts_at);
    if days.index_of_date(day) <= days.index(Timestamp::now()) {
        return Err(Error::Usage(format!(
            "{day} is not in the future; an exam needs a date from tomorrow on"
        )));
    }
    if minutes == 0 {
        return Err(Error::Usage("--minutes-per-day must be at least 1".into()));
    }
    let collection = load_valid(ctx, paths)?;
    let decks: Vec<String> = collection.decks.iter().map(|d| d.id.clone()).collect();
    let cards = collection.cards();
    let exam = ExamConfig {
        date: day.to_string(),
        decks: decks.clone(),
        minutes_per_day: minutes,
    };
    update(ctx, |config| {
        config.exams.retain(|e| e.date != exam.date);
        config.exams.push(exam);
        config.exams.sort_by(|a, b| a.date.cmp(&b.date));
    })?;
    let mut out = crate::text::Gate::stdout(&ctx.out);
    writeln!(
        out,
        "Exam on {day} for {} deck{} ({cards} cards), {minutes} minutes a day. `kioku study` now plans toward it; `kioku exam status` shows the plan.",
        decks.len(),
        if decks.len() == 1 { "" } else { "s" }
    )?;
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
        writeln!(
            out,
            "{}  {when:<12} {:>3} min/day  {}",
            e.date,
            e.minutes_per_day,
            text::sanitize(&e.decks.join(", "), false)
        )?;
    }
    Ok(Outcome::Success)
}

fn drop_exam(ctx: &Context, date: &str) -> Result<Outcome, Error> {
    let day = parse_date(date)?.to_string();
    let (_, config) = config(ctx)?;
    if !config.exams.iter().any(|e| e.date == day) {
        return Err(Error::Usage(format!(
            "there is no exam on {day}; `kioku exam list` shows them"
        )));
    }
    update(ctx, |config| config.exams.retain(|e| e.date != day))?;
    writeln!(
        crate::text::Gate::stdout(&ctx.out),
        "Dropped the exam on {day}. Your reviews are kept; those decks return to normal scheduling."
    )?;
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct ExamStatus {
    date: String,
    days_left: i64,
    minutes_per_day: u32,
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

fn status(ctx: &Context, paths: &[std::path::PathBuf], json: bool) -> Result<Outcome, Error> {
    let collection = load_valid(ctx, paths)?;
    let (_, config) = config(ctx)?;
    let days = Days::local(config.day_starts_at);
    let scheduler = replay(ctx, &collection.decks, config, false)?;
    let now = Timestamp::now();
    let today = days.index(now);
    let planner = scheduler.planner();
    let mut reports = Vec::new();
    for exam in scheduler.exams().iter().filter(|e| e.day > today) {
        let keys: Vec<(String, String)> = collection
            .decks
            .iter()
            .filter(|d| exam.decks.contains(&d.id))
            .flat_map(|d| d.cards.iter().map(|c| (d.id.clone(), c.key())))
            .collect();
        let cards: Vec<_> = keys
            .iter()
            .map(|(_, k)| scheduler.card_now(k, now))
            .collect();
        let days_left = exam.day - today;
        let horizon = usize::try_from(days_left).unwrap_or(0);
        let spent = scheduler.seconds_today(&exam.decks, now) / 60.0;
        let forecast = planner.forecast(&cards, horizon, exam.minutes_per_day as f32, spent);
        let mut by_deck: BTreeMap<String, (f32, usize)> = BTreeMap::new();
        for ((deck, _), r) in keys.iter().zip(&forecast.recall) {
            let e = by_deck.entry(deck.clone()).or_default();
            e.0 += r;
            e.1 += 1;
        }
        let predicted = forecast.mean();
        let if_you_stop = if cards.is_empty() {
            0.0
        } else {
            cards
                .iter()
                .map(|c| planner.recall_at_exam(c, days_left as f32))
                .sum::<f32>()
                / cards.len() as f32
        };
        let on_track = predicted >= TARGET;
        let date = days
            .start(exam.day)
            .to_zoned(jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC))
            .date();
        reports.push(ExamStatus {
            date: date.to_string(),
            days_left,
            minutes_per_day: exam.minutes_per_day,
            cards: cards.len(),
            predicted,
            if_you_stop,
            by_deck: by_deck
                .into_iter()
                .map(|(k, (s, n))| (k, s / n.max(1) as f32))
                .collect(),
            on_track,
            minutes_needed: if on_track {
                None
            } else {
                planner.minutes_needed(&cards, horizon, TARGET, 240.0)
            },
            plan: forecast.days,
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
    let pct = |x: f32| format!("{:.1}%", 100.0 * x);
    for r in &reports {
        writeln!(
            out,
            "{}",
            p.bold(&format!(
                "Exam on {} · {} days left · {} cards",
                r.date, r.days_left, r.cards
            ))
        )?;
        writeln!(
            out,
            "  Predicted recall on the day: {} if you study {} minutes a day as planned ({} if you stop now)",
            p.bold(&pct(r.predicted)),
            r.minutes_per_day,
            pct(r.if_you_stop)
        )?;
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
            writeln!(
                out,
                "  {}",
                p.green_bold(&format!("On track for {} or better.", pct(TARGET)))
            )?;
        } else {
            match r.minutes_needed {
                Some(m) => writeln!(out, "  {}", p.yellow_bold(&format!("Not on track for {}: about {m:.0} minutes a day would get there (`kioku exam set {} --minutes-per-day {m:.0}`).", pct(TARGET), r.date)))?,
                None => writeln!(out, "  {}", p.red_bold(&format!("Not on track for {}, and even 4 hours a day would not get there: focus on fewer decks, or move the exam.", pct(TARGET))))?,
            }
        }
        writeln!(out, "  Plan:")?;
        for d in r.plan.iter().take(14) {
            let date = days
                .start(today + d.day as i64)
                .to_zoned(jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC))
                .date();
            writeln!(
                out,
                "    {date}  {:>4} cards  {:>5.1} min",
                d.cards, d.minutes
            )?;
        }
        if r.plan.len() > 14 {
            writeln!(
                out,
                "    … {} more days (`--json` lists them all)",
                r.plan.len() - 14
            )?;
        }
    }
    Ok(Outcome::Success)
}

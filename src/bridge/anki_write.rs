//! Writing an `.apkg` that Anki opens: the legacy package format (a zip of
//! `collection.anki2`, a schema 11 SQLite collection, and an empty `media`
//! list), which every Anki since 2.1 imports. kioku's notes map to Anki's
//! stock note types (Basic, Basic (and reversed card), Basic (type in the
//! answer), Cloze); choice, multi, order and true/false cards become Basic
//! notes whose back shows the answer. With history, kioku's reviews become
//! revlog entries and each card carries its interval and due day.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde_json::json;

use super::fnv1a;
use crate::deck::{Card, ClozeSegment, Content, Deck};
use crate::error::Error;
use crate::rating::Rating;

/// One card's history as kioku knows it, for the revlog and the card row.
#[derive(Debug, Clone, Default)]
pub struct CardHistory {
    /// (time, rating, answer ms), in time order.
    pub reviews: Vec<(Timestamp, Rating, u64)>,
    /// The study day (days since 1970) the card is next due, and its interval.
    pub due_day: Option<i64>,
    pub interval_days: u32,
    pub suspended: bool,
}

/// What the package holds, for the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub notes: usize,
    pub cards: usize,
    pub reviews: usize,
}

// Stable ids for kioku's note types, so a second export updates them.
const BASIC: i64 = 1_731_000_000_001;
const REVERSED: i64 = 1_731_000_000_002;
const TYPED: i64 = 1_731_000_000_003;
const CLOZE: i64 = 1_731_000_000_004;

const SCHEMA: &str = "
create table col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null, dconf text not null, tags text not null);
create table notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
create table cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null, factor integer not null, reps integer not null, lapses integer not null, left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
create table revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
create table graves (usn integer not null, oid integer not null, type integer not null);
create index ix_notes_usn on notes (usn);
create index ix_cards_usn on cards (usn);
create index ix_revlog_usn on revlog (usn);
create index ix_cards_nid on cards (nid);
create index ix_cards_sched on cards (did, queue, due);
create index ix_revlog_cid on revlog (cid);
create index ix_notes_csum on notes (csum);
";

fn field(name: &str, ord: usize) -> serde_json::Value {
    json!({"name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial", "size": 20, "media": []})
}

fn template(name: &str, ord: usize, q: &str, a: &str) -> serde_json::Value {
    json!({"name": name, "ord": ord, "qfmt": q, "afmt": a, "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0})
}

fn model(
    id: i64,
    name: &str,
    stock: i32,
    cloze: bool,
    fields: &[&str],
    templates: Vec<serde_json::Value>,
) -> serde_json::Value {
    json!({
        "id": id, "name": name, "type": i32::from(cloze), "mod": 0, "usn": -1, "sortf": 0,
        "did": null, "tmpls": templates,
        "flds": fields.iter().enumerate().map(|(i, f)| field(f, i)).collect::<Vec<_>>(),
        "css": ".card { font-family: arial; font-size: 20px; text-align: center; color: black; background-color: white; }\n.cloze { font-weight: bold; color: blue; }",
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}", "latexsvg": false,
        "req": [[0, "any", [0]]], "tags": [], "vers": [], "originalStockKind": stock
    })
}

fn models() -> serde_json::Value {
    let answer = "{{FrontSide}}\n\n<hr id=answer>\n\n";
    json!({
        BASIC.to_string(): model(BASIC, "Basic", 1, false, &["Front", "Back"],
            vec![template("Card 1", 0, "{{Front}}", &format!("{answer}{{{{Back}}}}"))]),
        REVERSED.to_string(): model(REVERSED, "Basic (and reversed card)", 2, false, &["Front", "Back"],
            vec![template("Card 1", 0, "{{Front}}", &format!("{answer}{{{{Back}}}}")),
                 template("Card 2", 1, "{{Back}}", &format!("{answer}{{{{Front}}}}"))]),
        TYPED.to_string(): model(TYPED, "Basic (type in the answer)", 4, false, &["Front", "Back"],
            vec![template("Card 1", 0, "{{Front}}\n\n{{type:Back}}", "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}")]),
        CLOZE.to_string(): model(CLOZE, "Cloze", 5, true, &["Text", "Back Extra"],
            vec![template("Cloze", 0, "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")]),
    })
}

/// Plain text as an Anki field: escaped, line breaks as `<br>`.
pub(crate) fn html(text: &str) -> String {
    html_escape::encode_text(text).replace('\n', "<br>")
}

/// The note type and fields for one kioku note (its cards, siblings).
pub(crate) fn note_fields(cards: &[&Card]) -> (i64, Vec<String>) {
    let first = cards[0];
    let reversed = cards.iter().any(|c| c.id.ends_with(":reverse"));
    let with_explain = |back: String| match &first.explain() {
        Some(e) => format!("{back}<br><br>{}", html(e)),
        None => back,
    };
    let list = |items: &[crate::deck::Text]| {
        items
            .iter()
            .map(|i| html(i))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    match &first.content() {
        Content::Basic {
            question,
            answer,
            typed,
            ..
        } => {
            let kind = match (reversed, typed) {
                (true, _) => REVERSED,
                (false, true) => TYPED,
                (false, false) => BASIC,
            };
            (kind, vec![html(question), with_explain(html(answer))])
        }
        Content::Cloze { segments, .. } => {
            let mut text = String::new();
            for s in segments {
                match s {
                    ClozeSegment::Text(t) => text.push_str(&html(t)),
                    ClozeSegment::Deletion {
                        group,
                        answer,
                        hint,
                        ..
                    } => {
                        text.push_str(&format!("{{{{c{group}::{}", html(answer)));
                        if let Some(h) = hint {
                            // An answer ending in `:` would run into the
                            // `::` before the hint (`Note:::hint`).
                            let gap = if answer.ends_with(':') { " " } else { "" };
                            text.push_str(&format!("{gap}::{}", html(h)));
                        }
                        // And one ending in `}` into the closing `}}`
                        // (`{{c1::a}}}` reads as `a`, then `}`).
                        let last = hint.as_ref().unwrap_or(answer);
                        let gap = if last.ends_with('}') { " " } else { "" };
                        text.push_str(&format!("{gap}}}}}"));
                    }
                }
            }
            let extra = first.explain().map(html).unwrap_or_default();
            (CLOZE, vec![text, extra])
        }
        Content::Choice {
            question,
            answer,
            distractors,
        } => {
            let mut options: Vec<crate::deck::Text> = distractors.clone();
            options.push(answer.clone());
            options.sort();
            (
                BASIC,
                vec![
                    format!("{}<br><br>{}", html(question), list(&options)),
                    with_explain(html(answer)),
                ],
            )
        }
        Content::Multi {
            question, answers, ..
        } => (BASIC, vec![html(question), with_explain(list(answers))]),
        Content::Order { question, items } => {
            let mut shuffled = items.clone();
            shuffled.sort();
            let numbered: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, t)| format!("{}. {}", i + 1, html(t)))
                .collect();
            (
                BASIC,
                vec![
                    format!("{}<br><br>{}", html(question), list(&shuffled)),
                    with_explain(numbered.join("<br>")),
                ],
            )
        }
        Content::TrueFalse { statement, answer } => (
            BASIC,
            vec![
                format!("{}<br><br>True or false?", html(statement)),
                with_explain(if *answer { "True" } else { "False" }.to_string()),
            ],
        ),
    }
}

/// The template ordinal of a card within its note.
fn ordinal(card: &Card) -> i64 {
    if card.id.ends_with(":reverse") {
        return 1;
    }
    match &card.content() {
        Content::Cloze { active, .. } => i64::from(*active) - 1,
        _ => 0,
    }
}

/// Writes `decks` as an Anki package at `out` (through a temporary file, so
/// a failure leaves nothing). `history` is keyed by `deck/card`; `day_start`
/// gives the start of a study day from its index, as kioku counts days.
pub fn write_apkg(
    out: &Path,
    decks: &[Deck],
    history: Option<&HashMap<String, CardHistory>>,
    now: Timestamp,
    today: i64,
    day_start: impl Fn(i64) -> Timestamp,
) -> Result<Counts, Error> {
    let fail = |reason: String| Error::Export {
        path: out.to_path_buf(),
        reason,
    };
    let sql = |e: rusqlite::Error| fail(format!("cannot build the collection: {e}"));
    let dir = tempfile::tempdir().map_err(Error::Output)?;
    let db_path = dir.path().join("collection.anki2");
    let db = Connection::open(&db_path).map_err(sql)?;
    db.execute_batch(SCHEMA).map_err(sql)?;
    db.execute_batch("begin").map_err(sql)?;
    // The collection's first day: early enough that no due day is negative.
    let first_day = history
        .into_iter()
        .flat_map(|h| h.values())
        .filter_map(|h| h.reviews.first())
        .map(|r| r.0)
        .min()
        .map_or(today, |t| {
            let mut d = today;
            while day_start(d) > t {
                d -= 1;
            }
            d
        })
        .min(today);
    let crt = day_start(first_day).as_second();
    let secs = now.as_second();
    let mut deck_json = serde_json::Map::new();
    let mut counts = Counts::default();
    let mut next_id = now.as_millisecond();
    let mut fresh_id = || {
        next_id += 1;
        next_id
    };
    let mut revlog_ids: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let mut names: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut insert_note = db
        .prepare("insert into notes values (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")
        .map_err(sql)?;
    let mut insert_card = db
        .prepare("insert into cards values (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, 0, 0, 0, '')")
        .map_err(sql)?;
    let mut insert_rev = db
        .prepare("insert into revlog values (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)")
        .map_err(sql)?;
    for deck in decks {
        let did = 1_731_100_000_000 + i64::try_from(fnv1a(&deck.id) % 1_000_000_000).unwrap_or(0);
        let mut name = deck.title.replace('\u{1f}', " ");
        if !names.insert(name.to_lowercase()) {
            name = format!("{name} ({})", deck.id);
            names.insert(name.to_lowercase());
        }
        deck_json.insert(
            did.to_string(),
            json!({"id": did, "name": name, "mod": secs, "usn": -1, "lrnToday": [0, 0],
                   "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
                   "collapsed": false, "browserCollapsed": false, "desc": deck.description,
                   "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0}),
        );
        let mut groups: Vec<Vec<&Card>> = Vec::new();
        for card in &deck.cards {
            match groups.last_mut() {
                Some(g) if g[0].note_id == card.note_id => g.push(card),
                _ => groups.push(vec![card]),
            }
        }
        for cards in groups {
            let (mid, fields) = note_fields(&cards);
            let nid = fresh_id();
            let guid = format!(
                "k{:015x}",
                fnv1a(&format!("{}/{}", deck.id, cards[0].note_id)) >> 4
            );
            let mut tags: Vec<String> = cards[0]
                .tags()
                .iter()
                .map(|t| t.replace(char::is_whitespace, "_"))
                .collect();
            tags.dedup();
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", tags.join(" "))
            };
            let sort_field = super::html::to_text(&fields[0], &mut Default::default());
            insert_note
                .execute(params![
                    nid,
                    guid,
                    mid,
                    secs,
                    tags,
                    fields.join("\u{1f}"),
                    sort_field
                ])
                .map_err(sql)?;
            counts.notes += 1;
            for card in cards {
                let cid = fresh_id();
                let key = card.key();
                let h = history.and_then(|h| h.get(&key));
                let reviews = h.map_or(&[][..], |h| &h.reviews[..]);
                let (kind, queue, due, ivl) = match h {
                    Some(h) if !h.reviews.is_empty() => {
                        let due = h.due_day.unwrap_or(today) - first_day;
                        (2, 2, due, i64::from(h.interval_days))
                    }
                    _ => (0, 0, i64::try_from(counts.cards).unwrap_or(0) + 1, 0),
                };
                let queue = if h.is_some_and(|h| h.suspended) {
                    -1
                } else {
                    queue
                };
                let lapses = reviews
                    .windows(2)
                    .filter(|w| w[0].1 != Rating::Again && w[1].1 == Rating::Again)
                    .count();
                insert_card
                    .execute(params![
                        cid,
                        nid,
                        did,
                        ordinal(card),
                        secs,
                        kind,
                        queue,
                        due,
                        ivl,
                        if kind == 2 { 2500 } else { 0 },
                        reviews.len() as i64,
                        lapses as i64
                    ])
                    .map_err(sql)?;
                counts.cards += 1;
                // Revlog: learning until first passed, relearning after a
                // lapse, review otherwise; intervals as days to the next answer.
                let mut learned = false;
                let mut last_ivl = 0i64;
                for (i, (time, rating, ms)) in reviews.iter().enumerate() {
                    let previous_again = i > 0 && reviews[i - 1].1 == Rating::Again;
                    let kind = match (learned, previous_again) {
                        (false, _) => 0,
                        (true, true) => 2,
                        (true, false) => 1,
                    };
                    let ivl = match reviews.get(i + 1) {
                        _ if *rating == Rating::Again => 0,
                        Some(next) => ((next.0.as_second() - time.as_second()) / 86_400).max(1),
                        None => i64::from(h.map_or(1, |h| h.interval_days.max(1))),
                    };
                    let mut id = time.as_millisecond();
                    while !revlog_ids.insert(id) {
                        id += 1;
                    }
                    insert_rev
                        .execute(params![
                            id,
                            cid,
                            i64::from(rating.number()),
                            ivl,
                            last_ivl,
                            2500,
                            i64::try_from(*ms).unwrap_or(60_000).min(60_000),
                            kind
                        ])
                        .map_err(sql)?;
                    counts.reviews += 1;
                    if *rating != Rating::Again {
                        learned = true;
                        last_ivl = ivl;
                    }
                }
            }
        }
    }
    drop((insert_note, insert_card, insert_rev));
    deck_json.insert(
        "1".into(),
        json!({"id": 1, "name": "Default", "mod": secs, "usn": -1, "lrnToday": [0, 0],
               "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": false,
               "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0}),
    );
    let dconf = json!({"1": {"id": 1, "mod": 0, "name": "Default", "usn": 0, "maxTaken": 60,
        "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
        "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1, "perDay": 20},
        "rev": {"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0}}});
    let conf = json!({"schedVer": 2, "nextPos": counts.cards + 1, "curModel": BASIC, "activeDecks": [1], "curDeck": 1});
    db.execute(
        "insert into col values (1, ?1, ?2, ?3, 11, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
        params![
            crt,
            now.as_millisecond(),
            now.as_millisecond(),
            conf.to_string(),
            models().to_string(),
            serde_json::Value::Object(deck_json).to_string(),
            dconf.to_string()
        ],
    )
    .map_err(sql)?;
    db.execute_batch("commit").map_err(sql)?;
    db.close().map_err(|(_, e)| sql(e))?;
    package(out, &db_path).map_err(|e| fail(e.to_string()))?;
    Ok(counts)
}

/// Zips the collection and an empty media list into `out`, atomically.
fn package(out: &Path, db_path: &Path) -> std::io::Result<()> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut zip = zip::ZipWriter::new(tmp.reopen()?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki2", options)
        .map_err(std::io::Error::other)?;
    std::io::copy(&mut std::fs::File::open(db_path)?, &mut zip)?;
    zip.start_file("media", options)
        .map_err(std::io::Error::other)?;
    zip.write_all(b"{}")?;
    zip.finish().map_err(std::io::Error::other)?;
    tmp.persist(out).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: `{{c1::Note: ::a hint}}` was exported as
    /// `{{c1::Note:::a hint}}`, which reads as the answer `Note` and the
    /// hint `:a hint`; and `{{c1::a} }}` as `{{c1::a}}}`, the answer `a`
    /// followed by `}`.
    #[test]
    fn a_cloze_answer_ending_in_a_colon_keeps_its_hint_apart() {
        for text in [
            "Write {{c1::Note: ::a hint}} first",
            "Sets like {{c1::{a, b} }} and {{c2::x::{y} }}",
        ] {
            round_trip(text);
        }
    }

    fn round_trip(text: &str) {
        let segments = crate::deck::cloze::parse_cloze(text).expect("cloze");
        let card = Card::new(
            "d".into(),
            "c:c1".into(),
            "c".into(),
            1,
            crate::deck::Details {
                content: Content::Cloze {
                    segments: segments.clone(),
                    active: 1,
                },
                explain: None,
                source: None,
                tags: Vec::new(),
            },
        );
        let (_, fields) = note_fields(&[&card]);
        let read = crate::bridge::html::to_text(&fields[0], &mut Default::default());
        assert_eq!(
            crate::deck::cloze::parse_cloze(&read).ok(),
            Some(segments),
            "{read}"
        );
    }
}

//! Reading Anki packages: `.apkg` (decks) and `.colpkg` (a whole
//! collection). A package is a zip holding the collection as SQLite: the
//! current format's `collection.anki21b` (zstd-compressed, schema 18, note
//! types and decks in their own tables with protobuf settings), else the
//! legacy `collection.anki21` or `collection.anki2` (schema 11, note types
//! and decks as JSON in the `col` row). Facts from Anki's rslib
//! (`storage/schema*.sql`, `import_export/package`); the containers are read
//! with zip, zstd and rusqlite.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags};

use super::history::{RevlogEntry, review_events, state_event_id};
use super::html::to_text;
use super::{Body, DeckOut, Import, Note, deck_id, deck_path, note_id};
use crate::error::Error;
use crate::progress::{Event, EventKind};

/// An Anki note type, reduced to what decides how its notes become cards.
#[derive(Debug, Clone)]
struct NoteType {
    name: String,
    cloze: bool,
    fields: usize,
    /// Question formats of the card templates, by ordinal.
    questions: Vec<String>,
}

/// How a note type's notes become kioku cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Basic,
    Reversed,
    Typed,
    Cloze,
    /// Anything else: a basic card from the first two fields, with a warning.
    Other,
}

impl NoteType {
    fn shape(&self) -> Shape {
        let typed = self.questions.iter().any(|q| q.contains("{{type:"));
        match (self.cloze, self.fields, self.questions.len()) {
            (true, _, _) => Shape::Cloze,
            (false, 2, 1) if typed => Shape::Typed,
            (false, 2, 1) => Shape::Basic,
            (false, 2, 2) if !typed => Shape::Reversed,
            _ => Shape::Other,
        }
    }
}

/// The settings blob of a note type in schema 18 (Anki's `NotetypeConfig`
/// message; only the kind is needed: 1 is cloze).
#[derive(Clone, PartialEq, prost::Message)]
struct NotetypeConfig {
    #[prost(int32, tag = "1")]
    kind: i32,
}

/// The settings blob of a card template in schema 18 (`CardTemplateConfig`).
#[derive(Clone, PartialEq, prost::Message)]
struct TemplateConfig {
    #[prost(string, tag = "1")]
    q_format: String,
}

struct NoteRow {
    guid: String,
    mid: i64,
    tags: String,
    fields: String,
}

struct CardRow {
    id: i64,
    nid: i64,
    did: i64,
    ord: i64,
    queue: i64,
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::Import {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Reads an `.apkg` or `.colpkg` into decks and progress events. Nothing is
/// written; `now` and `tomorrow` time the suspensions and burials carried over.
pub(crate) fn read(path: &Path, now: Timestamp, tomorrow: Timestamp) -> Result<Import, Error> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        bad(
            path,
            format!("it is not a valid Anki package (a zip archive): {e}"),
        )
    })?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    let pick = [
        "collection.anki21b",
        "collection.anki21",
        "collection.anki2",
    ]
    .into_iter()
    .find(|n| names.iter().any(|x| x == n))
    .ok_or_else(|| {
        bad(
            path,
            "the archive holds no Anki collection (collection.anki21b, .anki21 or .anki2)",
        )
    })?;
    let mut db_file = tempfile::NamedTempFile::new().map_err(Error::Output)?;
    {
        let mut entry = zip
            .by_name(pick)
            .map_err(|e| bad(path, format!("cannot read {pick} in the archive: {e}")))?;
        let copied = if pick.ends_with('b') {
            zstd::stream::copy_decode(&mut entry, db_file.as_file_mut())
        } else {
            std::io::copy(&mut entry, db_file.as_file_mut()).map(|_| ())
        };
        copied.map_err(|e| bad(path, format!("{pick} is damaged: {e}")))?;
    }
    let db = Connection::open_with_flags(
        db_file.path(),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(path, format!("{pick} cannot be opened as SQLite: {e}")))?;
    // Anki's schema 18 declares names `COLLATE unicase`; SQLite needs the
    // collation to exist before it will plan a query over those tables.
    db.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
    .map_err(|e| bad(path, format!("{pick} cannot be read: {e}")))?;
    let not_anki = |e: rusqlite::Error| {
        bad(
            path,
            format!(
                "{pick} is not an Anki collection (it is not SQLite, or has no `col` table): {e}"
            ),
        )
    };
    let version: i64 = db
        .query_row("select ver from col", [], |r| r.get(0))
        .map_err(not_anki)?;
    let (types, decks) = match version {
        11 => legacy_types_and_decks(&db).map_err(not_anki)?,
        15..=18 => current_types_and_decks(&db).map_err(not_anki)?,
        v => {
            return Err(bad(
                path,
                format!(
                    "its collection has schema version {v}, which kioku does not know (it reads 11 and 15 to 18)"
                ),
            ));
        }
    };
    let notes = read_notes(&db).map_err(not_anki)?;
    let cards = read_cards(&db).map_err(not_anki)?;
    let revlog = read_revlog(&db).map_err(not_anki)?;
    Ok(convert(
        path, &types, &decks, &notes, &cards, &revlog, now, tomorrow,
    ))
}

fn legacy_types_and_decks(
    db: &Connection,
) -> rusqlite::Result<(HashMap<i64, NoteType>, HashMap<i64, String>)> {
    let (models, decks): (String, String) =
        db.query_row("select models, decks from col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap_or_default();
    let mut types = HashMap::new();
    for (id, m) in json(&models).as_object().into_iter().flatten() {
        let Ok(id) = id.parse::<i64>() else { continue };
        let mut tmpls: Vec<(i64, String)> = m["tmpls"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                (
                    t["ord"].as_i64().unwrap_or(0),
                    t["qfmt"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        tmpls.sort_by_key(|t| t.0);
        types.insert(
            id,
            NoteType {
                name: m["name"].as_str().unwrap_or("?").to_string(),
                cloze: m["type"].as_i64() == Some(1),
                fields: m["flds"].as_array().map_or(0, Vec::len),
                questions: tmpls.into_iter().map(|t| t.1).collect(),
            },
        );
    }
    let deck_names = json(&decks)
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(id, d)| Some((id.parse().ok()?, d["name"].as_str()?.to_string())))
        .collect();
    Ok((types, deck_names))
}

fn current_types_and_decks(
    db: &Connection,
) -> rusqlite::Result<(HashMap<i64, NoteType>, HashMap<i64, String>)> {
    use prost::Message;
    let mut types = HashMap::new();
    let mut stmt = db.prepare("select id, name, config from notetypes")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Vec<u8>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, name, config) = row?;
        let kind = NotetypeConfig::decode(config.as_slice()).map_or(0, |c| c.kind);
        types.insert(
            id,
            NoteType {
                name,
                cloze: kind == 1,
                fields: 0,
                questions: Vec::new(),
            },
        );
    }
    let mut stmt = db.prepare("select ntid, count() from fields group by ntid")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (id, n) = row?;
        if let Some(t) = types.get_mut(&id) {
            t.fields = usize::try_from(n).unwrap_or(0);
        }
    }
    let mut stmt = db.prepare("select ntid, config from templates order by ntid, ord")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    for row in rows {
        let (id, config) = row?;
        if let Some(t) = types.get_mut(&id) {
            let q = TemplateConfig::decode(config.as_slice()).map_or(String::new(), |c| c.q_format);
            t.questions.push(q);
        }
    }
    let mut stmt = db.prepare("select id, name from decks")?;
    let decks = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?.replace('\u{1f}', "::"),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((types, decks))
}

fn read_notes(db: &Connection) -> rusqlite::Result<Vec<(i64, NoteRow)>> {
    let mut stmt = db.prepare("select id, guid, mid, tags, flds from notes order by id")?;
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            NoteRow {
                guid: r.get(1)?,
                mid: r.get(2)?,
                tags: r.get(3)?,
                fields: r.get(4)?,
            },
        ))
    })?
    .collect()
}

fn read_cards(db: &Connection) -> rusqlite::Result<Vec<CardRow>> {
    // A card in a filtered deck belongs to its home deck (odid).
    let mut stmt = db.prepare(
        "select id, nid, case when odid != 0 then odid else did end, ord, queue from cards order by nid, ord",
    )?;
    stmt.query_map([], |r| {
        Ok(CardRow {
            id: r.get(0)?,
            nid: r.get(1)?,
            did: r.get(2)?,
            ord: r.get(3)?,
            queue: r.get(4)?,
        })
    })?
    .collect()
}

fn read_revlog(db: &Connection) -> rusqlite::Result<HashMap<i64, Vec<RevlogEntry>>> {
    let mut stmt =
        db.prepare("select id, cid, ease, ivl, lastIvl, factor, time, type from revlog")?;
    let mut by_card: HashMap<i64, Vec<RevlogEntry>> = HashMap::new();
    let rows = stmt.query_map([], |r| {
        Ok(RevlogEntry {
            id: r.get(0)?,
            cid: r.get(1)?,
            ease: r.get(2)?,
            ivl: r.get(3)?,
            last_ivl: r.get(4)?,
            factor: r.get(5)?,
            time: r.get(6)?,
            kind: r.get(7)?,
        })
    })?;
    for row in rows {
        let e = row?;
        by_card.entry(e.cid).or_default().push(e);
    }
    Ok(by_card)
}

/// Notes and cards to kioku decks; revlog to review events.
#[allow(clippy::too_many_arguments)]
fn convert(
    path: &Path,
    types: &HashMap<i64, NoteType>,
    deck_names: &HashMap<i64, String>,
    notes: &[(i64, NoteRow)],
    cards: &[CardRow],
    revlog: &HashMap<i64, Vec<RevlogEntry>>,
    now: Timestamp,
    tomorrow: Timestamp,
) -> Import {
    let mut import = Import {
        source: path.to_path_buf(),
        ..Import::default()
    };
    let mut cards_of: HashMap<i64, Vec<&CardRow>> = HashMap::new();
    for c in cards {
        cards_of.entry(c.nid).or_default().push(c);
    }
    // Deck name -> index in import.decks.
    let mut deck_index: HashMap<String, usize> = HashMap::new();
    let mut used_ids: Vec<BTreeSet<String>> = Vec::new();
    let mut other_types: BTreeSet<String> = BTreeSet::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut other_cards_dropped = 0usize;
    for (nid, note) in notes {
        let Some(note_cards) = cards_of.get(nid) else {
            continue;
        };
        let Some(ntype) = types.get(&note.mid) else {
            skipped.push(format!("note {nid} (its note type is missing)"));
            continue;
        };
        let deck_name = deck_names
            .get(&note_cards[0].did)
            .cloned()
            .unwrap_or_else(|| "Default".to_string());
        let fields: Vec<&str> = note.fields.split('\u{1f}').collect();
        let field = |i: usize, media: &mut BTreeSet<String>| {
            fields.get(i).map_or(String::new(), |f| to_text(f, media))
        };
        let shape = ntype.shape();
        let mut media = BTreeSet::new();
        let body = match shape {
            Shape::Cloze => Body::Cloze {
                text: field(0, &mut media),
            },
            _ => Body::Basic {
                q: field(0, &mut media),
                a: field(1, &mut media),
                accept: Vec::new(),
                typed: shape == Shape::Typed,
                reverse: shape == Shape::Reversed,
            },
        };
        let explain = match shape {
            Shape::Cloze => Some(field(1, &mut media)).filter(|e| !e.is_empty()),
            _ => None,
        };
        let groups = match &body {
            Body::Basic { q, a, .. } if q.is_empty() || a.is_empty() => {
                skipped.push(format!(
                    "note {nid} in {deck_name} (its {} is empty)",
                    if q.is_empty() { "front" } else { "back" }
                ));
                continue;
            }
            Body::Basic { .. } => BTreeSet::new(),
            Body::Cloze { text } => match cloze_groups(text) {
                Some(g) => g,
                None => {
                    skipped.push(format!(
                        "note {nid} in {deck_name} (its cloze text is not one kioku reads)"
                    ));
                    continue;
                }
            },
        };
        if shape == Shape::Other {
            other_types.insert(ntype.name.clone());
        }
        import.media.extend(media);
        let index = *deck_index.entry(deck_name.clone()).or_insert_with(|| {
            import.decks.push(DeckOut {
                id: deck_id(&deck_name),
                title: deck_name.clone(),
                path: deck_path(&deck_name),
                source: Some(format!("Anki deck `{deck_name}` ({})", file_name(path))),
                notes: Vec::new(),
            });
            used_ids.push(BTreeSet::new());
            import.decks.len() - 1
        });
        let mut id = note_id(&note.guid);
        let mut n = 2;
        while used_ids[index].contains(&id) {
            id = format!("{}-{n}", note_id(&note.guid));
            n += 1;
        }
        used_ids[index].insert(id.clone());
        let deck_key = import.decks[index].id.clone();
        for card in note_cards {
            let suffix = match (shape, card.ord) {
                (Shape::Cloze, ord) if groups.contains(&(ord + 1)) => format!(":c{}", ord + 1),
                (Shape::Reversed, 1) => ":reverse".to_string(),
                (_, 0) if shape != Shape::Cloze => String::new(),
                _ => {
                    other_cards_dropped += 1;
                    continue;
                }
            };
            let key = format!("{deck_key}/{id}{suffix}");
            if let Some(entries) = revlog.get(&card.id) {
                import.events.extend(review_events(&key, entries));
            }
            match card.queue {
                -1 => import.events.push(Event {
                    id: state_event_id("suspend", &key),
                    time: now,
                    kind: EventKind::Suspend { key: key.into() },
                }),
                -2 | -3 => import.events.push(Event {
                    id: state_event_id(&format!("bury {}", tomorrow.as_second()), &key),
                    time: now,
                    kind: EventKind::Bury {
                        key: key.into(),
                        until: tomorrow,
                    },
                }),
                _ => {}
            }
        }
        let tags = note.tags.split_whitespace().map(str::to_string).collect();
        import.decks[index].notes.push(Note {
            id,
            body,
            tags,
            explain,
            source: None,
        });
    }
    for name in other_types {
        import.warnings.push(format!(
            "note type `{name}` is not one kioku knows: its notes became basic cards from their first two fields"
        ));
    }
    if other_cards_dropped > 0 {
        import.warnings.push(format!(
            "{other_cards_dropped} card{} of other templates (and their reviews) had no kioku card to go to",
            if other_cards_dropped == 1 { "" } else { "s" }
        ));
    }
    if !skipped.is_empty() {
        let shown: Vec<&str> = skipped.iter().take(5).map(String::as_str).collect();
        import.warnings.push(format!(
            "{} note{} skipped: {}{}",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            shown.join("; "),
            if skipped.len() > 5 { "; ..." } else { "" }
        ));
    }
    import.events.sort_by_key(|e| e.time);
    import
}

/// The cloze groups of a text kioku can read, or None.
fn cloze_groups(text: &str) -> Option<BTreeSet<i64>> {
    let segments = crate::deck::cloze::parse_cloze(text).ok()?;
    let groups: BTreeSet<i64> = segments
        .iter()
        .filter_map(|s| match s {
            crate::deck::ClozeSegment::Deletion { group, .. } => Some(i64::from(*group)),
            crate::deck::ClozeSegment::Text(_) => None,
        })
        .collect();
    (!groups.is_empty()).then_some(groups)
}

/// Whether a file looks like an Anki package, by name.
pub(crate) fn is_package(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("apkg") || e.eq_ignore_ascii_case("colpkg"))
}

/// Reads the first bytes, to tell a zip from text when the name says nothing.
pub(crate) fn looks_like_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

/// The file's name, for citations and messages.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

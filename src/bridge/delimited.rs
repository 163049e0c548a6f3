//! CSV and TSV: Quizlet's export (term, definition; tab or comma), Anki's
//! "Notes in Plain Text" (with its `#separator:tab`-style header lines) and
//! a spreadsheet with a header row (`q,a,tags,explain,...`). The delimiter
//! and the header row are detected unless given. Any bad row is an error
//! naming its line, and then nothing is imported.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::html::to_text;
use super::{Body, DeckOut, Import, Note, deck_id, deck_path, note_id};
use crate::error::Error;

/// What the command line may say about a file.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    pub delimiter: Option<u8>,
    /// Some(true): the first row names the columns; Some(false): it is a card.
    pub header: Option<bool>,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Q,
    A,
    Text,
    Tags,
    Explain,
    Source,
    Accept,
    Id,
    Guid,
    Deck,
    Typed,
    Reverse,
    NoteType,
    Ignored,
}

fn column_named(name: &str) -> Option<Column> {
    Some(match name.trim().to_lowercase().as_str() {
        "q" | "question" | "front" | "term" | "prompt" => Column::Q,
        "a" | "answer" | "back" | "definition" => Column::A,
        "text" | "cloze" => Column::Text,
        "tags" | "tag" => Column::Tags,
        "explain" | "explanation" | "extra" | "notes" | "note" => Column::Explain,
        "source" => Column::Source,
        "accept" => Column::Accept,
        "id" => Column::Id,
        "deck" => Column::Deck,
        "typed" => Column::Typed,
        "reverse" => Column::Reverse,
        _ => return None,
    })
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::Import {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// The delimiter named by a flag or an Anki header: `tab`, `comma`,
/// `semicolon`, `pipe`, `space`, `colon`, or one character.
pub(crate) fn parse_delimiter(name: &str) -> Option<u8> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "tab" | "\\t" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" => b'|',
        "space" => b' ',
        "colon" => b':',
        one if one.len() == 1 => one.as_bytes()[0],
        _ => return None,
    })
}

pub(crate) fn read(path: &Path, options: Options) -> Result<Import, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        bad(
            path,
            format!("line {line} is not UTF-8 text (save the file as UTF-8)"),
        )
    })?;
    parse(path, text.trim_start_matches('\u{feff}'), options)
}

/// Anki's header lines (`#separator:tab`, `#html:true`, `#tags column:3`).
#[derive(Debug, Default)]
struct AnkiHeaders {
    separator: Option<u8>,
    html: bool,
    columns: HashMap<usize, Column>,
    lines: usize,
}

fn anki_headers(text: &str) -> AnkiHeaders {
    let mut h = AnkiHeaders::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix('#') else {
            break;
        };
        h.lines += 1;
        let Some((key, value)) = rest.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let column = value.parse::<usize>().ok().filter(|n| *n > 0);
        match (key.trim(), column) {
            ("separator", _) => h.separator = parse_delimiter(value),
            ("html", _) => h.html = value == "true",
            ("tags column", Some(n)) => {
                h.columns.insert(n - 1, Column::Tags);
            }
            ("deck column", Some(n)) => {
                h.columns.insert(n - 1, Column::Deck);
            }
            ("guid column", Some(n)) => {
                h.columns.insert(n - 1, Column::Guid);
            }
            ("notetype column", Some(n)) => {
                h.columns.insert(n - 1, Column::NoteType);
            }
            _ => {}
        }
    }
    h
}

fn detect_delimiter(line: &str) -> Option<u8> {
    if line.contains('\t') {
        return Some(b'\t');
    }
    let count = |c: char| line.matches(c).count();
    match (count(','), count(';')) {
        (0, 0) => None,
        (c, s) if c >= s => Some(b','),
        _ => Some(b';'),
    }
}

pub(crate) fn parse(path: &Path, text: &str, options: Options) -> Result<Import, Error> {
    let headers = anki_headers(text);
    let body: String = text
        .split_inclusive('\n')
        .skip(headers.lines)
        .collect::<String>();
    let first_line = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first_line.is_empty() {
        return Err(bad(path, "it holds no rows"));
    }
    let delimiter = options
        .delimiter
        .or(headers.separator)
        .or_else(|| detect_delimiter(first_line))
        .ok_or_else(|| {
            bad(
                path,
                format!(
                    "line {}: no tab, comma or semicolon separates the columns; name the delimiter with --delimiter",
                    headers.lines + 1
                ),
            )
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize) + headers.lines;
            bad(path, format!("line {line}: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize) + headers.lines;
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, cells));
    }
    let Some((_, first)) = rows.first() else {
        return Err(bad(path, "it holds no rows"));
    };
    let named: Vec<Option<Column>> = first.iter().map(|c| column_named(c)).collect();
    // A header names the question and the answer (or a cloze text column).
    let looks_like_header = named.contains(&Some(Column::Text))
        || (named.contains(&Some(Column::Q)) && named.contains(&Some(Column::A)));
    let has_header = options
        .header
        .unwrap_or(looks_like_header && headers.lines == 0);
    let mut warnings = Vec::new();
    let width = first.len();
    let columns: Vec<Column> = if has_header {
        let mut cols = Vec::new();
        for (i, cell) in first.iter().enumerate() {
            cols.push(column_named(cell).unwrap_or_else(|| {
                warnings.push(format!(
                    "column {} `{}` is not one kioku knows; it was ignored",
                    i + 1,
                    crate::text::sanitize(cell, false)
                ));
                Column::Ignored
            }));
        }
        if !cols.iter().any(|c| matches!(c, Column::Q | Column::Text)) {
            return Err(bad(
                path,
                "the header row names no question column (`q`, or `text` for cloze)",
            ));
        }
        cols
    } else {
        // Quizlet or Anki: the fields in order, with Anki's own columns marked.
        let mut field = 0;
        (0..width)
            .map(|i| {
                headers.columns.get(&i).copied().unwrap_or_else(|| {
                    field += 1;
                    match field {
                        1 => Column::Q,
                        2 => Column::A,
                        3 => Column::Explain,
                        _ => Column::Ignored,
                    }
                })
            })
            .collect()
    };
    if !has_header && width < 2 {
        return Err(bad(
            path,
            format!(
                "line {}: one column only; a card needs a question and an answer separated by a tab, comma or semicolon (or give --delimiter)",
                rows[0].0
            ),
        ));
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("imported")
        .to_string();
    let mut import = Import {
        source: path.to_path_buf(),
        warnings,
        ..Import::default()
    };
    let mut deck_index: HashMap<String, usize> = HashMap::new();
    let mut used: Vec<BTreeSet<String>> = Vec::new();
    let skip = usize::from(has_header);
    for (line, cells) in rows.iter().skip(skip) {
        if cells.len() != width {
            return Err(bad(
                path,
                format!(
                    "line {line} has {} column{} where line {} has {width}; every row needs the same columns (quote a cell that holds the delimiter)",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    rows[0].0
                ),
            ));
        }
        let mut get = |col: Column| -> Option<String> {
            let i = columns.iter().position(|c| *c == col)?;
            let raw = cells[i].trim();
            let text = if headers.html {
                to_text(raw, &mut import.media)
            } else {
                raw.to_string()
            };
            Some(text).filter(|t| !t.is_empty())
        };
        let note_type = get(Column::NoteType).unwrap_or_default();
        let (q, a, text, explain) = (
            get(Column::Q),
            get(Column::A),
            get(Column::Text),
            get(Column::Explain),
        );
        let is_true = |v: Option<String>| {
            v.is_some_and(|v| matches!(v.to_lowercase().as_str(), "true" | "yes" | "1" | "y"))
        };
        let typed = is_true(get(Column::Typed)) || note_type.contains("type in the answer");
        let reverse = is_true(get(Column::Reverse)) || note_type.contains("reversed card");
        let body = if let Some(text) = text {
            Body::Cloze { text }
        } else if note_type.starts_with("Cloze") {
            // Anki's plain text: the cloze text is the first field.
            Body::Cloze {
                text: q.clone().unwrap_or_default(),
            }
        } else {
            let q = q.ok_or_else(|| bad(path, format!("line {line}: the question is empty")))?;
            let a = a
                .clone()
                .ok_or_else(|| bad(path, format!("line {line}: the answer is empty")))?;
            let accept = get(Column::Accept)
                .map(|v| {
                    v.split(['|', ';'])
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            Body::Basic {
                q,
                a,
                accept,
                typed,
                reverse,
            }
        };
        let explain = match (&body, note_type.starts_with("Cloze")) {
            (Body::Cloze { .. }, true) => a.or(explain),
            _ => explain,
        };
        if let Body::Cloze { text } = &body
            && let Err(e) = crate::deck::cloze::parse_cloze(text)
        {
            return Err(bad(
                path,
                format!("line {line}: the cloze text is not valid: {}", e.message),
            ));
        }
        let deck_name = get(Column::Deck).unwrap_or_else(|| stem.clone());
        let identity = get(Column::Guid);
        let given_id = get(Column::Id);
        if let Some(id) = &given_id
            && !crate::deck::parse::is_valid_id(id)
        {
            return Err(bad(
                path,
                format!("line {line}: the id `{id}` is not lowercase letters, digits and '-'"),
            ));
        }
        let tags: Vec<String> = get(Column::Tags)
            .map(|t| t.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        let source = get(Column::Source);
        let index = *deck_index.entry(deck_name.clone()).or_insert_with(|| {
            import.decks.push(DeckOut {
                id: deck_id(&deck_name),
                title: deck_name.clone(),
                path: deck_path(&deck_name),
                source: Some(format!(
                    "Imported from {}",
                    super::anki_read::file_name(path)
                )),
                notes: Vec::new(),
            });
            used.push(BTreeSet::new());
            import.decks.len() - 1
        });
        let base = given_id.unwrap_or_else(|| {
            note_id(&identity.unwrap_or_else(|| match &body {
                Body::Basic { q, .. } => q.clone(),
                Body::Cloze { text } => text.clone(),
            }))
        });
        let mut id = base.clone();
        let mut n = 2;
        while used[index].contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used[index].insert(id.clone());
        import.decks[index].notes.push(Note {
            id,
            body,
            tags,
            explain,
            source,
        });
    }
    if import.decks.is_empty() {
        return Err(bad(path, "it holds no cards"));
    }
    Ok(import)
}

/// Writes one row per card: `deck,card,kind,q,a,tags,explain,source`
/// (a cloze card's question shows its blanks; several answers are joined
/// with `; `). Through a temporary file, so a failure leaves nothing.
pub(crate) fn write_csv(out: &Path, decks: &[crate::deck::Deck]) -> Result<usize, Error> {
    use crate::deck::Content;
    use crate::deck::model::cloze;
    let fail = |e: String| Error::Export {
        path: out.to_path_buf(),
        reason: e,
    };
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(e.to_string()))?;
    let mut writer = csv::Writer::from_writer(tmp.reopen().map_err(|e| fail(e.to_string()))?);
    let mut write = |row: &[&str]| writer.write_record(row).map_err(|e| fail(e.to_string()));
    write(&[
        "deck", "card", "kind", "q", "a", "tags", "explain", "source",
    ])?;
    let mut rows = 0;
    let join = |items: &[crate::deck::Text]| {
        items
            .iter()
            .map(compact_str::CompactString::as_str)
            .collect::<Vec<_>>()
            .join("; ")
    };
    for deck in decks {
        for card in &deck.cards {
            let (q, a) = match &card.content() {
                Content::Basic {
                    question, answer, ..
                } => (question.to_string(), answer.to_string()),
                Content::Cloze { segments, active } => (
                    cloze::prompt(segments, *active),
                    cloze::answers(segments, *active).join("; "),
                ),
                Content::Choice {
                    question,
                    answer,
                    distractors,
                } => (
                    format!("{question} ({})", {
                        let mut options = distractors.clone();
                        options.push(answer.clone());
                        options.sort();
                        join(&options)
                    }),
                    answer.to_string(),
                ),
                Content::Multi {
                    question, answers, ..
                } => (question.to_string(), join(answers)),
                Content::Order { question, items } => (question.to_string(), join(items)),
                Content::TrueFalse { statement, answer } => {
                    (statement.to_string(), answer.to_string())
                }
            };
            let tags = card
                .tags()
                .iter()
                .map(compact_str::CompactString::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            write(&[
                &deck.id,
                &card.id,
                card.kind().name(),
                &q,
                &a,
                &tags,
                card.explain().unwrap_or(""),
                card.source().unwrap_or(""),
            ])?;
            rows += 1;
        }
    }
    writer.flush().map_err(|e| fail(e.to_string()))?;
    drop(writer);
    tmp.persist(out).map_err(|e| fail(e.error.to_string()))?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str) -> Result<Import, Error> {
        parse(Path::new("set.csv"), text, Options::default())
    }

    fn basic(note: &Note) -> (&str, &str) {
        match &note.body {
            Body::Basic { q, a, .. } => (q, a),
            Body::Cloze { .. } => panic!("cloze"),
        }
    }

    #[test]
    fn quizlet_tab_and_comma() {
        for text in ["犬\tdog\n猫\tcat\n", "犬,dog\n猫,cat\n"] {
            let i = import(text).expect("import");
            assert_eq!(i.decks.len(), 1);
            assert_eq!(i.decks[0].id, "set");
            let notes = &i.decks[0].notes;
            assert_eq!(notes.len(), 2);
            assert_eq!(basic(&notes[1]), ("猫", "cat"));
        }
    }

    #[test]
    fn a_header_row_names_the_columns() {
        let i =
            import("q,a,tags,explain,colour\nCapital of Japan?,Tokyo,geo asia,Since 1869,red\n")
                .expect("import");
        let note = &i.decks[0].notes[0];
        assert_eq!(basic(note), ("Capital of Japan?", "Tokyo"));
        assert_eq!(note.tags, ["geo", "asia"]);
        assert_eq!(note.explain.as_deref(), Some("Since 1869"));
        assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
    }

    #[test]
    fn ragged_rows_and_empty_answers_name_the_line() {
        let e = import("a,b\nc,d\ne,f,g\n").expect_err("ragged");
        assert!(e.to_string().contains("line 3"), "{e}");
        let e = import("q,a\nx,\n").expect_err("empty");
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = import("just one column\n").expect_err("one column");
        assert!(e.to_string().contains("line 1"), "{e}");
    }

    #[test]
    fn anki_plain_text_headers_are_read() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n\
g1\tBasic\tGeo::Caps\tCapital of <b>Japan</b>?\tTokyo&amp;\tgeo\n\
g2\tCloze\tMisc\tThe {{c1::Yalta}} Conference\tCrimea\t\n";
        let i = import(text).expect("import");
        assert_eq!(i.decks.len(), 2);
        assert_eq!(i.decks[0].id, "geo-caps");
        assert_eq!(i.decks[0].notes[0].id, note_id("g1"));
        assert_eq!(basic(&i.decks[0].notes[0]), ("Capital of Japan?", "Tokyo&"));
        let cloze = &i.decks[1].notes[0];
        assert!(
            matches!(&cloze.body, Body::Cloze { text } if text == "The {{c1::Yalta}} Conference")
        );
        assert_eq!(cloze.explain.as_deref(), Some("Crimea"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,80}") {
            let _ = import(&text);
        }
    }
}

//! Finding deck files and loading them together, with the checks that span
//! files (deck ids are unique across everything loaded).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::model::{Card, Deck};
use super::parse::{Checks, parse_deck_checking};
use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::error::Error;

/// Every deck loaded, and every problem found on the way.
#[derive(Debug, Default)]
pub struct Collection {
    pub decks: Vec<Deck>,
    pub diagnostics: Vec<Diagnostic>,
    /// Deck files read, valid or not.
    pub files: usize,
}

impl Collection {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    pub fn cards(&self) -> usize {
        self.decks.iter().map(|d| d.cards.len()).sum()
    }
}

/// Which decks a command works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeckSet {
    /// Deck files on disk.
    Files(Vec<PathBuf>),
    /// The shipped decks built into the binary ([`super::builtin`]).
    BuiltIn,
}

impl DeckSet {
    /// The decks named by `paths`; with none, `./decks` when there is such a
    /// folder, else the built-in decks.
    pub(crate) fn find(paths: &[PathBuf]) -> Result<DeckSet, Error> {
        if paths.is_empty() {
            let here = PathBuf::from("decks");
            if !here.is_dir() {
                return Ok(DeckSet::BuiltIn);
            }
            return deck_files(&[here]).map(DeckSet::Files);
        }
        deck_files(paths).map(DeckSet::Files)
    }

    /// Loads and checks the decks (for warnings too, when `checks` asks),
    /// through the deck cache in `cache` for files on disk.
    pub(crate) fn load(&self, cache: Option<&Path>, checks: Checks) -> Collection {
        match self {
            DeckSet::Files(files) => super::cache::load_cached(files, cache, checks),
            DeckSet::BuiltIn => super::builtin::load(),
        }
    }
}

/// The deck files named by `paths`: files as given, folders searched
/// recursively for `*.toml` (hidden entries skipped), in a stable order.
pub fn deck_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::PathNotFound { path: path.clone() },
            _ => Error::Read {
                path: path.clone(),
                source,
            },
        })?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                return Err(Error::NoDeckFiles { path: path.clone() });
            }
        } else {
            files.push(path.clone());
        }
    }
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let read_error = |source| Error::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(read_error)?
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// One file's outcome: its deck when valid (with where its id is, should
/// another file use it too), and its problems.
pub(crate) struct FileResult {
    pub(super) parsed: Option<Parsed>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// The error for a deck id used by an earlier file, pointing at this
/// file's id, its message to be filled in once the earlier file is known.
/// Worked out from the file's lines up to the id's (the text is not kept:
/// 10 MB for a large collection).
fn id_taken(path: &Path, text: &str, parsed: &super::parse::ParsedDeck) -> Diagnostic {
    let span = parsed.id_span.clone();
    let line_end = text
        .get(span.end..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| span.end + i);
    let head = text.get(..line_end).unwrap_or(text);
    SourceFile::new(path, head).diagnostic(
        Severity::Error,
        span,
        String::new(),
        "give each deck its own id: progress is stored under it",
    )
}

/// A deck parsed now (with the error to give should an earlier file use
/// its id), or known from the cache.
pub(super) enum Parsed {
    Now(Box<super::parse::ParsedDeck>, Box<Diagnostic>),
    Known(Box<Deck>),
}

impl Parsed {
    /// A deck just parsed from `text`.
    pub(super) fn now(path: &Path, text: &str, parsed: super::parse::ParsedDeck) -> Parsed {
        let taken = id_taken(path, text, &parsed);
        Parsed::Now(Box::new(parsed), Box::new(taken))
    }

    fn deck(&self) -> &Deck {
        match self {
            Parsed::Now(p, _) => &p.deck,
            Parsed::Known(d) => d,
        }
    }
}

/// Reads and validates every file. Problems are collected, never fatal: the
/// caller decides whether a collection with errors may be used. Files are
/// parsed in parallel (a large collection is hundreds of files); the checks
/// across files then run in the given order, so results are deterministic.
pub fn load(files: &[PathBuf], checks: Checks) -> Collection {
    use rayon::prelude::*;
    let results: Vec<FileResult> = files.par_iter().map(|p| load_file(p, checks)).collect();
    gather(files, results)
}

/// One file's outcome: a deck known valid already (from the cache), or
/// the file parsed from the bytes read (see [`Known::parse`]).
pub(crate) enum Known {
    Deck(Box<Deck>),
    Parsed(Box<FileResult>),
}

impl Known {
    /// Parses a file from exactly the bytes read, where it was read: on a
    /// launch after one deck was edited, its parse then runs beside the
    /// others' reading rather than after it, alone on one core.
    pub(crate) fn parse(path: &Path, bytes: Vec<u8>, checks: Checks) -> Known {
        Known::Parsed(Box::new(load_bytes(path, bytes, checks)))
    }
}

/// Like [`load`], for files whose bytes were read (and perhaps found in the
/// cache) by the caller: only the others are parsed, from exactly those
/// bytes. Also returns, per file, whether it was parsed now and is valid on
/// its own (worth caching).
pub(crate) fn load_known(
    files: &[PathBuf],
    known: Vec<Known>,
    checks: Checks,
) -> (Collection, Vec<bool>) {
    use rayon::prelude::*;
    let results: Vec<(FileResult, bool)> = known
        .into_par_iter()
        .map(|known| match known {
            Known::Deck(deck) => (
                FileResult {
                    parsed: Some(Parsed::Known(deck)),
                    diagnostics: Vec::new(),
                },
                false,
            ),
            Known::Parsed(result) => {
                let result = *result;
                let valid = result.parsed.is_some()
                    && !result
                        .diagnostics
                        .iter()
                        .any(super::super::diagnostic::Diagnostic::is_error);
                (result, valid)
            }
        })
        .collect();
    let (results, fresh): (Vec<FileResult>, Vec<bool>) = results.into_iter().unzip();
    if duplicate_known_ids(&results) {
        // The message about a repeated id names its place in the file:
        // parse everything, as without a cache.
        return (load(files, checks), vec![false; files.len()]);
    }
    (gather(files, results), fresh)
}

/// Whether a cached deck repeats an id seen before it (only parsed decks
/// can be reported with their place in the file).
fn duplicate_known_ids(results: &[FileResult]) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut known_repeat = false;
    for r in results {
        if let Some(parsed) = &r.parsed {
            let repeat = !seen.insert(parsed.deck().id.clone());
            known_repeat |= repeat && matches!(parsed, Parsed::Known(_));
        }
    }
    known_repeat
}

/// The checks across files, in the given order, so results are
/// deterministic.
pub(super) fn gather(files: &[PathBuf], results: Vec<FileResult>) -> Collection {
    let mut collection = Collection {
        files: files.len(),
        ..Collection::default()
    };
    let mut deck_ids: HashMap<String, PathBuf> = HashMap::new();
    for (path, result) in files.iter().zip(results) {
        collection.diagnostics.extend(result.diagnostics);
        let Some(parsed) = result.parsed else {
            continue;
        };
        let parsed = match parsed {
            Parsed::Known(deck) => {
                deck_ids.insert(deck.id.clone(), path.clone());
                collection.decks.push(*deck);
                continue;
            }
            Parsed::Now(parsed, taken) => (parsed, taken),
        };
        let (parsed, mut taken) = parsed;
        if let Some(first) = deck_ids.get(&parsed.deck.id) {
            taken.message = format!(
                "deck id `{}` is already used by {}",
                parsed.deck.id,
                first.display()
            );
            collection.diagnostics.push(*taken);
            continue;
        }
        deck_ids.insert(parsed.deck.id.clone(), path.clone());
        collection.decks.push(parsed.deck);
    }
    collection
}

fn load_file(path: &Path, checks: Checks) -> FileResult {
    let failed = |d: Diagnostic| FileResult {
        parsed: None,
        diagnostics: vec![d],
    };
    match std::fs::read(path) {
        Ok(bytes) => load_bytes(path, bytes, checks),
        Err(e) => failed(Diagnostic::whole_file(
            path,
            format!("cannot read this file: {e}"),
            "check that the file exists and that you may read it",
        )),
    }
}

fn load_bytes(path: &Path, bytes: Vec<u8>, checks: Checks) -> FileResult {
    let failed = |d: Diagnostic| FileResult {
        parsed: None,
        diagnostics: vec![d],
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let src = SourceFile::new(path, &text);
            let at = String::from_utf8_lossy(&e.as_bytes()[..valid]).len();
            return failed(src.diagnostic(
                Severity::Error,
                at..at + 1,
                "this file is not valid UTF-8 text",
                "save the deck as UTF-8 (every modern editor can); the first bad byte is here",
            ));
        }
    };
    let (parsed, diagnostics) = parse_deck_checking(path, &text, checks);
    FileResult {
        parsed: parsed.map(|mut p| {
            Card::pack(&mut p.deck.cards);
            Parsed::now(path, &text, p)
        }),
        diagnostics,
    }
}

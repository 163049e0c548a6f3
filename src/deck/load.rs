//! Finding deck files and loading them together, with the checks that span
//! files (deck ids are unique across everything loaded).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::model::Deck;
use super::parse::parse_deck;
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
pub enum DeckSet {
    /// Deck files on disk.
    Files(Vec<PathBuf>),
    /// The shipped decks built into the binary ([`super::builtin`]).
    BuiltIn,
}

impl DeckSet {
    /// The decks named by `paths`; with none, `./decks` when there is such a
    /// folder, else the built-in decks.
    pub fn find(paths: &[PathBuf]) -> Result<DeckSet, Error> {
        if paths.is_empty() {
            let here = PathBuf::from("decks");
            if !here.is_dir() {
                return Ok(DeckSet::BuiltIn);
            }
            return deck_files(&[here]).map(DeckSet::Files);
        }
        deck_files(paths).map(DeckSet::Files)
    }

    /// Loads and checks the decks, through the deck cache in `cache` for
    /// files on disk.
    pub fn load(&self, cache: Option<&Path>) -> Collection {
        match self {
            DeckSet::Files(files) => super::cache::load_cached(files, cache),
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
    entries.sort_by_key(|e| e.file_name());
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

/// One file's outcome: its deck (with the file's text) when valid, and its
/// problems.
pub(super) struct FileResult {
    pub(super) parsed: Option<(super::parse::ParsedDeck, String)>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Reads and validates every file. Problems are collected, never fatal: the
/// caller decides whether a collection with errors may be used. Files are
/// parsed in parallel (a large collection is hundreds of files); the checks
/// across files then run in the given order, so results are deterministic.
pub fn load(files: &[PathBuf]) -> Collection {
    use rayon::prelude::*;
    let results: Vec<FileResult> = files.par_iter().map(|p| load_file(p)).collect();
    collect(files.iter().cloned().zip(results).collect())
}

/// Gathers parsed files into a collection, with the checks across files.
pub(super) fn collect(files: Vec<(PathBuf, FileResult)>) -> Collection {
    let mut collection = Collection {
        files: files.len(),
        ..Collection::default()
    };
    let mut deck_ids: HashMap<String, PathBuf> = HashMap::new();
    for (path, result) in files {
        collection.diagnostics.extend(result.diagnostics);
        let Some((parsed, text)) = result.parsed else {
            continue;
        };
        if let Some(first) = deck_ids.get(&parsed.deck.id) {
            let src = SourceFile::new(&path, &text);
            collection.diagnostics.push(src.diagnostic(
                Severity::Error,
                parsed.id_span.clone(),
                format!(
                    "deck id `{}` is already used by {}",
                    parsed.deck.id,
                    first.display()
                ),
                "give each deck its own id: progress is stored under it",
            ));
            continue;
        }
        deck_ids.insert(parsed.deck.id.clone(), path);
        collection.decks.push(parsed.deck);
    }
    collection
}

fn load_file(path: &Path) -> FileResult {
    let failed = |d: Diagnostic| FileResult {
        parsed: None,
        diagnostics: vec![d],
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return failed(Diagnostic::whole_file(
                path,
                format!("cannot read this file: {e}"),
                "check that the file exists and that you may read it",
            ));
        }
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
    let (parsed, diagnostics) = parse_deck(path, &text);
    FileResult {
        parsed: parsed.map(|p| (p, text)),
        diagnostics,
    }
}

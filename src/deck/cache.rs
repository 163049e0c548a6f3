//! A derived cache of parsed decks, so that a large collection opens in
//! milliseconds instead of being parsed again on every launch.
//!
//! The deck files stay the truth. The cache records, for every file, its
//! path, length and modification time; it is used only when all of them
//! match exactly, and rebuilt otherwise. Only collections without errors are
//! cached, so a cache hit means "these decks are valid". A missing, stale,
//! truncated or foreign cache file is never an error: it is rebuilt.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::load::{Collection, load};
use super::model::Deck;

/// Bumped whenever the model's shape changes, so old caches are ignored.
const FORMAT: u32 = 2;

/// What a file looked like when it was parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    path: PathBuf,
    len: u64,
    modified_ns: u128,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    stamps: Vec<Stamp>,
}

/// Where caches live: `KIOKU_CACHE_DIR`, else the platform cache folder
/// (e.g. `~/.cache/kioku`). `KIOKU_CACHE_DIR=off` disables caching.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("KIOKU_CACHE_DIR") {
        Some(dir) if dir == "off" => None,
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "kioku").map(|d| d.cache_dir().to_path_buf()),
    }
}

/// Loads the decks in `files`, from the cache in `dir` when it matches the
/// files, else by parsing them (and then refreshing the cache when the
/// collection has no errors).
pub fn load_cached(files: &[PathBuf], dir: Option<&Path>) -> Collection {
    let Some(dir) = dir else {
        return load(files);
    };
    let Some(stamps) = stamps(files) else {
        return load(files);
    };
    let path = dir.join(format!("decks-{:016x}.bin", key(files)));
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        stamps,
    };
    if let Some(decks) = read(&path, &header) {
        return Collection {
            decks,
            diagnostics: Vec::new(),
            files: files.len(),
        };
    }
    let collection = load(files);
    if collection.errors() == 0 {
        // A cache that cannot be written only costs speed next time.
        let _ = write(dir, &path, &header, &collection.decks);
    }
    collection
}

fn stamps(files: &[PathBuf]) -> Option<Vec<Stamp>> {
    files
        .iter()
        .map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
            Some(Stamp {
                path: path.clone(),
                len: meta.len(),
                modified_ns: modified.as_nanos(),
            })
        })
        .collect()
}

/// One cache per set of deck paths, so studying one deck does not evict the
/// cache of the whole folder.
fn key(files: &[PathBuf]) -> u64 {
    let mut hasher = DefaultHasher::new();
    let cwd = std::env::current_dir().unwrap_or_default();
    cwd.hash(&mut hasher);
    files.hash(&mut hasher);
    hasher.finish()
}

/// The file is the header, then each deck as its own length-prefixed blob,
/// so that the decks decode in parallel.
fn read(path: &Path, expected: &Header) -> Option<Vec<Deck>> {
    use rayon::prelude::*;
    let file = std::fs::File::open(path).ok()?;
    // Mapped rather than read: the decks are decoded straight from the page
    // cache, without first copying ten megabytes into fresh memory.
    // SAFETY: caches are written to a temporary file and renamed into place,
    // never changed in place, so the mapped file stays as it was.
    let bytes = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let (header, mut rest): (Header, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
    if &header != expected {
        return None;
    }
    let mut blobs = Vec::new();
    while !rest.is_empty() {
        let (len, tail): (u64, &[u8]) = postcard::take_from_bytes(rest).ok()?;
        let len = usize::try_from(len).ok().filter(|l| *l <= tail.len())?;
        blobs.push(&tail[..len]);
        rest = &tail[len..];
    }
    blobs
        .par_iter()
        .map(|blob| postcard::from_bytes::<Deck>(blob).ok())
        .collect()
}

fn write(dir: &Path, path: &Path, header: &Header, decks: &[Deck]) -> Option<()> {
    std::fs::create_dir_all(dir).ok()?;
    let mut bytes = postcard::to_stdvec(header).ok()?;
    for deck in decks {
        let blob = postcard::to_stdvec(deck).ok()?;
        bytes.extend(postcard::to_stdvec(&(blob.len() as u64)).ok()?);
        bytes.extend(blob);
    }
    // Written beside the target and renamed over it, so a reader never sees
    // half a cache.
    let mut tmp = tempfile::NamedTempFile::new_in(dir).ok()?;
    tmp.write_all(&bytes).ok()?;
    tmp.persist(path).ok()?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck_file(dir: &Path, name: &str, title: &str) -> PathBuf {
        let path = dir.join(name);
        let text = format!(
            "[deck]\nid = \"{}\"\ntitle = \"{title}\"\nsource = \"s\"\n\n[[card]]\nid = \"c\"\nq = \"Q\"\na = \"A\"\n",
            name.trim_end_matches(".toml")
        );
        std::fs::write(&path, text).expect("write deck");
        path
    }

    #[test]
    fn a_cache_hit_returns_the_same_decks_and_an_edit_invalidates_it() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let file = deck_file(decks.path(), "a.toml", "First");
        let files = vec![file.clone()];
        let parsed = load_cached(&files, Some(cache.path()));
        assert_eq!(parsed.decks[0].title, "First");
        assert_eq!(std::fs::read_dir(cache.path()).expect("cache").count(), 1);
        let cached = load_cached(&files, Some(cache.path()));
        assert_eq!(cached.decks, parsed.decks);

        // A new title with a different length and time: the cache must not be used.
        std::thread::sleep(std::time::Duration::from_millis(10));
        deck_file(decks.path(), "a.toml", "Second title");
        let edited = load_cached(&files, Some(cache.path()));
        assert_eq!(edited.decks[0].title, "Second title");
    }

    #[test]
    fn a_corrupt_cache_is_rebuilt_and_broken_decks_are_not_cached() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let file = deck_file(decks.path(), "a.toml", "T");
        let files = vec![file];
        load_cached(&files, Some(cache.path()));
        for entry in std::fs::read_dir(cache.path()).expect("cache") {
            std::fs::write(entry.expect("entry").path(), b"\x01garbage").expect("corrupt");
        }
        assert_eq!(load_cached(&files, Some(cache.path())).decks.len(), 1);

        let bad = decks.path().join("bad.toml");
        std::fs::write(&bad, "[deck]\nid = \"b\"\n").expect("write");
        let other = tempfile::tempdir().expect("dir");
        let broken = load_cached(std::slice::from_ref(&bad), Some(other.path()));
        assert_eq!(broken.errors(), 1);
        assert_eq!(std::fs::read_dir(other.path()).expect("cache").count(), 0);
        // Asked again, the error is reported again rather than forgotten.
        assert_eq!(load_cached(&[bad], Some(other.path())).errors(), 1);
    }
}

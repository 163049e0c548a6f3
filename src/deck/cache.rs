//! Derived caches of parsed decks, so that a large collection opens in
//! milliseconds instead of being parsed again on every launch.
//!
//! The deck files stay the truth. Each deck file has its own cache entry,
//! keyed by a hash (xxh3) of the file's bytes, not by its size and
//! modification time (an edit can keep both, and two files can swap): the
//! bytes of every file are read and hashed on each launch (milliseconds),
//! and a file whose hash differs from its entry's is parsed again, from
//! exactly the bytes that were hashed. Editing, adding or removing one deck
//! re-parses that file only. Only files without errors are cached. Each
//! entry carries a checksum of itself; a missing, stale, damaged or foreign
//! entry is never an error and never served: the file is parsed.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::load::{Collection, Known, load, load_known};
use super::model::{Card, CardKind, Deck, Encoded, Text};
use super::parse::Checks;

/// Bumped whenever the model's shape changes, so old caches are ignored.
const FORMAT: u32 = 9;

/// What an entry was made from.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    /// The file's absolute path (however it was named on the command
    /// line: `decks/a.toml` from one folder and `../decks/a.toml` from
    /// another share one entry).
    path: String,
    /// xxh3 of the file's bytes.
    content: u64,
}

/// Temporary files of cache writes start with this, so that those of a
/// killed write can be told apart and removed.
const TEMP_PREFIX: &str = ".kioku-tmp-";

/// A temporary file this old is from a write that was killed: a live write
/// takes well under a second.
const TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Caches larger than this are not read: a cache is never this large, and a
/// file linked to a device must not be read until memory runs out.
const MAX_CACHE_BYTES: u64 = 4 << 30;

/// Reads a cache file, only when it is a regular file of sane size (a FIFO
/// in its place would block every command). The bytes are 8-byte aligned,
/// so that plain data in them can be used in place; with their length.
pub fn read_cache_file(path: &Path) -> Option<(Vec<u64>, usize)> {
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_CACHE_BYTES {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut words = vec![0u64; len.div_ceil(8) + 1];
    let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
    // One byte more than expected: a file that grew since is not trusted.
    let mut read = 0;
    while read < bytes.len() {
        match file.read(&mut bytes[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    if read != len {
        return None;
    }
    words.truncate(len.div_ceil(8));
    Some((words, len))
}

/// The first `len` bytes of words read by [`read_cache_file`].
pub fn cache_bytes(words: &[u64], len: usize) -> &[u8] {
    let bytes: &[u8] = bytemuck::cast_slice(words);
    &bytes[..len.min(bytes.len())]
}

/// Writes a cache file beside its target and renames it into place, so a
/// reader never sees half of one. Failure only costs speed next time.
pub fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Option<()> {
    std::fs::create_dir_all(dir).ok()?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .ok()?;
    tmp.write_all(bytes).ok()?;
    tmp.persist(path).ok()?;
    Some(())
}

/// Like [`write_atomically`], for a file written in pieces by `fill` (a
/// large cache is streamed rather than built in memory first).
pub fn write_atomically_with(
    dir: &Path,
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Option<()>,
) -> Option<()> {
    std::fs::create_dir_all(dir).ok()?;
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .ok()?;
    let mut out = std::io::BufWriter::with_capacity(256 << 10, tmp);
    fill(&mut out)?;
    let tmp = out.into_inner().ok()?;
    tmp.persist(path).ok()?;
    Some(())
}

/// The first `limit` bytes of a file (fewer if it is shorter): enough to
/// judge a cache file by its header without reading it all.
pub fn head(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(limit)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Removes what a new cache file makes useless: other files with `prefix`
/// that `stale` condemns, and temporary files left by killed writes (also
/// those of older kiokus, which used `.tmp`).
pub fn sweep(dir: &Path, keep: &Path, prefix: &str, stale: impl Fn(&Path) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if !meta.is_file() || path == keep {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > TEMP_AGE);
        let remove = if name.starts_with(TEMP_PREFIX) || name.starts_with(".tmp") {
            old
        } else {
            name.starts_with(prefix) && name.ends_with(".bin") && stale(&path)
        };
        if remove {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Loads the decks in `files`: each from its cache entry in `dir` when the
/// entry was made from the same bytes, else by parsing it (and then caching
/// it when it has no errors).
pub fn load_cached(files: &[PathBuf], dir: Option<&Path>, checks: Checks) -> Collection {
    use rayon::prelude::*;
    let Some(dir) = dir else {
        return load(files, checks);
    };
    // Entries are keyed by absolute paths: the folder is asked for once.
    let cwd = std::env::current_dir().unwrap_or_default();
    // Per file: its bytes' hash, and its deck from the cache or its bytes.
    let read: Vec<Option<(Header, Known)>> = files
        .par_iter()
        .map_init(Vec::new, |buf: &mut Vec<u8>, path| {
            let bytes = read_small(path, buf)?;
            let header = Header {
                format: FORMAT,
                version: env!("CARGO_PKG_VERSION").to_string(),
                path: std::path::absolute(cwd.join(path))
                    .unwrap_or_else(|_| path.clone())
                    .to_string_lossy()
                    .into_owned(),
                content: xxhash_rust::xxh3::xxh3_64(bytes),
            };
            let known = match read_entry(&entry_path(dir, &header), &header) {
                // Messages name the file as the user named it this time.
                Some(deck) => Known::Deck(Box::new(Deck {
                    path: path.clone(),
                    ..deck
                })),
                None => Known::parse(path, bytes.to_vec(), checks),
            };
            Some((header, known))
        })
        .collect();
    // A file that cannot be read is reported as without a cache.
    if read.iter().any(Option::is_none) {
        return load(files, checks);
    }
    let (headers, known): (Vec<Header>, Vec<Known>) = read.into_iter().flatten().unzip();
    let (collection, fresh) = load_known(files, known, checks);
    if fresh.iter().any(|f| *f) {
        let by_path: std::collections::HashMap<&Path, &Deck> = collection
            .decks
            .iter()
            .map(|d| (d.path.as_path(), d))
            .collect();
        for ((path, header), fresh) in files.iter().zip(&headers).zip(&fresh) {
            if let (true, Some(deck)) = (*fresh, by_path.get(path.as_path())) {
                // A cache that cannot be written only costs speed next time.
                let _ = write_entry(dir, header, deck);
            }
        }
        // The entries of the decks just loaded are current: only others'
        // headers are read to judge them.
        let current: std::collections::HashSet<PathBuf> =
            headers.iter().map(|h| entry_path(dir, h)).collect();
        sweep(dir, Path::new(""), "deck", |path| {
            !current.contains(path) && stale_entry(path)
        });
    }
    collection
}

/// Reads a deck file into `buf` (reused between files, so that reading a
/// hundred of them touches no fresh memory), only a regular file.
fn read_small<'b>(path: &Path, buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_CACHE_BYTES {
        return None;
    }
    buf.clear();
    file.read_to_end(buf).ok()?;
    Some(buf)
}

/// One entry per deck file (by its absolute path), by a stable hash.
fn entry_path(dir: &Path, header: &Header) -> PathBuf {
    dir.join(format!(
        "deck-{:016x}.bin",
        xxhash_rust::xxh3::xxh3_64(header.path.as_bytes())
    ))
}

/// A card as an entry stores it: what scheduling needs, and the length of
/// its details in the entry's block of details (decoded on first use).
#[derive(Debug, PartialEq)]
struct StoredCard {
    // No deck id: every card's is its deck's (100,000 strings fewer to
    // decode at a launch).
    id: Text,
    note_id: Text,
    line: usize,
    kind: CardKind,
    details_len: u32,
}

/// An entry's cards in a layout of their own, read without serde: a
/// launch reads 100,000 of them, and postcard's string visitor took about
/// 500 instructions a card. The count; per card, as LEB128 numbers: the
/// id's length, the note id's (0: the id itself, 1 + n: the id's first n
/// bytes, else its length + the id's length + 2), the line, the kind's
/// place in [`CardKind::ALL`] and the details' length; then the texts of
/// every id and note id that is not the id's beginning, one after another
/// (checked as UTF-8 once, not once a card).
fn encode_cards(cards: &[StoredCard], out: &mut Vec<u8>) {
    fn number(out: &mut Vec<u8>, mut n: u64) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    let mut texts = String::new();
    number(out, cards.len() as u64);
    for card in cards {
        let (id, note) = (card.id.as_str(), card.note_id.as_str());
        number(out, id.len() as u64);
        texts.push_str(id);
        if note == id {
            number(out, 0);
        } else if id.starts_with(note) {
            number(out, 1 + note.len() as u64);
        } else {
            number(out, (note.len() + id.len() + 2) as u64);
            texts.push_str(note);
        }
        number(out, card.line as u64);
        let kind = CardKind::ALL.iter().position(|k| *k == card.kind);
        number(out, kind.unwrap_or(0) as u64);
        number(out, u64::from(card.details_len));
    }
    number(out, texts.len() as u64);
    out.extend_from_slice(texts.as_bytes());
}

/// [`encode_cards`] read back, with the bytes after them; None for
/// anything it would not have written.
fn decode_cards(bytes: &[u8]) -> Option<(Vec<StoredCard>, &[u8])> {
    let mut rest = bytes;
    let mut number = || -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, after) = rest.split_first()?;
            rest = after;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    };
    let mut size = || usize::try_from(number()?).ok();
    let count = size()?;
    // Each card takes five bytes or more: a count beyond that is damage.
    let mut shapes = Vec::with_capacity(count.min(bytes.len() / 5));
    for _ in 0..count {
        shapes.push((size()?, size()?, size()?, size()?, size()?));
    }
    let text_len = size()?;
    let (texts, rest) = rest.split_at_checked(text_len)?;
    let texts = std::str::from_utf8(texts).ok()?;
    let mut at = 0usize;
    let mut take = |len: usize| -> Option<&str> {
        let text = texts.get(at..at.checked_add(len)?)?;
        at += len;
        Some(text)
    };
    let mut cards = Vec::with_capacity(count);
    for (id_len, note, line, kind, details_len) in shapes {
        let id = take(id_len)?;
        let note_id = match note {
            0 => id,
            n if n <= id_len + 1 => id.get(..n - 1)?,
            n => take(n.checked_sub(id_len + 2)?)?,
        };
        cards.push(StoredCard {
            id: Text::from(id),
            note_id: Text::from(note_id),
            line,
            kind: *CardKind::ALL.get(kind)?,
            details_len: u32::try_from(details_len).ok()?,
        });
    }
    (at == texts.len()).then_some((cards, rest))
}

/// An entry's deck, when its checksum holds and it was made from the
/// same bytes: `[xxh3][header][deck][cards][details of each card]`. The
/// entry is read into memory of its own and kept whole: the cards' details
/// are decoded from it when first needed.
fn read_entry(path: &Path, expected: &Header) -> Option<Deck> {
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_CACHE_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    file.read_to_end(&mut bytes).ok()?;
    let (sum, rest) = bytes.split_at_checked(8)?;
    if xxhash_rust::xxh3::xxh3_64(rest).to_le_bytes() != sum {
        return None;
    }
    let (header, rest): (Header, &[u8]) = postcard::take_from_bytes(rest).ok()?;
    if &header != expected {
        return None;
    }
    let (mut deck, rest): (Deck, &[u8]) = postcard::take_from_bytes(rest).ok()?;
    let (stored, block) = decode_cards(rest)?;
    let total: u64 = stored.iter().map(|c| u64::from(c.details_len)).sum();
    if total != block.len() as u64 {
        return None;
    }
    let mut at = u32::try_from(bytes.len() - block.len()).ok()?;
    let whole = std::sync::Arc::new(bytes);
    let deck_id = Text::from(deck.id.as_str());
    deck.cards = stored
        .into_iter()
        .map(|c| {
            let details = Encoded {
                block: whole.clone(),
                at,
                len: c.details_len,
            };
            at += c.details_len;
            Card::encoded(deck_id.clone(), c.id, c.note_id, c.line, c.kind, details)
        })
        .collect();
    Some(deck)
}

fn write_entry(dir: &Path, header: &Header, deck: &Deck) -> Option<()> {
    let mut body = postcard::to_stdvec(header).ok()?;
    body.extend(postcard::to_stdvec(deck).ok()?);
    let mut block = Vec::new();
    let mut stored = Vec::with_capacity(deck.cards.len());
    for card in &deck.cards {
        let before = block.len();
        block = card.encode_details(block)?;
        stored.push(StoredCard {
            id: card.id.clone(),
            note_id: card.note_id.clone(),
            line: card.line,
            kind: card.kind(),
            details_len: u32::try_from(block.len() - before).ok()?,
        });
    }
    u32::try_from(block.len()).ok()?;
    encode_cards(&stored, &mut body);
    body.extend(block);
    let mut bytes = xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes().to_vec();
    bytes.extend(body);
    write_atomically(dir, &entry_path(dir, header), &bytes)
}

/// An entry of an older format or of a deck file that is gone, judged by
/// its header alone (reading every entry whole would cost as much as
/// loading them).
fn stale_entry(path: &Path) -> bool {
    let head = head(path, 4096);
    let header = head
        .as_deref()
        .and_then(|h| h.get(8..))
        .and_then(|rest| postcard::take_from_bytes::<Header>(rest).ok());
    match header {
        Some((header, _)) => {
            header.format != FORMAT
                || header.version != env!("CARGO_PKG_VERSION")
                || !Path::new(&header.path).exists()
        }
        None => true,
    }
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
        let parsed = load_cached(&files, Some(cache.path()), Checks::All);
        assert_eq!(parsed.decks[0].title, "First");
        assert_eq!(std::fs::read_dir(cache.path()).expect("cache").count(), 1);
        let cached = load_cached(&files, Some(cache.path()), Checks::All);
        assert_eq!(cached.decks, parsed.decks);

        // A new title with a different length and time: the cache must not be used.
        std::thread::sleep(std::time::Duration::from_millis(10));
        deck_file(decks.path(), "a.toml", "Second title");
        let edited = load_cached(&files, Some(cache.path()), Checks::All);
        assert_eq!(edited.decks[0].title, "Second title");
    }

    #[test]
    fn cached_cards_decode_their_details_only_when_asked() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let path = decks.path().join("d.toml");
        std::fs::write(
            &path,
            "[deck]\nid = \"d\"\ntitle = \"D\"\nsource = \"s\"\ntags = [\"t\"]\n\n\
             [[card]]\nid = \"a\"\nq = \"Q1\"\na = \"A1\"\nexplain = \"E\"\n\n\
             [[card]]\nid = \"b\"\ntext = \"The {{c1::x}} and {{c2::y}}.\"\n",
        )
        .expect("write");
        let files = vec![path];
        let parsed = load_cached(&files, Some(cache.path()), Checks::All);
        let cached = load_cached(&files, Some(cache.path()), Checks::All);
        let cards = &cached.decks[0].cards;
        assert_eq!(cards.len(), 3);
        assert!(cards.iter().all(|c| !c.is_decoded()));
        // Keys and kinds come without decoding.
        assert_eq!(cards[1].key(), "d/b:c1");
        assert_eq!(cards[2].kind(), CardKind::Cloze);
        assert!(cards.iter().all(|c| !c.is_decoded()));
        // Asked, each card's details are those parsed.
        assert_eq!(cards[0].explain(), Some("E"));
        assert!(cards[0].is_decoded() && !cards[1].is_decoded());
        assert_eq!(cached.decks, parsed.decks);
    }

    #[test]
    fn decks_parsed_without_a_cache_keep_their_details_encoded() {
        let decks = tempfile::tempdir().expect("dir");
        let path = decks.path().join("d.toml");
        let text = "[deck]\nid = \"d\"\ntitle = \"D\"\nsource = \"s\"\ntags = [\"t\"]\n\n\
             [[card]]\nid = \"a\"\nq = \"Q1\"\na = \"A1\"\nexplain = \"E\"\n\n\
             [[card]]\nid = \"b\"\ntext = \"The {{c1::x}} and {{c2::y}}.\"\n\n\
             [[card]]\nid = \"c\"\nkind = \"choice\"\nq = \"Pick\"\na = \"x\"\n";
        std::fs::write(&path, text).expect("write");
        let loaded = load_cached(std::slice::from_ref(&path), None, Checks::All);
        let cards = &loaded.decks[0].cards;
        assert_eq!(cards.len(), 4);
        assert!(cards.iter().all(|c| !c.is_decoded()));
        // Decoded, they are what the parser made (the choice card's
        // distractors, filled in from its deck, among them).
        let (parsed, _) = crate::deck::parse::parse_deck(&path, text);
        let parsed = parsed.expect("valid").deck;
        for (card, made) in cards.iter().zip(&parsed.cards) {
            assert!(made.is_decoded());
            assert_eq!(card.kind(), made.kind(), "known without decoding");
            assert!(!card.is_decoded());
            assert_eq!(card.details(), made.details());
        }
        assert_eq!(loaded.decks[0], parsed);
    }

    #[test]
    fn a_corrupt_cache_is_rebuilt_and_broken_decks_are_not_cached() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let file = deck_file(decks.path(), "a.toml", "T");
        let files = vec![file];
        load_cached(&files, Some(cache.path()), Checks::All);
        for entry in std::fs::read_dir(cache.path()).expect("cache") {
            std::fs::write(entry.expect("entry").path(), b"\x01garbage").expect("corrupt");
        }
        assert_eq!(
            load_cached(&files, Some(cache.path()), Checks::All)
                .decks
                .len(),
            1
        );

        let bad = decks.path().join("bad.toml");
        std::fs::write(&bad, "[deck]\nid = \"b\"\n").expect("write");
        let other = tempfile::tempdir().expect("dir");
        let broken = load_cached(std::slice::from_ref(&bad), Some(other.path()), Checks::All);
        assert_eq!(broken.errors(), 1);
        assert_eq!(std::fs::read_dir(other.path()).expect("cache").count(), 0);
        // Asked again, the error is reported again rather than forgotten.
        assert_eq!(
            load_cached(&[bad], Some(other.path()), Checks::All).errors(),
            1
        );
    }

    fn entries(cache: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(cache)
            .expect("cache")
            .map(|e| e.expect("entry").path())
            .collect();
        v.sort();
        v
    }

    fn set_mtime(path: &Path, time: std::time::SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .expect("open")
            .set_modified(time)
            .expect("mtime");
    }

    #[test]
    fn a_same_size_edit_with_its_time_restored_is_seen() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let file = deck_file(decks.path(), "a.toml", "Alpha");
        let files = vec![file.clone()];
        let time = std::fs::metadata(&file)
            .expect("meta")
            .modified()
            .expect("mtime");
        assert_eq!(
            load_cached(&files, Some(cache.path()), Checks::All).decks[0].title,
            "Alpha"
        );
        deck_file(decks.path(), "a.toml", "Omega");
        set_mtime(&file, time);
        assert_eq!(
            load_cached(&files, Some(cache.path()), Checks::All).decks[0].title,
            "Omega"
        );
    }

    #[test]
    fn two_same_size_files_swapped_keep_their_own_decks() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let a = decks.path().join("a.toml");
        let b = decks.path().join("b.toml");
        let text = |id: &str, title: &str| {
            format!(
                "[deck]\nid = \"{id}\"\ntitle = \"{title}\"\nsource = \"s\"\n\n[[card]]\nid = \"c\"\nq = \"Q\"\na = \"A\"\n"
            )
        };
        std::fs::write(&a, text("one", "First")).expect("write");
        std::fs::write(&b, text("two", "Other")).expect("write");
        let time = std::fs::metadata(&a)
            .expect("meta")
            .modified()
            .expect("mtime");
        set_mtime(&b, time);
        let files = vec![a.clone(), b.clone()];
        load_cached(&files, Some(cache.path()), Checks::All);
        std::fs::write(&a, text("two", "Other")).expect("write");
        std::fs::write(&b, text("one", "First")).expect("write");
        set_mtime(&a, time);
        set_mtime(&b, time);
        let swapped = load_cached(&files, Some(cache.path()), Checks::All);
        let ids: Vec<(&str, &Path)> = swapped
            .decks
            .iter()
            .map(|d| (d.id.as_str(), d.path.as_path()))
            .collect();
        assert_eq!(ids, [("two", a.as_path()), ("one", b.as_path())]);
    }

    #[test]
    fn a_flipped_byte_in_an_entry_is_never_served() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let files = vec![deck_file(decks.path(), "a.toml", "Title")];
        let good = load_cached(&files, Some(cache.path()), Checks::All).decks;
        let entry = entries(cache.path()).remove(0);
        let bytes = std::fs::read(&entry).expect("read");
        for at in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[at] ^= 0x20;
            std::fs::write(&entry, &bad).expect("write");
            assert_eq!(
                load_cached(&files, Some(cache.path()), Checks::All).decks,
                good,
                "flip at {at}"
            );
        }
    }

    #[test]
    fn editing_one_deck_reparses_only_it_and_removed_decks_lose_their_entry() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let mut files: Vec<PathBuf> = (0..4)
            .map(|i| deck_file(decks.path(), &format!("d{i}.toml"), "T"))
            .collect();
        load_cached(&files, Some(cache.path()), Checks::All);
        let before: Vec<(PathBuf, Vec<u8>)> = entries(cache.path())
            .into_iter()
            .map(|p| {
                let b = std::fs::read(&p).expect("read");
                (p, b)
            })
            .collect();
        assert_eq!(before.len(), 4);
        // Marks the entries, so that a rewritten one shows.
        for (p, _) in &before {
            set_mtime(
                p,
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(1000),
            );
        }
        deck_file(decks.path(), "d2.toml", "Edited");
        let edited = load_cached(&files, Some(cache.path()), Checks::All);
        assert_eq!(edited.decks[2].title, "Edited");
        let rewritten: Vec<bool> = before
            .iter()
            .map(|(p, _)| {
                std::fs::metadata(p)
                    .expect("meta")
                    .modified()
                    .expect("mtime")
                    != std::time::UNIX_EPOCH + std::time::Duration::from_secs(1000)
            })
            .collect();
        assert_eq!(rewritten.iter().filter(|r| **r).count(), 1, "{rewritten:?}");
        // A deck removed: its entry goes when another is written.
        std::fs::remove_file(&files[3]).expect("remove");
        files.pop();
        deck_file(decks.path(), "d0.toml", "Edited too");
        load_cached(&files, Some(cache.path()), Checks::All);
        assert_eq!(entries(cache.path()).len(), 3);
    }

    /// `decks/a.toml`, `./decks/a.toml` and `/home/x/decks/a.toml` are one
    /// file: one entry, served whichever way it is named, and the deck
    /// keeps the name it was given this time (messages use it).
    #[test]
    fn a_deck_named_another_way_uses_the_same_entry() {
        let decks = tempfile::tempdir().expect("dir");
        let cache = tempfile::tempdir().expect("dir");
        let plain = deck_file(decks.path(), "a.toml", "T");
        load_cached(
            std::slice::from_ref(&plain),
            Some(cache.path()),
            Checks::All,
        );
        let before = entries(cache.path());
        assert_eq!(before.len(), 1);
        set_mtime(
            &before[0],
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1000),
        );
        let dotted = decks.path().join(".").join("a.toml");
        let loaded = load_cached(
            std::slice::from_ref(&dotted),
            Some(cache.path()),
            Checks::All,
        );
        assert_eq!(loaded.decks[0].path, dotted);
        assert_eq!(loaded.decks[0].title, "T");
        assert_eq!(entries(cache.path()), before, "no second entry");
        let mtime = std::fs::metadata(&before[0])
            .expect("meta")
            .modified()
            .expect("mtime");
        assert_eq!(
            mtime,
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1000),
            "served, not parsed and written again"
        );
    }

    fn stored_card() -> impl proptest::strategy::Strategy<Value = StoredCard> {
        use proptest::prelude::*;
        (
            "\\PC{0,30}",
            prop_oneof![
                Just(None),
                Just(Some(String::new())),
                "\\PC{0,30}".prop_map(Some)
            ],
            0usize..5,
            any::<usize>(),
            0usize..CardKind::ALL.len(),
            any::<u32>(),
        )
            .prop_map(|(id, note, cut, line, kind, details_len)| {
                // Note ids as they come: the id itself, its beginning (a
                // cloze group's or a reverse side's note), or another.
                let note_id = match note {
                    None => id.clone(),
                    Some(n) if n.is_empty() => {
                        let mut end = id.len().saturating_sub(cut);
                        while !id.is_char_boundary(end) {
                            end -= 1;
                        }
                        id[..end].to_string()
                    }
                    Some(n) => n,
                };
                StoredCard {
                    id: Text::from(id),
                    note_id: Text::from(note_id),
                    line,
                    kind: CardKind::ALL[kind],
                    details_len,
                }
            })
    }

    proptest::proptest! {
        /// Whatever cards an entry stores, it reads the same cards back,
        /// and the bytes after them.
        #[test]
        fn stored_cards_read_back_as_written(
            cards in proptest::collection::vec(stored_card(), 0..20),
            after in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..8),
        ) {
            let mut bytes = Vec::new();
            encode_cards(&cards, &mut bytes);
            bytes.extend_from_slice(&after);
            let (read, rest) = decode_cards(&bytes).expect("read back");
            proptest::prop_assert_eq!(read, cards);
            proptest::prop_assert_eq!(rest, &after[..]);
        }

        /// Damaged bytes are refused or read as some cards, never a panic
        /// (the entry's checksum catches damage before this; this is the
        /// second line).
        #[test]
        fn damaged_card_lists_never_panic(
            cards in proptest::collection::vec(stored_card(), 0..5),
            flips in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 1..4),
            cut in proptest::prelude::any::<usize>(),
        ) {
            let mut bytes = Vec::new();
            encode_cards(&cards, &mut bytes);
            for (at, value) in flips {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = value;
                }
            }
            bytes.truncate(cut % (bytes.len() + 1));
            let _ = decode_cards(&bytes);
        }
    }
}

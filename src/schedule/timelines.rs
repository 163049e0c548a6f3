//! Every card's timeline (what each review did: its kind, the interval
//! before it, the memory state after it) for `kioku stats`, kept in the
//! cache folder. Replaying a million reviews through FSRS takes most of a
//! `stats` run; the timelines change only when a review is added or the
//! settings change, so a file beside the snapshot keeps them.
//!
//! The file is used only when its fingerprint (an xxh3 of the settings
//! key, and of every card's key, retention and reviews, in the order asked)
//! and its own checksum both hold; anything else means working the
//! timelines out again and writing a new file. The log stays the truth.

use std::path::{Path, PathBuf};

use bytemuck::{Pod, Zeroable};
use fsrs::MemoryState;
use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::memory::{Step, StepKind};
use super::{Days, Review};
use crate::deck::cache;

const FORMAT: u64 = 1;

/// One card's part of the question: its key, the retention it is
/// scheduled for, and its reviews.
pub(crate) struct CardReviews<'a> {
    pub key: &'a str,
    pub retention: f32,
    pub reviews: &'a [Review],
}

/// A step in 16 bytes, as stored and as handed out ([`Packed::step`]).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub(crate) struct Packed {
    stability: f32,
    difficulty: f32,
    /// `u32::MAX` for none.
    interval: u32,
    kind: u8,
    has_memory: u8,
    _pad: [u8; 2],
}

const NO_INTERVAL: u32 = u32::MAX;

impl Packed {
    pub(crate) fn pack(s: &Step) -> Packed {
        let m = s.memory.unwrap_or(MemoryState {
            stability: 0.0,
            difficulty: 0.0,
        });
        Packed {
            stability: m.stability,
            difficulty: m.difficulty,
            interval: s.interval_before_days.unwrap_or(NO_INTERVAL),
            kind: match s.kind {
                StepKind::Learn => 0,
                StepKind::Review => 1,
                StepKind::Relearn => 2,
            },
            has_memory: u8::from(s.memory.is_some()),
            _pad: [0; 2],
        }
    }

    /// The step (a kind out of range, which the checksum rules out, is
    /// taken for a review).
    pub(crate) fn step(&self) -> Step {
        Step {
            kind: match self.kind {
                0 => StepKind::Learn,
                2 => StepKind::Relearn,
                _ => StepKind::Review,
            },
            interval_before_days: (self.interval != NO_INTERVAL).then_some(self.interval),
            memory: (self.has_memory == 1).then_some(MemoryState {
                stability: self.stability,
                difficulty: self.difficulty,
            }),
        }
    }
}

/// The fingerprint of what the timelines are worked out from.
fn fingerprint(settings: u64, cards: &[CardReviews]) -> u64 {
    let mut h = Xxh3::new();
    h.update(&FORMAT.to_le_bytes());
    h.update(&settings.to_le_bytes());
    for card in cards {
        h.update(&(card.key.len() as u64).to_le_bytes());
        h.update(card.key.as_bytes());
        h.update(&card.retention.to_bits().to_le_bytes());
        h.update(&(card.reviews.len() as u64).to_le_bytes());
        h.update(bytemuck::cast_slice(card.reviews));
    }
    h.digest()
}

fn file(dir: &Path, log_name: &str) -> PathBuf {
    dir.join(format!(
        "timelines-{:016x}.bin",
        xxhash_rust::xxh3::xxh3_64(log_name.as_bytes())
    ))
}

/// Layout: the fingerprint, the log's name length, the steps' count, the
/// log's name (padded to 8), the steps, an xxh3 of everything before it.
/// The steps are read straight into place (no second copy of 16 MB).
fn read(path: &Path, expected: u64, count: usize) -> Option<Vec<Packed>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let total = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut sum = Xxh3::new();
    let mut head = [0u8; 24];
    file.read_exact(&mut head).ok()?;
    sum.update(&head);
    let word = |i: usize| u64::from_le_bytes(head[i * 8..i * 8 + 8].try_into().unwrap_or_default());
    if word(0) != expected || usize::try_from(word(2)).ok()? != count {
        return None;
    }
    let name_len = usize::try_from(word(1)).ok()?.next_multiple_of(8);
    let steps_len = count.checked_mul(size_of::<Packed>())?;
    if total
        != 24usize
            .checked_add(name_len)?
            .checked_add(steps_len)?
            .checked_add(8)?
    {
        return None;
    }
    let mut name = vec![0u8; name_len];
    file.read_exact(&mut name).ok()?;
    sum.update(&name);
    let mut steps = vec![Packed::zeroed(); count];
    let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut steps);
    file.read_exact(bytes).ok()?;
    sum.update(bytes);
    let mut stored = [0u8; 8];
    file.read_exact(&mut stored).ok()?;
    (sum.digest().to_le_bytes() == stored).then_some(steps)
}

/// The log a timelines file is of, from its header.
fn log_of(path: &Path) -> Option<String> {
    let head = cache::head(path, 64 << 10)?;
    let len = usize::try_from(u64::from_le_bytes(head.get(8..16)?.try_into().ok()?)).ok()?;
    String::from_utf8(head.get(24..24usize.checked_add(len)?)?.to_vec()).ok()
}

fn write(dir: &Path, log_name: &str, print: u64, steps: &[Packed]) {
    let path = file(dir, log_name);
    let mut body = Vec::with_capacity(32 + log_name.len() + std::mem::size_of_val(steps));
    body.extend_from_slice(&print.to_le_bytes());
    body.extend_from_slice(&(log_name.len() as u64).to_le_bytes());
    body.extend_from_slice(&(steps.len() as u64).to_le_bytes());
    body.extend_from_slice(log_name.as_bytes());
    body.resize(24 + log_name.len().next_multiple_of(8), 0);
    body.extend_from_slice(bytemuck::cast_slice(steps));
    let sum = xxhash_rust::xxh3::xxh3_64(&body);
    body.extend_from_slice(&sum.to_le_bytes());
    let _ = cache::write_atomically(dir, &path, &body);
    cache::sweep(dir, &path, "timelines-", |other| {
        log_of(other).is_none_or(|log| !Path::new(&log).exists())
    });
}

/// Every card's timeline, one after another in the order of `cards`:
/// from the cache file in `cache` when it was made from the same reviews
/// under the same settings (`settings`, the snapshot's key of them), else
/// worked out on every core and cached.
pub(crate) fn timelines(
    memory: &super::memory::Memory,
    days: &Days,
    settings: u64,
    cards: &[CardReviews],
    cache: Option<(&Path, &Path)>,
) -> Vec<Packed> {
    let count: usize = cards.iter().map(|c| c.reviews.len()).sum();
    let print = cache.map(|_| fingerprint(settings, cards));
    let name = cache.map(|(_, log)| super::snapshot::log_name(log));
    if let (Some((dir, _)), Some(print), Some(name)) = (cache, print, &name)
        && let Some(steps) = read(&file(dir, name), print, count)
    {
        return steps;
    }
    let steps: Vec<Packed> = cards
        .par_iter()
        .flat_map_iter(|c| {
            memory
                .timeline(c.reviews, c.retention, days)
                .into_iter()
                .map(|s| Packed::pack(&s))
        })
        .collect();
    if let (Some((dir, _)), Some(print), Some(name)) = (cache, print, &name) {
        write(dir, name, print, &steps);
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::progress::{Event, EventId, EventKind, Mode};
    use crate::rating::Rating;
    use crate::schedule::History;

    fn history() -> History {
        let events: Vec<Event> = (0..30u64)
            .map(|i| Event {
                id: EventId(i + 1),
                time: jiff::Timestamp::from_second(1_700_000_000 + i as i64 * 40_000)
                    .expect("time"),
                kind: EventKind::Review {
                    key: format!("d/c{}", i % 3).into(),
                    rating: Rating::ALL[(i as usize * 7) % 4],
                    answer_ms: 1000,
                    mode: Mode::Study,
                    picked: None,
                },
            })
            .collect();
        History::from_events(&events)
    }

    #[test]
    fn cached_timelines_are_the_ones_worked_out_and_follow_every_change() {
        let dir = tempfile::tempdir().expect("dir");
        let log = dir.path().join("progress.log");
        std::fs::write(&log, "").expect("log");
        let history = history();
        let memory = super::super::memory::Memory::new(&Config::default());
        let days = Days::local(4);
        let cards = |retention: f32| -> Vec<CardReviews> {
            ["d/c0", "d/c1", "d/c2"]
                .into_iter()
                .map(|key| CardReviews {
                    key,
                    retention,
                    reviews: history.reviews_of(key),
                })
                .collect()
        };
        let fresh = timelines(&memory, &days, 1, &cards(0.9), None);
        assert_eq!(fresh.len(), 30);
        let direct: Vec<Step> = cards(0.9)
            .iter()
            .flat_map(|c| memory.timeline(c.reviews, c.retention, &days))
            .collect();
        assert_eq!(fresh.iter().map(Packed::step).collect::<Vec<_>>(), direct);
        let cache = Some((dir.path(), log.as_path()));
        assert_eq!(timelines(&memory, &days, 1, &cards(0.9), cache), fresh);
        assert_eq!(
            timelines(&memory, &days, 1, &cards(0.9), cache),
            fresh,
            "read back"
        );
        // Another retention gives other intervals, not the cached ones.
        let stricter = timelines(&memory, &days, 1, &cards(0.97), None);
        assert_ne!(stricter, fresh);
        assert_eq!(timelines(&memory, &days, 1, &cards(0.97), cache), stricter);
        // A damaged file is worked out again.
        let path = file(dir.path(), &super::super::snapshot::log_name(&log));
        let mut bytes = std::fs::read(&path).expect("read");
        let at = bytes.len() / 2;
        bytes[at] ^= 0x40;
        std::fs::write(&path, &bytes).expect("damage");
        assert_eq!(timelines(&memory, &days, 1, &cards(0.97), cache), stricter);
        // The file of a log that is gone is swept when another is written.
        let other = dir.path().join("other.log");
        std::fs::write(&other, "").expect("log");
        timelines(
            &memory,
            &days,
            2,
            &cards(0.9),
            Some((dir.path(), other.as_path())),
        );
        std::fs::remove_file(&other).expect("remove");
        timelines(&memory, &days, 3, &cards(0.9), cache);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("timelines-"))
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}

//! Turns one deck file's text into a [`Deck`], reporting every problem in the
//! file rather than stopping at the first. The TOML is parsed into a tree that
//! keeps the byte span of every key and value, so each message can point at
//! the exact spot; the typed [`spec`](super::spec) structs then do the field
//! typing, and the checks below do everything a type cannot say.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::cloze::{ClozeError, parse_cloze};
use super::model::{Card, CardKind, Content, Deck, NewOrder, Text, source_keys};
use super::spec::{AnswerSpec, CardSpec, DeckSpec, KindSpec, NewOrderSpec, keys_of};
use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::suggest;

/// A deck parsed from one file, with where its id stands (for the check that
/// deck ids are unique across files).
pub(crate) struct ParsedDeck {
    pub deck: Deck,
    pub id_span: Range<usize>,
}

/// Parses and validates one file. The deck is returned when the file has no
/// errors (warnings allowed).
pub(crate) fn parse_deck(path: &Path, text: &str) -> (Option<ParsedDeck>, Vec<Diagnostic>) {
    parse_deck_checking(path, text, Checks::All)
}

/// How much a parse checks. Warnings are shown by `kioku check` alone: every
/// other command shows only what stops it, and the checks that can only
/// warn (the ambiguity check across a deck's prompts above all) are a tenth
/// of a large collection's parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    All,
    ErrorsOnly,
}

/// [`parse_deck`], checking as much as `checks` asks.
pub(crate) fn parse_deck_checking(
    path: &Path,
    text: &str,
    checks: Checks,
) -> (Option<ParsedDeck>, Vec<Diagnostic>) {
    parse_deck_as(path, text, text.len() >= BATCHED_FROM, checks)
}

/// Files this large are checked in batches of cards on every core, when
/// their shape allows ([`card_starts`]): a million cards would otherwise be
/// one TOML tree of gigabytes, checked on one core.
const BATCHED_FROM: usize = 1 << 20;

/// Cards per batch: each batch is its own small TOML tree, freed once its
/// cards are made; small enough that the allocator reuses its memory for
/// the next (with 2,048 a batch's token list took fresh pages each time).
const BATCH: usize = 256;

fn parse_deck_as(
    path: &Path,
    text: &str,
    batched: bool,
    checks: Checks,
) -> (Option<ParsedDeck>, Vec<Diagnostic>) {
    // Both read the whole file: on a large one, side by side.
    let (src, starts) = rayon::join(
        || SourceFile::new(path, text),
        || batched.then(|| card_starts(text)).flatten(),
    );
    let mut checker = Checker::new(&src, text, 0, checks);
    let deck = match starts {
        Some(starts) => checker.file_in_batches(&starts),
        None => checker.file(),
    };
    let failed = checker.diagnostics.iter().any(Diagnostic::is_error);
    (deck.filter(|_| !failed), checker.diagnostics)
}

/// The byte offsets of the `[[card]]` header lines, where a large file can
/// be cut into batches of cards, when the file has the plain shape:
/// `[deck]` (and perhaps `[sources]`) before the first card, and neither
/// after it (else None: the file is checked whole).
///
/// Lines are found on every core, without following strings, and that is
/// safe. A `[[card]]` line inside a multi-line string is taken for a
/// header: the batch holding the string's opening quotes then holds a
/// string that never ends, its parse fails, and a syntax error in any batch
/// has the whole file checked instead. Any other line that starts with `[`
/// (a line of text, a nested list, `[card.x]`) stays inside its batch,
/// where TOML reads it as the whole file would; a batch with any table but
/// cards is checked whole too ([`Checker::file_in_batches`]).
fn card_starts(text: &str) -> Option<Vec<usize>> {
    use rayon::prelude::*;
    #[derive(Clone, Copy, PartialEq)]
    enum Header {
        Card,
        Deck,
        Sources,
        Other,
    }
    const CHUNK: usize = 1 << 20;
    let b = text.as_bytes();
    // A `[` that opens its line (after blanks): the line's start.
    let opens_line = |at: usize| {
        let blanks = b[..at]
            .iter()
            .rev()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        let start = at - blanks;
        (start == 0 || b[start - 1] == b'\n').then_some(start)
    };
    let header = |at: usize| {
        let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |k| at + k);
        let line = text.get(at..end).unwrap_or("").trim_end_matches('\r');
        match line.split('#').next().unwrap_or("").trim_end() {
            "[[card]]" => Header::Card,
            "[deck]" => Header::Deck,
            "[sources]" => Header::Sources,
            _ => Header::Other,
        }
    };
    let found: Vec<Vec<(usize, Header)>> = (0..b.len().div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| {
            let from = k * CHUNK;
            let to = (from + CHUNK).min(b.len());
            memchr::memchr_iter(b'[', &b[from..to])
                .filter_map(|at| opens_line(from + at).map(|start| (start, header(from + at))))
                .collect()
        })
        .collect();
    let mut starts = Vec::new();
    let (mut decks, mut sources) = (0, 0);
    for (start, kind) in found.into_iter().flatten() {
        match kind {
            Header::Card => starts.push(start),
            Header::Deck if starts.is_empty() => decks += 1,
            Header::Sources if starts.is_empty() => sources += 1,
            Header::Other => {}
            Header::Deck | Header::Sources => return None,
        }
    }
    (decks == 1 && sources <= 1 && !starts.is_empty()).then_some(starts)
}

struct Checker<'a> {
    src: &'a SourceFile<'a>,
    /// The text being parsed: the whole file, or one batch of its cards.
    text: &'a str,
    /// Where `text` starts in the file; spans from its tree are relative to
    /// `text`, diagnostics are about the file.
    base: usize,
    diagnostics: Vec<Diagnostic>,
    /// Whether warnings are wanted (else they are neither looked for nor
    /// kept).
    checks: Checks,
    /// (old key, new key) from the cards' `was`.
    renames: Vec<(String, String)>,
    /// Each old key in `renames`, with its place there.
    claimed: HashMap<String, usize>,
}

/// A table's type: typed directly where that is quick and every value has
/// the type its field wants ([`CardSpec::from_plain_table`]), else by serde,
/// whose errors name what is wrong.
trait Typed: DeserializeOwned {
    fn from_plain_table(_table: &DeTable) -> Option<Self> {
        None
    }
}

impl Typed for DeckSpec {}

impl Typed for CardSpec {
    fn from_plain_table(table: &DeTable) -> Option<Self> {
        CardSpec::from_plain_table(table)
    }
}

/// `[sources]`: key to full reference and the key's span.
type Sources = BTreeMap<String, (String, Range<usize>)>;

/// One `[[card]]` table, typed, with the spans needed for later messages.
struct Note<'t, 'i> {
    spec: CardSpec,
    table: &'t DeTable<'i>,
    header: Range<usize>,
}

/// The `[deck]` table, checked, and the `[sources]` its cards cite.
struct Head {
    spec: DeckSpec,
    id_span: Range<usize>,
    sources: Sources,
}

/// What one note made, before the checks across cards (unique ids, `was`,
/// the answers choice cards draw from): its diagnostics are said only if
/// its id is not a repeat. Spans are the file's.
struct NoteCards {
    id: Text,
    id_span: Range<usize>,
    header: Range<usize>,
    line: usize,
    /// The id is invalid (said in `before`).
    bad_id: bool,
    /// Said before the `was` checks: the content's problems.
    before: Vec<Diagnostic>,
    /// The earlier ids in `was`, each with where it is written.
    was: Vec<(String, Range<usize>)>,
    /// Said after them: the source's problems.
    after: Vec<Diagnostic>,
    group: Option<String>,
    /// Each card, its prompt, and whether its answer joins the group's
    /// pool.
    cards: Vec<(Card, Prompt, bool)>,
}

/// Where a card's prompt is written, and a hash of the prompt as shown
/// (None for the cards the ambiguity check leaves out). The hash is made
/// while the card's batch is parsed, on every core, so that the check
/// across a million cards compares numbers ([`Checker::check_ambiguity`]).
struct Prompt {
    span: Range<usize>,
    hash: Option<std::num::NonZeroU64>,
}

impl Prompt {
    fn of(card: &Card, span: Range<usize>, checks: Checks) -> Prompt {
        if checks == Checks::ErrorsOnly {
            return Prompt { span, hash: None };
        }
        let hash = prompt_of(card).map(|p| {
            std::num::NonZeroU64::MIN.saturating_add(xxhash_rust::xxh3::xxh3_64(p.as_bytes()))
        });
        Prompt { span, hash }
    }
}

/// What the checks across cards keep while notes come in, in file order
/// ([`Checker::absorb`]).
struct Gather {
    /// Card ids seen, with the line and header of the last of each.
    seen: FxHashMap<Text, (usize, Range<usize>)>,
    cards: Vec<Card>,
    /// Each card's prompt, for the ambiguity check.
    prompts: Vec<Prompt>,
    /// Answers by group, for choice cards that draw their distractors.
    pools: HashMap<Option<String>, Vec<Text>>,
    /// Choice cards that draw: index in `cards`, group, header.
    drawing: Vec<(usize, Option<String>, Range<usize>)>,
}

impl Gather {
    /// For about `notes` notes (a note makes one card or a few).
    fn new(notes: usize) -> Self {
        Gather {
            seen: FxHashMap::with_capacity_and_hasher(notes, Default::default()),
            cards: Vec::with_capacity(notes),
            prompts: Vec::with_capacity(notes),
            pools: HashMap::new(),
            drawing: Vec::new(),
        }
    }

    /// Room for the cards of `notes` notes, estimated from the cards per
    /// note so far: growing a list of a million cards later would copy it
    /// whole and hold it twice.
    fn expect(&mut self, notes: usize) {
        let seen = self.seen.len().max(1);
        let cards = self.cards.len() * notes / seen + notes / 64;
        self.cards.reserve(cards.saturating_sub(self.cards.len()));
        self.prompts
            .reserve(cards.saturating_sub(self.prompts.len()));
    }
}

impl<'a> Checker<'a> {
    fn new(src: &'a SourceFile<'a>, text: &'a str, base: usize, checks: Checks) -> Self {
        Checker {
            src,
            text,
            base,
            diagnostics: Vec::new(),
            checks,
            renames: Vec::new(),
            claimed: HashMap::new(),
        }
    }

    /// A checker of the same text whose diagnostics are kept apart, for
    /// checks run beside each other.
    fn apart(&self) -> Checker<'a> {
        Checker::new(self.src, self.text, self.base, self.checks)
    }

    /// A span of `text` as a span of the file.
    fn global(&self, span: Range<usize>) -> Range<usize> {
        self.base + span.start..self.base + span.end
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let d = self
            .src
            .diagnostic(Severity::Error, self.global(span), message, help);
        self.diagnostics.push(d);
    }

    fn warning(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        if self.checks == Checks::ErrorsOnly {
            return;
        }
        let d = self
            .src
            .diagnostic(Severity::Warning, self.global(span), message, help);
        self.diagnostics.push(d);
    }

    fn file(&mut self) -> Option<ParsedDeck> {
        let (root, errors) = DeTable::parse_recoverable(self.text);
        if !errors.is_empty() {
            for e in errors {
                let span = e.span().unwrap_or(0..0);
                let (message, help) = syntax_message(e.message());
                self.error(span, message, help);
            }
            return None;
        }
        let root = root.get_ref();
        let (deck_value, deck_table, sources) = self.head_start(root)?;
        let notes = self.notes(root.get("card"));
        let (spec, deck_table) = deck_table?;
        let head = self.head_finish(deck_value, spec, deck_table, sources);
        let mut gather = Gather::new(notes.len());
        for note in notes {
            let made = self.note_cards(&head, note);
            self.absorb(&head, &mut gather, made);
        }
        Some(self.finish(head, gather))
    }

    /// [`Checker::file`] for a large file, its cards checked in batches on
    /// every core. `starts` are the `[[card]]` header lines; before the
    /// first are `[deck]` and `[sources]`. What is said is what a check of
    /// the whole file says: a syntax error anywhere has the whole file
    /// checked instead.
    fn file_in_batches(&mut self, starts: &[usize]) -> Option<ParsedDeck> {
        use rayon::prelude::*;
        let text = self.text;
        let first = starts.first().copied().unwrap_or(text.len());
        let (root, errors) = DeTable::parse_recoverable(&text[..first]);
        if !errors.is_empty() || root.get_ref().contains_key("card") {
            return self.file();
        }
        let (deck_value, deck_table, sources) = self.head_start(root.get_ref())?;
        let head = deck_table
            .map(|(spec, deck_table)| self.head_finish(deck_value, spec, deck_table, sources));
        drop(root);
        let batches: Vec<Range<usize>> = starts
            .chunks(BATCH)
            .enumerate()
            .map(|(i, chunk)| {
                let end = starts.get((i + 1) * BATCH).copied().unwrap_or(text.len());
                chunk[0]..end
            })
            .collect();
        let (src, checks) = (self.src, self.checks);
        let head_ref = head.as_ref();
        // The notes of one batch, with what their typing said; None on a
        // syntax error.
        let check = |range: &Range<usize>| {
            let mut checker = Checker::new(src, &text[range.clone()], range.start, checks);
            let (root, errors) = DeTable::parse_recoverable(checker.text);
            // A syntax error, or a table other than cards (a header
            // `card_starts` does not split at): checked whole instead.
            if !errors.is_empty() || root.get_ref().keys().any(|k| k.get_ref() != "card") {
                return None;
            }
            let notes = checker.notes(root.get_ref().get("card"));
            let made: Vec<NoteCards> = match head_ref {
                Some(head) => notes
                    .into_iter()
                    .map(|note| checker.note_cards(head, note))
                    .collect(),
                None => Vec::new(),
            };
            Some((checker.diagnostics, made))
        };
        let mut gather = Gather::new(starts.len());
        // A few batches per core at a time, in file order. What a group
        // made is taken (in file order) while the next group is parsed, and
        // freed as soon as its cards are taken, so memory holds the cards
        // and little more.
        let mut groups = batches.chunks(2 * rayon::current_num_threads());
        let mut made: Vec<_> = groups
            .next()
            .map(|group| group.par_iter().map(check).collect())
            .unwrap_or_default();
        let mut first = true;
        loop {
            let next = groups.next();
            let (parsed, whole) = rayon::join(
                || next.map(|group| group.par_iter().map(check).collect::<Vec<_>>()),
                || self.take_batches(head.as_ref(), &mut gather, made),
            );
            if !whole {
                // A syntax error: the whole file is checked instead.
                self.diagnostics.clear();
                self.renames.clear();
                self.claimed.clear();
                return self.file();
            }
            if std::mem::take(&mut first) {
                gather.expect(starts.len());
            }
            match parsed {
                Some(parsed) => made = parsed,
                None => break,
            }
        }
        let head = head?;
        Some(self.finish(head, gather))
    }

    /// Takes what a group of batches made, in file order; false when one of
    /// them had a syntax error.
    fn take_batches(
        &mut self,
        head: Option<&Head>,
        gather: &mut Gather,
        made: Vec<Option<(Vec<Diagnostic>, Vec<NoteCards>)>>,
    ) -> bool {
        for batch in made {
            let Some((diagnostics, notes)) = batch else {
                return false;
            };
            self.diagnostics.extend(diagnostics);
            if let Some(head) = head {
                for note in notes {
                    self.absorb(head, gather, note);
                }
            }
        }
        true
    }

    /// The top-level keys, the `[deck]` table typed and the `[sources]`.
    /// None when there is no `[deck]`: nothing more is checked.
    #[allow(clippy::type_complexity)]
    fn head_start<'t, 'i>(
        &mut self,
        root: &'t DeTable<'i>,
    ) -> Option<(
        &'t Spanned<DeValue<'i>>,
        Option<(DeckSpec, &'t DeTable<'i>)>,
        Sources,
    )> {
        for (key, _) in root {
            if !matches!(key.get_ref().as_ref(), "deck" | "card" | "sources") {
                let name = key.get_ref().as_ref();
                let help = match suggest::closest(name, &["deck", "card", "sources"]) {
                    Some("card") => "did you mean `[[card]]`? Each card is a `[[card]]` table.".into(),
                    Some(s) => format!("did you mean `[{s}]`?"),
                    None => "a deck file has a `[deck]` table, `[[card]]` tables and an optional `[sources]` table; put this key inside one of them".into(),
                };
                self.error(key.span(), format!("unknown top-level key `{name}`"), help);
            }
        }
        let Some(deck_value) = root.get("deck") else {
            self.error(
                0..0,
                "this file has no `[deck]` table",
                "start the file with `[deck]`, then `id = \"...\"` and `title = \"...\"`",
            );
            return None;
        };
        let deck_table = self.typed_table::<DeckSpec>(deck_value, "[deck]", keys_of_deck());
        let sources = self.sources(root.get("sources"));
        Some((deck_value, deck_table, sources))
    }

    /// The checks of the `[deck]` table once typed.
    fn head_finish(
        &mut self,
        deck_value: &Spanned<DeValue>,
        mut spec: DeckSpec,
        deck_table: &DeTable,
        sources: Sources,
    ) -> Head {
        if let Some(default) = spec.source.take() {
            let span = value_span(deck_table, "source").unwrap_or(deck_value.span());
            spec.source = self.cite(&sources, default, span);
        }
        let id_span = value_span(deck_table, "id").unwrap_or(deck_value.span());
        self.check_id(&spec.id, id_span.clone(), "deck");
        if let Some(r) = spec.retention
            && !(0.7..=0.99).contains(&r)
        {
            let span = value_span(deck_table, "retention").unwrap_or(id_span.clone());
            self.error(
                span,
                format!("retention {r} is out of range"),
                "desired retention is a share of cards recalled: use a value from 0.7 to 0.99, e.g. 0.9",
            );
        }
        Head {
            spec,
            id_span: self.global(id_span),
            sources,
        }
    }

    /// The checks across the whole deck once every card is in, and the deck.
    fn finish(&mut self, head: Head, gather: Gather) -> ParsedDeck {
        let Head {
            spec,
            id_span,
            sources,
        } = head;
        let Gather {
            seen,
            mut cards,
            prompts,
            pools,
            drawing,
        } = gather;
        // The checks across cards, said in this order; the slowest on a
        // large deck (ambiguity) runs beside the others.
        let mut drawn = self.apart();
        drawn.draw(&mut cards, &pools, drawing);
        let clean =
            !self.diagnostics.iter().any(Diagnostic::is_error) && self.checks == Checks::All;
        let (ambiguous, rest) = rayon::join(
            || {
                let mut sub = self.apart();
                if sub.checks == Checks::All {
                    sub.check_ambiguity(&cards, &prompts);
                }
                sub.diagnostics
            },
            || {
                let mut sub = self.apart();
                if clean {
                    sub.unused_sources(&sources, &cards);
                    sub.giveaways(&cards, &seen);
                    sub.balance(&cards, id_span.clone());
                }
                sub.diagnostics
            },
        );
        drop(prompts);
        self.diagnostics.extend(ambiguous);
        self.diagnostics.extend(drawn.diagnostics);
        self.diagnostics.extend(rest);
        if cards.is_empty() && !self.diagnostics.iter().any(Diagnostic::is_error) {
            self.warning(
                id_span.clone(),
                format!("deck `{}` has no cards", spec.id),
                "add cards as `[[card]]` tables below `[deck]`",
            );
        }
        ParsedDeck {
            deck: Deck {
                id: spec.id,
                title: spec.title,
                description: spec.description.unwrap_or_default(),
                tags: spec.tags.unwrap_or_default(),
                retention: spec.retention.map(|r| r as f32),
                path: self.src.path.to_path_buf(),
                renames: std::mem::take(&mut self.renames),
                cards,
                sources: sources
                    .into_iter()
                    .map(|(key, (full, _))| (key, full))
                    .collect(),
                new_order: match spec.new_order {
                    Some(NewOrderSpec::File) => NewOrder::File,
                    Some(NewOrderSpec::Spread) | None => NewOrder::Spread,
                },
            },
            id_span,
        }
    }

    /// The `[sources]` table: short key to full reference (and where the key
    /// stands, for the "never cited" warning).
    fn sources(&mut self, value: Option<&Spanned<DeValue>>) -> Sources {
        let mut out = Sources::new();
        let Some(value) = value else {
            return out;
        };
        let DeValue::Table(table) = value.get_ref() else {
            self.error(
                value.span(),
                "`sources` must be a table",
                "write `[sources]` on a line of its own, then `key = \"full reference\"` lines",
            );
            return out;
        };
        for (key, v) in table {
            let name = key.get_ref().as_ref();
            if !self.check_id(name, key.span(), "source") {
                continue;
            }
            match v.get_ref() {
                DeValue::String(full) if !full.trim().is_empty() => {
                    out.insert(name.to_string(), (full.to_string(), key.span()));
                }
                DeValue::String(_) => self.error(
                    v.span(),
                    format!("source `{name}` is empty"),
                    "write the full reference: author, title, publication, date",
                ),
                _ => self.error(
                    v.span(),
                    format!("source `{name}` must be text"),
                    format!("write it like `{name} = \"Author, Title, Publication, 2004\"`"),
                ),
            }
        }
        out
    }

    /// A `source` as written, checked against `[sources]` when the deck has
    /// one: every comma-separated key must be listed there.
    fn cite(&mut self, sources: &Sources, written: String, span: Range<usize>) -> Option<String> {
        if sources.is_empty() {
            return Some(written);
        }
        let known: Vec<&str> = sources.keys().map(String::as_str).collect();
        let mut ok = true;
        for key in source_keys(&written) {
            if sources.contains_key(key) {
                continue;
            }
            let help = match suggest::closest(key, &known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "this deck cites keys of its `[sources]` table ({}); add `{key} = \"...\"` there, or cite one of them",
                    known.join(", ")
                ),
            };
            self.error(span.clone(), format!("unknown source `{key}`"), help);
            ok = false;
        }
        ok.then(|| source_keys(&written).collect::<Vec<_>>().join(", "))
    }

    /// A `[sources]` entry no card cites is probably a slip.
    fn unused_sources(&mut self, sources: &Sources, cards: &[Card]) {
        for (key, (_, span)) in sources {
            let cited = cards
                .iter()
                .any(|c| c.source().is_some_and(|s| source_keys(s).any(|k| k == key)));
            if !cited {
                self.warning(
                    span.clone(),
                    format!("source `{key}` is never cited"),
                    "cite it with `source = \"...\"` on a card, or remove it",
                );
            }
        }
    }

    /// A tag shown in the card's header that is also what the card asks
    /// for (tag `1951` on "In which year ...?") answers it for the learner.
    fn giveaways(&mut self, cards: &[Card], headers: &FxHashMap<Text, (usize, Range<usize>)>) {
        for card in cards {
            let answers: Vec<&str> = match &card.content() {
                Content::Basic { answer, .. } | Content::Choice { answer, .. } => vec![answer],
                Content::Cloze { segments, active } => {
                    super::model::cloze::answers(segments, *active)
                }
                Content::Multi { answers, .. } => answers.iter().map(Text::as_str).collect(),
                Content::Order { .. } | Content::TrueFalse { .. } => Vec::new(),
            };
            let Some(tag) = card
                .tags()
                .iter()
                .find(|t| answers.iter().any(|a| same_text(t, a)))
            else {
                continue;
            };
            let span = headers
                .get(card.note_id.as_str())
                .map_or(0..0, |(_, header)| header.clone());
            self.warning(
                span,
                format!("card `{}` shows its answer `{tag}` as a tag", card.id),
                "tags are shown above the question: remove the tag, or use a broader one",
            );
        }
    }

    /// Patterns across a deck that let a learner score without knowing:
    /// the right option is usually the longest one, or true/false statements
    /// lean one way. Only for decks with enough such cards to tell.
    fn balance(&mut self, cards: &[Card], span: Range<usize>) {
        const MIN_CARDS: usize = 4;
        let chars = |s: &str| s.chars().count();
        let mut choices = 0;
        let mut longest = 0;
        let mut statements = 0;
        let mut true_ones = 0;
        for card in cards {
            match &card.content() {
                Content::Choice {
                    answer,
                    distractors,
                    ..
                } if !distractors.is_empty() => {
                    choices += 1;
                    if distractors.iter().all(|d| chars(answer) > chars(d)) {
                        longest += 1;
                    }
                }
                Content::TrueFalse { answer, .. } => {
                    statements += 1;
                    true_ones += usize::from(*answer);
                }
                _ => {}
            }
        }
        if choices >= MIN_CARDS && longest * 2 > choices {
            self.warning(
                span.clone(),
                format!("in {longest} of {choices} choice cards the answer is the longest option"),
                "a learner can guess the longest option: lengthen some wrong options, or shorten answers, until at most half are longest",
            );
        }
        if statements >= MIN_CARDS {
            let share = true_ones as f64 / statements as f64;
            if !(0.35..=0.65).contains(&share) {
                self.warning(
                    span,
                    format!(
                        "{true_ones} of {statements} true/false statements are true ({:.0}%)",
                        share * 100.0
                    ),
                    "a learner can guess the usual answer: keep between 35% and 65% of the statements true",
                );
            }
        }
    }

    /// The `[[card]]` tables, each typed. Cards with errors are left out (and
    /// reported).
    fn notes<'t, 'i>(&mut self, value: Option<&'t Spanned<DeValue<'i>>>) -> Vec<Note<'t, 'i>> {
        let Some(value) = value else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span(),
                "`card` must be a list of tables",
                "write each card as its own `[[card]]` table (two brackets)",
            );
            return Vec::new();
        };
        let mut notes = Vec::with_capacity(items.len());
        for item in items {
            let header = self.header_span(item.span(), "[[card]]");
            if let Some((spec, table)) = self.typed_table::<CardSpec>(item, "card", keys_of_card())
            {
                notes.push(Note {
                    spec,
                    table,
                    header,
                });
            }
        }
        notes
    }

    /// The `[[card]]` header line before a table body, for messages about the
    /// card as a whole; the body's start when there is none (inline tables).
    fn header_span(&self, body: Range<usize>, header: &str) -> Range<usize> {
        let text = self.text;
        if text
            .get(body.start..)
            .is_some_and(|t| t.starts_with(header))
        {
            return body.start..body.start + header.len();
        }
        match text.get(..body.start).and_then(|t| t.rfind(header)) {
            Some(at) => at..at + header.len(),
            None => body.start..body.start + 1,
        }
    }

    /// Checks a table's keys against `T`'s fields and types it, reporting
    /// unknown keys, empty strings and every wrongly typed field.
    fn typed_table<'t, 'i, T: Typed>(
        &mut self,
        value: &'t Spanned<DeValue<'i>>,
        what: &str,
        known: &[String],
    ) -> Option<(T, &'t DeTable<'i>)> {
        let DeValue::Table(table) = value.get_ref() else {
            self.error(
                value.span(),
                format!("`{what}` must be a table"),
                format!("write `{what}` on a line of its own, with its keys on the lines below"),
            );
            return None;
        };
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        // Keys left out of typing: unknown ones, then wrongly typed ones.
        let mut dropped: Vec<&str> = Vec::new();
        for (key, v) in table {
            let name = key.get_ref().as_ref();
            if !known.contains(&name) {
                let help = match suggest::closest(name, &known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the keys of a {what} are: {}", known.join(", ")),
                };
                self.error(key.span(), format!("unknown key `{name}` in {what}"), help);
                dropped.push(name);
                continue;
            }
            self.check_not_empty(name, v);
            if name == "answers" && !self.check_multi_items(v) {
                dropped.push(name);
            }
        }
        if dropped.is_empty()
            && let Some(typed) = T::from_plain_table(table)
        {
            return Some((typed, table));
        }
        let header = self.header_span(
            value.span(),
            if what == "card" { "[[card]]" } else { "[deck]" },
        );
        // Type the table; on a type error, report it, drop that key and try
        // again, so that every wrongly typed field is reported in one run.
        loop {
            let mut usable = table.clone();
            for key in &dropped {
                usable.remove(*key);
            }
            let attempt = Spanned::new(value.span(), DeValue::Table(usable));
            match T::deserialize(ValueDeserializer::from(attempt)) {
                // The original table is returned: later checks ask it which
                // keys were written, so a dropped key is not also "missing".
                Ok(typed) => return Some((typed, table)),
                Err(e) => {
                    let culprit = e.span().and_then(|span| {
                        table.iter().find(|(k, v)| {
                            let vs = v.span();
                            !dropped.contains(&k.get_ref().as_ref())
                                && ((vs.start <= span.start && span.end <= vs.end)
                                    || k.span() == span)
                        })
                    });
                    match culprit {
                        Some((key, v)) => {
                            let (message, help) = type_message(key.get_ref(), e.message());
                            self.error(v.span(), message, help);
                            dropped.push(key.get_ref().as_ref());
                        }
                        None => {
                            let (message, help) = missing_message(what, e.message());
                            self.error(header, message, help);
                            // Keep typing the rest for their own errors.
                            return None;
                        }
                    }
                }
            }
        }
    }

    fn check_not_empty(&mut self, key: &str, value: &Spanned<DeValue>) {
        match value.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => self.error(
                value.span(),
                format!("`{key}` is empty"),
                format!("write the text of `{key}`, or remove the line"),
            ),
            DeValue::Array(items) => {
                for item in items {
                    if let DeValue::String(s) = item.get_ref()
                        && s.trim().is_empty()
                    {
                        self.error(
                            item.span(),
                            format!("an entry of `{key}` is empty"),
                            "remove the empty entry, or write its text",
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// The tables among a multi card's `answers` (`{ a = "Iturup", accept =
    /// ["Etorofu"] }`): each mistake pointed at, so that the generic "wrong
    /// type" message is not needed. False when there was one.
    fn check_multi_items(&mut self, value: &Spanned<DeValue>) -> bool {
        let DeValue::Array(items) = value.get_ref() else {
            return true;
        };
        let mut ok = true;
        for item in items {
            let DeValue::Table(t) = item.get_ref() else {
                continue;
            };
            for (key, v) in t {
                let name = key.get_ref().as_ref();
                match (name, v.get_ref()) {
                    ("a", DeValue::String(_)) => self.check_not_empty(name, v),
                    ("accept", DeValue::Array(list))
                        if list
                            .iter()
                            .all(|x| matches!(x.get_ref(), DeValue::String(_))) =>
                    {
                        self.check_not_empty(name, v);
                    }
                    ("a", _) => {
                        self.error(
                            v.span(),
                            "the `a` of an answers item must be text",
                            "write it like `{ a = \"Iturup\", accept = [\"Etorofu\"] }`",
                        );
                        ok = false;
                    }
                    ("accept", _) => {
                        self.error(
                            v.span(),
                            "the `accept` of an answers item must be a list of text",
                            "write it like `{ a = \"Iturup\", accept = [\"Etorofu\"] }`",
                        );
                        ok = false;
                    }
                    _ => {
                        let help = match suggest::closest(name, &["a", "accept"]) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "an answers item has `a` (the answer) and `accept` (other accepted forms)".to_string(),
                        };
                        self.error(
                            key.span(),
                            format!("unknown key `{name}` in an answers item"),
                            help,
                        );
                        ok = false;
                    }
                }
            }
            if !t.contains_key("a") {
                self.error(
                    item.span(),
                    "this answers item has no `a`",
                    "write it like `{ a = \"Iturup\", accept = [\"Etorofu\"] }`",
                );
                ok = false;
            }
        }
        ok
    }

    fn check_id(&mut self, id: &str, span: Range<usize>, what: &str) -> bool {
        if is_valid_id(id) {
            return true;
        }
        let slug = slugify(id);
        let help = if slug.is_empty() {
            "use lowercase letters, digits and '-', e.g. `yalta-1945`".to_string()
        } else {
            format!("use lowercase letters, digits and '-', e.g. `{slug}`")
        };
        self.error(span, format!("{what} id `{id}` is not a valid id"), help);
        false
    }

    /// The card's earlier ids as written in `was`, each with its place in
    /// the file; checked across the deck by [`Checker::was`].
    fn was_items(&self, note: &mut Note) -> Vec<(String, Range<usize>)> {
        let Some(old) = note.spec.was.take() else {
            return Vec::new();
        };
        let spans = array_items(note.table, "was");
        old.into_iter()
            .enumerate()
            .map(|(i, old)| {
                let span = spans
                    .get(i)
                    .cloned()
                    .or_else(|| value_span(note.table, "was"))
                    .unwrap_or(note.header.clone());
                (old, self.global(span))
            })
            .collect()
    }

    /// Records the card's earlier ids (`was`): `old-id` in this deck, or
    /// `deck/old-id` from another.
    fn was(&mut self, deck: &str, id: &str, items: Vec<(String, Range<usize>)>) {
        for (old, span) in items {
            let (old_deck, old_id) = old.split_once('/').unwrap_or((deck, old.as_str()));
            if !self.check_id(old_deck, span.clone(), "deck")
                || !self.check_id(old_id, span.clone(), "card")
            {
                continue;
            }
            let old_key = format!("{old_deck}/{old_id}");
            if old_deck == deck && old_id == id {
                self.error(
                    span,
                    format!("card `{old_id}` names itself in `was`"),
                    "`was` lists the ids the card had before; remove this one",
                );
                continue;
            }
            if let Some(&at) = self.claimed.get(&old_key) {
                let other = self.renames[at].1.clone();
                self.error(
                    span,
                    format!("`{old_key}` is already claimed by `{other}` in `was`"),
                    "an old id's history can follow only one card",
                );
                continue;
            }
            self.claimed.insert(old_key.clone(), self.renames.len());
            self.renames.push((old_key, format!("{deck}/{id}")));
        }
    }

    /// The cards one note makes, with its own diagnostics kept apart until
    /// [`Checker::absorb`] knows whether its id repeats an earlier one.
    fn note_cards(&self, head: &Head, mut note: Note) -> NoteCards {
        let deck = &head.spec;
        let mut sub = self.apart();
        let id_span = value_span(note.table, "id").unwrap_or(note.header.clone());
        let header = self.global(note.header.clone());
        let (line, _) = self.src.locate(header.start);
        let mut made = NoteCards {
            id: note.spec.id.as_str().into(),
            id_span: self.global(id_span.clone()),
            header,
            line,
            bad_id: false,
            before: Vec::new(),
            was: Vec::new(),
            after: Vec::new(),
            group: None,
            cards: Vec::new(),
        };
        if !sub.check_id(&note.spec.id, id_span, "card") {
            made.bad_id = true;
            made.before = sub.diagnostics;
            return made;
        }
        let Some(content) = sub.content(&mut note) else {
            made.before = sub.diagnostics;
            return made;
        };
        made.before = std::mem::take(&mut sub.diagnostics);
        made.was = self.was_items(&mut note);
        let cites = note.spec.source.is_some();
        let source = match note.spec.source.take() {
            Some(written) => {
                let span = value_span(note.table, "source").unwrap_or(note.header.clone());
                sub.cite(&head.sources, written, span)
            }
            None => deck.source.clone(),
        };
        if source.is_none() && !cites {
            sub.warning(
                note.header.clone(),
                format!("card `{}` has no source", note.spec.id),
                "add `source = \"...\"` to the card, or a default `source` under `[deck]`",
            );
        }
        made.after = sub.diagnostics;
        let mut tags = note.spec.tags.take().unwrap_or_default();
        // Exactly as many as needed: kept for every card of the deck.
        tags.reserve_exact(deck.tags.as_ref().map_or(0, Vec::len));
        for t in deck.tags.iter().flatten() {
            if !tags.contains(t) {
                tags.push(t.clone());
            }
        }
        made.group = note.spec.group.take();
        let base = Card::new(
            deck.id.as_str().into(),
            note.spec.id.as_str().into(),
            note.spec.id.as_str().into(),
            line,
            crate::deck::Details {
                content: Content::TrueFalse {
                    statement: Text::default(),
                    answer: true,
                },
                explain: note.spec.explain.take().map(Text::from),
                source: source.map(Text::from),
                tags: tags.into_iter().map(Text::from).collect(),
            },
        );
        let last = content.len().saturating_sub(1);
        let mut base = Some(base);
        for (i, (suffix, content)) in content.into_iter().enumerate() {
            let Some(mut card) = (if i == last { base.take() } else { base.clone() }) else {
                continue;
            };
            let prompt_key = match (suffix.as_str(), &content) {
                (":reverse", _) => "a",
                (_, Content::Cloze { .. }) => "text",
                _ => "q",
            };
            let prompt = value_span(note.table, prompt_key).unwrap_or(note.header.clone());
            let pooled = suffix.is_empty();
            card.id.push_str(&suffix);
            card.details_mut().content = content;
            let prompt = Prompt::of(&card, self.global(prompt), self.checks);
            made.cards.push((card, prompt, pooled));
        }
        made
    }

    /// The checks across cards, one note at a time in file order: a
    /// repeated id is reported (and that card's other problems left
    /// unsaid), `was` ids are claimed once; the cards are kept, with the
    /// answers choice cards draw from.
    fn absorb(&mut self, head: &Head, g: &mut Gather, note: NoteCards) {
        if note.bad_id {
            self.diagnostics.extend(note.before);
            return;
        }
        if let Some((first, _)) = g
            .seen
            .insert(note.id.clone(), (note.line, note.header.clone()))
        {
            self.error(
                note.id_span,
                format!(
                    "card id `{}` is used twice in this deck (first on line {first})",
                    note.id
                ),
                "give each card its own id: progress is stored under it",
            );
            return;
        }
        self.diagnostics.extend(note.before);
        self.was(&head.spec.id, &note.id, note.was);
        self.diagnostics.extend(note.after);
        for (card, prompt, pooled) in note.cards {
            if let Content::Basic { answer, .. } | Content::Choice { answer, .. } = &card.content()
                && pooled
            {
                g.pools
                    .entry(note.group.clone())
                    .or_default()
                    .push(answer.clone());
            }
            if let Content::Choice { distractors, .. } = &card.content()
                && distractors.is_empty()
            {
                g.drawing
                    .push((g.cards.len(), note.group.clone(), note.header.clone()));
            }
            g.prompts.push(prompt);
            g.cards.push(card);
        }
    }

    /// Choice cards without `choices` draw their wrong options from the
    /// other answers of their group.
    fn draw(
        &mut self,
        cards: &mut [Card],
        pools: &HashMap<Option<String>, Vec<Text>>,
        drawing: Vec<(usize, Option<String>, Range<usize>)>,
    ) {
        // Each drawn-from group's answers once (the first spelling kept),
        // with the folded text `same_text` compares: linear in the group's
        // size per card, not quadratic.
        let mut unique: HashMap<Option<String>, Vec<(String, Text)>> = HashMap::new();
        for (index, group, header) in drawing {
            let pool = unique.entry(group.clone()).or_insert_with(|| {
                let mut known = std::collections::HashSet::new();
                pools
                    .get(&group)
                    .into_iter()
                    .flatten()
                    .filter_map(|a| {
                        let key = fold(a);
                        known.insert(key.clone()).then(|| (key, a.clone()))
                    })
                    .collect()
            });
            let card = &mut cards[index];
            let Content::Choice {
                answer,
                distractors,
                ..
            } = &mut card.details_mut().content
            else {
                continue;
            };
            let own = fold(answer);
            *distractors = pool
                .iter()
                .filter(|(key, _)| *key != own)
                .map(|(_, text)| text.clone())
                .collect();
            let n = distractors.len();
            if n < 2 {
                let note = card.note_id.clone();
                let group = match &group {
                    Some(g) => format!("group `{g}`"),
                    None => "the cards without a group".to_string(),
                };
                self.warning(
                    header,
                    format!(
                        "choice card `{note}` has no `choices`, and {group} has only {n} other answer{} to draw from",
                        if n == 1 { "" } else { "s" }
                    ),
                    "give it `choices = [...]` with three wrong options, or give more cards the same `group`",
                );
            }
        }
    }

    /// Two cards of this deck (or the two sides of a reversed card) that show
    /// the same prompt but want different answers: the learner cannot tell
    /// which is asked. A warning on the later one, naming both places.
    fn check_ambiguity(&mut self, cards: &[Card], prompts: &[Prompt]) {
        use rayon::prelude::*;
        use std::collections::hash_map::Entry;
        // Keyed by the hash of the prompt exactly as shown: cheap for every
        // card of a large collection, and shared out by hash between the
        // cores. The texts are compared only when two hashes meet, and
        // answers folded only when two prompts do.
        let shards = 2 * rayon::current_num_threads() as u64;
        let mut meetings: Vec<(usize, usize)> = (0..shards)
            .into_par_iter()
            .flat_map_iter(|shard| {
                let mut by_hash: FxHashMap<std::num::NonZeroU64, usize> = FxHashMap::default();
                let mut met = Vec::new();
                for (i, prompt) in prompts.iter().enumerate() {
                    let Some(hash) = prompt.hash.filter(|h| h.get() % shards == shard) else {
                        continue;
                    };
                    match by_hash.entry(hash) {
                        Entry::Occupied(e) => met.push((i, *e.get())),
                        Entry::Vacant(e) => {
                            e.insert(i);
                        }
                    }
                }
                met
            })
            .collect();
        meetings.sort_unstable();
        // A prompt whose hash another prompt holds is keyed by its text.
        let mut by_text: FxHashMap<std::borrow::Cow<str>, usize> = FxHashMap::default();
        for (i, first) in meetings {
            let card = &cards[i];
            let (Some(prompt), Some(other)) = (prompt_of(card), prompt_of(&cards[first])) else {
                continue;
            };
            let first = if prompt == other {
                first
            } else {
                match by_text.entry(prompt) {
                    Entry::Occupied(e) => *e.get(),
                    Entry::Vacant(e) => {
                        e.insert(i);
                        continue;
                    }
                }
            };
            let first_answers = answers_of(&cards[first]);
            if answers_of(card).iter().any(|a| first_answers.contains(a)) {
                continue;
            }
            let prompt = prompt_of(card).unwrap_or_default();
            let at = prompts.get(first).map_or(0, |p| p.span.start);
            let (line, column) = self.src.locate(at);
            let shown = crate::text::truncate(&crate::text::sanitize(&prompt, false), 40);
            let span = prompts.get(i).map_or(0..0, |p| p.span.clone());
            self.warning(
                span,
                format!(
                    "card `{}` shows the same prompt \"{shown}\" as card `{}` at {}:{line}:{column}, but wants a different answer",
                    card.id,
                    cards[first].id,
                    self.src.path.display()
                ),
                "the learner cannot tell which answer is wanted: make the prompts differ (say which name or language is asked), or accept the other answer too",
            );
        }
    }

    /// The card (or cards) a note makes, each with its id suffix.
    fn content(&mut self, note: &mut Note) -> Option<Vec<(String, Content)>> {
        let kind = self.kind(note)?;
        let table = note.table;
        let header = note.header.clone();
        let spec = &mut note.spec;
        let id = spec.id.clone();
        let question = spec.q.take().unwrap_or_default();
        let a = spec.a.take();
        Some(match kind {
            CardKind::Basic => {
                let answer = self.text_answer(a, kind, table, &header)?;
                let word = ["true", "false"]
                    .into_iter()
                    .find(|w| answer.trim().eq_ignore_ascii_case(w));
                if let Some(word) = word
                    && spec.kind.is_none()
                {
                    let span = value_span(table, "a").unwrap_or(header.clone());
                    self.error(
                        span,
                        format!("`a = \"{}\"` is the text \"{}\", not {word}", answer.trim(), answer.trim()),
                        format!("for a true/false statement write `a = {word}` without quotes (if the answer really is the word, set `kind = \"basic\"`)"),
                    );
                    return None;
                }
                let accept = spec.accept.take().unwrap_or_default();
                let typed = spec.typed.unwrap_or(false);
                let mut out = vec![(
                    String::new(),
                    Content::Basic {
                        question: question.as_str().into(),
                        answer: answer.as_str().into(),
                        accept: texts(accept),
                        typed,
                    },
                )];
                if spec.reverse.unwrap_or(false) {
                    out.push((
                        ":reverse".to_string(),
                        Content::Basic {
                            question: answer.into(),
                            answer: question.into(),
                            accept: Vec::new(),
                            typed,
                        },
                    ));
                }
                out
            }
            CardKind::Cloze => {
                let text = spec.text.take()?;
                let segments = match parse_cloze(&text) {
                    Ok(s) => s,
                    Err(e) => {
                        self.cloze_error(table, &header, &text, e);
                        return None;
                    }
                };
                let groups: BTreeSet<u32> = segments
                    .iter()
                    .filter_map(|s| match s {
                        super::model::ClozeSegment::Deletion { group, .. } => Some(*group),
                        _ => None,
                    })
                    .collect();
                groups
                    .into_iter()
                    .map(|g| {
                        (
                            format!(":c{g}"),
                            Content::Cloze {
                                segments: segments.clone(),
                                active: g,
                            },
                        )
                    })
                    .collect()
            }
            CardKind::Choice => {
                let answer = self.text_answer(a, kind, table, &header)?;
                let choices = spec.choices.take();
                if let Some(choices) = &choices {
                    let span = value_span(table, "choices").unwrap_or(header.clone());
                    if choices.is_empty() {
                        self.error(
                            span,
                            format!("choice card `{id}` has only one option"),
                            "a choice card needs at least 2 options in all: list wrong options in `choices`",
                        );
                        return None;
                    }
                    let items = array_items(table, "choices");
                    for (i, c) in choices.iter().enumerate() {
                        let at = items.get(i).cloned().unwrap_or(span.clone());
                        if same_text(c, &answer) {
                            self.error(
                                at,
                                format!("`{c}` is the answer, so it cannot also be a wrong choice"),
                                "`choices` lists only the wrong options; remove the answer from it",
                            );
                            return None;
                        }
                        if choices[..i].iter().any(|p| same_text(p, c)) {
                            self.error(
                                at,
                                format!("`{c}` is listed twice in `choices`"),
                                "remove the repeated option",
                            );
                            return None;
                        }
                    }
                }
                vec![(
                    String::new(),
                    Content::Choice {
                        question: question.into(),
                        answer: answer.into(),
                        distractors: texts(choices.unwrap_or_default()),
                    },
                )]
            }
            CardKind::Multi => {
                let items = spec.answers.take()?;
                let shown: Vec<String> = items.iter().map(|i| i.answer().to_string()).collect();
                self.check_list(
                    table,
                    &header,
                    "answers",
                    &shown,
                    "a multi card asks for several answers; with one, use a basic card",
                )?;
                let (answers, accept): (Vec<String>, Vec<Vec<String>>) = items
                    .into_iter()
                    .map(super::spec::MultiItemSpec::into_parts)
                    .unzip();
                vec![(
                    String::new(),
                    Content::Multi {
                        question: question.into(),
                        answers: texts(answers),
                        accept: accept.into_iter().map(texts).collect(),
                    },
                )]
            }
            CardKind::Order => {
                let items = spec.items.take()?;
                self.check_list(
                    table,
                    &header,
                    "items",
                    &items,
                    "an order card puts at least 2 items in order; add items",
                )?;
                vec![(
                    String::new(),
                    Content::Order {
                        question: question.into(),
                        items: texts(items),
                    },
                )]
            }
            CardKind::TrueFalse => {
                let answer = match &a {
                    Some(AnswerSpec::Bool(b)) => *b,
                    Some(AnswerSpec::Text(t)) => {
                        let span = value_span(table, "a").unwrap_or(header.clone());
                        let help = match t.trim().to_lowercase().as_str() {
                            "true" | "false" => format!("write `a = {}` without quotes", t.trim().to_lowercase()),
                            _ => "the answer of a truefalse card is `true` or `false`, without quotes".into(),
                        };
                        self.error(
                            span,
                            format!("a truefalse card's `a` must be true or false, not \"{t}\""),
                            help,
                        );
                        return None;
                    }
                    None => return None,
                };
                vec![(
                    String::new(),
                    Content::TrueFalse {
                        statement: question.into(),
                        answer,
                    },
                )]
            }
        })
    }

    /// The text answer of a card whose kind wants one.
    fn text_answer(
        &mut self,
        a: Option<AnswerSpec>,
        kind: CardKind,
        table: &DeTable,
        header: &Range<usize>,
    ) -> Option<String> {
        match a {
            Some(AnswerSpec::Text(a)) => Some(a),
            Some(AnswerSpec::Bool(b)) => {
                let span = value_span(table, "a").unwrap_or(header.clone());
                self.error(
                    span,
                    format!("`a = {b}` is true/false, but this is a {} card", kind.name()),
                    "write the answer in quotes, or for a true/false statement set `kind = \"truefalse\"`",
                );
                None
            }
            None => None,
        }
    }

    /// At least two entries, none repeated.
    fn check_list(
        &mut self,
        table: &DeTable,
        header: &Range<usize>,
        key: &str,
        list: &[String],
        too_few: &str,
    ) -> Option<()> {
        let span = value_span(table, key).unwrap_or(header.clone());
        if list.len() < 2 {
            self.error(span, format!("`{key}` needs at least 2 entries"), too_few);
            return None;
        }
        let items = array_items(table, key);
        for (i, item) in list.iter().enumerate() {
            if list[..i].iter().any(|p| same_text(p, item)) {
                let at = items.get(i).cloned().unwrap_or(span.clone());
                self.error(
                    at,
                    format!("`{item}` is listed twice in `{key}`"),
                    "remove the repeated entry",
                );
                return None;
            }
        }
        Some(())
    }

    /// The card's kind, given or inferred, after checking that the fields
    /// present belong to it and the ones it needs are there.
    fn kind(&mut self, note: &Note) -> Option<CardKind> {
        let spec = &note.spec;
        let present = |key: &str| note.table.contains_key(key);
        let structural: Vec<(&str, CardKind)> = [
            ("text", CardKind::Cloze),
            ("answers", CardKind::Multi),
            ("items", CardKind::Order),
            ("choices", CardKind::Choice),
        ]
        .into_iter()
        .filter(|(k, _)| present(k))
        .collect();
        let (kind, reason) = match spec.kind {
            Some(k) => (kind_of(k), None),
            None => {
                if structural.len() > 1 {
                    let (k1, _) = structural[0];
                    let (k2, _) = structural[1];
                    let span = key_span(note.table, k2).unwrap_or(note.header.clone());
                    self.error(
                        span,
                        format!("`{k2}` and `{k1}` belong to different kinds of card"),
                        "a card is of one kind: keep the fields of one kind, or split it into two cards",
                    );
                    return None;
                }
                match structural.first() {
                    Some((key, kind)) => (*kind, Some(*key)),
                    None if matches!(spec.a, Some(AnswerSpec::Bool(_))) => {
                        (CardKind::TrueFalse, Some("a = true/false"))
                    }
                    None => (CardKind::Basic, None),
                }
            }
        };
        let allowed: &[&str] = match kind {
            CardKind::Basic => &["q", "a", "accept", "typed", "reverse", "group"],
            CardKind::Cloze => &["text"],
            CardKind::Choice => &["q", "a", "choices", "group"],
            CardKind::Multi => &["q", "answers"],
            CardKind::Order => &["q", "items"],
            CardKind::TrueFalse => &["q", "a"],
        };
        const COMMON: [&str; 7] = ["id", "kind", "explain", "source", "tags", "quote", "was"];
        let mut ok = true;
        for (key, _) in note.table {
            let key_name = key.get_ref().as_ref();
            if COMMON.contains(&key_name)
                || allowed.contains(&key_name)
                || !keys_of_card().iter().any(|k| k == key_name)
            {
                continue;
            }
            let why = match reason {
                Some(r) => format!(" (it is a {} card because it has `{r}`)", kind.name()),
                None if spec.kind.is_some() => String::new(),
                None => " (a card with `q` and `a` is a basic card)".to_string(),
            };
            let help = match home_kind(key_name) {
                Some(home) if spec.kind.is_some() => {
                    format!("remove `{key_name}`, or set `kind = \"{}\"`", home.name())
                }
                Some(home) => format!(
                    "remove `{key_name}`, or set `kind = \"{}\"` if that is what you meant",
                    home.name()
                ),
                None => format!("remove `{key_name}`"),
            };
            self.error(
                key.span(),
                format!(
                    "`{key_name}` does not belong on a {} card{why}",
                    kind.name()
                ),
                help,
            );
            ok = false;
        }
        let required: &[&str] = match kind {
            CardKind::Cloze => &["text"],
            CardKind::Multi => &["q", "answers"],
            CardKind::Order => &["q", "items"],
            _ => &["q", "a"],
        };
        // A misspelt key (`question`) was reported already; saying that `q` is
        // missing too would only repeat it.
        let misspelt = |wanted: &str| {
            note.table.iter().any(|(k, _)| {
                let name = k.get_ref().as_ref();
                !keys_of_card().iter().any(|known| known == name)
                    && suggest::closest(name, &[wanted]).is_some()
            })
        };
        for key in required {
            if !present(key) && !misspelt(key) {
                let example = match *key {
                    "q" => "q = \"...?\"",
                    "a" if kind == CardKind::TrueFalse => "a = true",
                    "a" => "a = \"...\"",
                    "text" => "text = \"The {{c1::Shimoda}} Treaty ...\"",
                    "answers" => "answers = [\"...\", \"...\"]",
                    _ => "items = [\"first\", \"second\"]",
                };
                self.error(
                    note.header.clone(),
                    format!("{} card `{}` has no `{key}`", kind.name(), spec.id),
                    format!("add `{example}` to the card"),
                );
                ok = false;
            }
        }
        ok.then_some(kind)
    }

    fn cloze_error(&mut self, table: &DeTable, header: &Range<usize>, text: &str, e: ClozeError) {
        let span = match table.get("text") {
            Some(v) => string_span(self.text, v.span(), text, e.at.clone()),
            None => header.clone(),
        };
        self.error(span, e.message, e.help);
    }
}

/// What a card shows, for the ambiguity check. Choice and order cards show
/// their options, which tell two such cards apart, so they are left out.
fn prompt_of(card: &Card) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    Some(match &card.content() {
        Content::Basic { question, .. } | Content::Multi { question, .. } => {
            Cow::Borrowed(question.trim())
        }
        Content::TrueFalse { statement, .. } => Cow::Borrowed(statement.trim()),
        Content::Cloze { segments, active } => Cow::Owned(
            super::model::cloze::prompt(segments, *active)
                .trim()
                .to_string(),
        ),
        Content::Choice { .. } | Content::Order { .. } => return None,
    })
}

/// The answers a card accepts, folded as the grader folds them.
fn answers_of(card: &Card) -> Vec<String> {
    use super::model::cloze;
    use crate::grade::normalize;
    match &card.content() {
        Content::Basic { answer, accept, .. } => std::iter::once(answer)
            .chain(accept)
            .map(|a| normalize(a))
            .collect(),
        Content::Cloze { segments, active } => {
            vec![normalize(&cloze::answers(segments, *active).join(" "))]
        }
        Content::Multi { answers, .. } => {
            let mut all: Vec<String> = answers.iter().map(|a| normalize(a)).collect();
            all.sort();
            vec![all.join(" ")]
        }
        Content::TrueFalse { answer, .. } => vec![answer.to_string()],
        Content::Choice { .. } | Content::Order { .. } => Vec::new(),
    }
}

fn kind_of(k: KindSpec) -> CardKind {
    match k {
        KindSpec::Basic => CardKind::Basic,
        KindSpec::Cloze => CardKind::Cloze,
        KindSpec::Choice => CardKind::Choice,
        KindSpec::Multi => CardKind::Multi,
        KindSpec::Order => CardKind::Order,
        KindSpec::Truefalse => CardKind::TrueFalse,
    }
}

/// The kind a field belongs to, for "did you mean kind = ..." help.
fn home_kind(key: &str) -> Option<CardKind> {
    Some(match key {
        "text" => CardKind::Cloze,
        "choices" | "group" => CardKind::Choice,
        "answers" => CardKind::Multi,
        "items" => CardKind::Order,
        "accept" | "typed" | "reverse" | "q" | "a" => CardKind::Basic,
        _ => return None,
    })
}

fn keys_of_card() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(keys_of::<CardSpec>)
}

fn keys_of_deck() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(keys_of::<DeckSpec>)
}

fn value_span(table: &DeTable, key: &str) -> Option<Range<usize>> {
    table.get(key).map(toml::Spanned::span)
}

fn key_span(table: &DeTable, key: &str) -> Option<Range<usize>> {
    table.get_key_value(key).map(|(k, _)| k.span())
}

fn array_items(table: &DeTable, key: &str) -> Vec<Range<usize>> {
    match table.get(key).map(toml::Spanned::get_ref) {
        Some(DeValue::Array(items)) => items.iter().map(toml::Spanned::span).collect(),
        _ => Vec::new(),
    }
}

/// Maps a byte range within a string's value to the file. Exact when the
/// string is written without escapes; otherwise the whole value.
fn string_span(file: &str, value: Range<usize>, decoded: &str, at: Range<usize>) -> Range<usize> {
    let raw = file.get(value.clone()).unwrap_or("");
    let mut start = value.start;
    let mut body = raw;
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(rest) = raw.strip_prefix(quote) {
            start += quote.len();
            body = rest.strip_suffix(quote).unwrap_or(rest);
            if quote.len() == 3 {
                for nl in ["\r\n", "\n"] {
                    if let Some(rest) = body.strip_prefix(nl) {
                        start += nl.len();
                        body = rest;
                        break;
                    }
                }
            }
            break;
        }
    }
    if body == decoded {
        start + at.start..start + at.end
    } else {
        value
    }
}

pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A valid id made from any text, for the help line.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// What [`same_text`] compares: trimmed, lower case.
fn fold(s: &str) -> String {
    s.trim().chars().flat_map(char::to_lowercase).collect()
}

/// Equal for the purpose of "this option repeats that one".
fn same_text(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.trim().eq_ignore_ascii_case(b.trim());
    }
    fold(a) == fold(b)
}

/// A TOML syntax error in words a deck author can act on.
fn syntax_message(raw: &str) -> (String, String) {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let lower = raw.to_lowercase();
    let help = if lower.contains("duplicate key") {
        "each key may appear once per table; remove or rename the repeated one"
    } else if lower.contains("must be quoted") || lower.contains("invalid unquoted") {
        "put text in double quotes: `a = \"Yalta\"`"
    } else if lower.contains("string")
        || lower.contains("unterminated")
        || lower.contains("unclosed")
    {
        "close the string with the same quote it opened with, on the same line (use \"\"\" for text over several lines)"
    } else if lower.contains("invalid table header") || lower.contains("duplicate table") {
        "a table header is `[deck]` once, and `[[card]]` (two brackets) before each card"
    } else if lower.contains("key with no value") || lower.contains("expected `=`") {
        "write each entry as `key = value`, with text in double quotes"
    } else if lower.contains("array") {
        "write lists as `[\"one\", \"two\"]`, items separated by commas"
    } else {
        "fix the TOML syntax here: text in double quotes, lists in [ ], one `key = value` per line"
    };
    (format!("TOML syntax: {first}"), help.to_string())
}

/// A serde type error, said about the key.
fn type_message(key: &str, raw: &str) -> (String, String) {
    let example = match key {
        "q" | "text" | "explain" | "source" | "group" | "title" | "description" | "id" => {
            format!("{key} = \"...\"")
        }
        "a" => "a = \"...\" (or a = true / false for a truefalse card)".to_string(),
        "answers" => "answers = [\"...\", { a = \"...\", accept = [\"...\"] }]".to_string(),
        "accept" | "choices" | "items" | "tags" => {
            format!("{key} = [\"...\", \"...\"]")
        }
        "typed" | "reverse" => format!("{key} = true"),
        "kind" => "kind = \"basic\" (or cloze, choice, multi, order, truefalse)".to_string(),
        "retention" => "retention = 0.9".to_string(),
        _ => format!("{key} = ..."),
    };
    if key == "kind" && raw.contains("unknown variant") {
        let given = raw.split('`').nth(1).unwrap_or("");
        let names: Vec<&str> = CardKind::ALL.iter().map(|k| k.name()).collect();
        let help = match suggest::closest(given, &names) {
            Some(s) => format!(
                "did you mean `kind = \"{s}\"`? The kinds are: {}",
                names.join(", ")
            ),
            None => format!("the kinds are: {}", names.join(", ")),
        };
        return (format!("unknown card kind `{given}`"), help);
    }
    let message = match raw.strip_prefix("invalid type: ") {
        Some(rest) => match rest.split_once(", expected ") {
            Some((found, expected)) => {
                format!("`{key}` must be {expected}, but here it is {found}")
            }
            None => format!("`{key}` has the wrong type: {rest}"),
        },
        None if raw.contains("untagged enum AnswerSpec") => {
            format!("`{key}` must be text in quotes, or true/false")
        }
        None if raw.contains("untagged enum MultiItemSpec") => {
            format!("each entry of `{key}` must be text, or a table with `a` and `accept`")
        }
        None => format!(
            "`{key}` is not valid: {}",
            raw.lines().next().unwrap_or(raw)
        ),
    };
    (message, format!("write it like `{example}`"))
}

/// A missing required field, said about the table.
fn missing_message(what: &str, raw: &str) -> (String, String) {
    if let Some(field) = raw
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        let example = match field {
            "id" if what == "card" => "id = \"yalta-1945\"".to_string(),
            "id" => "id = \"treaties\"".to_string(),
            "title" => "title = \"Treaties and declarations\"".to_string(),
            other => format!("{other} = \"...\""),
        };
        let whose = if what == "card" {
            "this card"
        } else {
            "`[deck]`"
        };
        return (
            format!("{whose} has no `{field}`"),
            format!("add `{example}`"),
        );
    }
    (
        format!("{what} is not valid: {raw}"),
        "compare it with docs/deck-format.md".to_string(),
    )
}

/// The model's form of a list of strings from the file.
fn texts(list: Vec<String>) -> Vec<Text> {
    list.into_iter().map(Text::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::builtin;
    use crate::deck::model::ClozeSegment;
    use proptest::prelude::*;

    /// A deck of every kind, with mistakes here and there when asked,
    /// `[sources]`, and text that looks like headers inside strings and
    /// comments.
    fn large_deck(cards: usize, mistakes: bool) -> String {
        let mut text = String::from(
            "# a deck \"quoted\" in a comment\n[deck]\nid = \"big\"\ntitle = \"Big\"\ntags = [\"t\"]\nsource = \"s\"\n[sources]\ns = \"S, Book\"\n\n",
        );
        for i in 0..cards {
            text.push_str("[[card]]\n");
            let card = match i % 7 {
                0 => format!("id = \"c{i}\"\nq = \"Q {i}?\"\na = \"A {i}\"\nwas = [\"o{i}\"]\n"),
                1 => format!(
                    "id = \"c{i}\"\nq = \"Q {}?\"\na = \"B\"\nexplain = 'lit # not a comment'\n",
                    i - 1
                ),
                2 => format!("id = \"c{i}\"\ntext = \"The {{{{c1::v}}}} of {{{{c2::{i}}}}}\"\n"),
                3 => format!(
                    "id = \"c{i}\"\nq = \"\"\"\n[1] cited\nstill text \\\"\"\" {i}\"\"\"\na = true\n"
                ),
                4 => format!(
                    "id = \"c{i}\"\nq = '''\n[not a header]\n'''\nitems = [\n  \"one\",\n  \"two\", # a \"comment\"\n]\n"
                ),
                5 => format!(
                    "id = \"c{i}\"\nq = \"Pick {i}\"\na = \"A {i}\"\nkind = \"choice\"\ngroup = \"g{}\"\n",
                    i % 3
                ),
                _ => format!("id = \"c{i}\"\nq = \"Multi {i}\"\nanswers = [\"p\", \"q\"]\n"),
            };
            text.push_str(&card);
            if mistakes && i % 997 == 0 {
                let slip = match i % 5 {
                    0 => "explian = \"typo\"\n".to_string(),
                    1 => "[[card]]\nid = \"w{i}\"\nq = \"x\"\na = \"y\"\nwas = [\"o0\"]\n"
                        .to_string(),
                    2 => "[[card]]\nid = \"Bad Id\"\nq = \"x\"\na = \"y\"\n".to_string(),
                    3 => format!("[[card]]\nid = \"c{}\"\nq = \"dup\"\na = \"y\"\n", i / 2),
                    _ => "[[card]]\nid = \"cite\"\nq = \"?\"\na = \"z\"\nsource = \"t\"\n"
                        .to_string(),
                };
                text.push_str(&slip);
            }
            text.push('\n');
        }
        text
    }

    #[test]
    fn a_large_deck_checked_in_batches_says_what_a_whole_check_says() {
        for mistakes in [false, true] {
            let text = large_deck(4500, mistakes);
            assert!(card_starts(&text).is_some(), "the batched path is taken");
            let path = Path::new("big.toml");
            let (whole, said) = parse_deck_as(path, &text, false, Checks::All);
            let (batched, said_batched) = parse_deck_as(path, &text, true, Checks::All);
            assert!(said.len() > 3, "{said:?}");
            assert_eq!(said, said_batched);
            assert_eq!(whole.is_some(), !mistakes);
            let deck = |d: Option<ParsedDeck>| d.map(|d| (d.deck, d.id_span));
            assert_eq!(deck(whole), deck(batched));
        }
    }

    #[test]
    fn a_broken_large_deck_reports_what_a_whole_check_reports() {
        for broken in [
            "[[card]]\nid = \"broken\"\nq = \"never closed\na = \"x\"\n",
            "[[card]]\nid = \"twice\"\nq = \"x\"\nq = \"y\"\n",
        ] {
            let mut text = large_deck(2500, false);
            text.insert_str(
                text.len() / 2 + text[text.len() / 2..].find("[[card]]").unwrap(),
                broken,
            );
            let path = Path::new("big.toml");
            let (_, whole) = parse_deck_as(path, &text, false, Checks::All);
            let (_, batched) = parse_deck_as(path, &text, true, Checks::All);
            assert!(!batched.is_empty());
            assert!(batched.iter().all(|d| d.message.starts_with("TOML syntax")));
            assert_eq!(whole, batched);
        }
    }

    /// A `[[card]]` line inside a multi-line string, where the file is cut
    /// into batches (the 257th header line), and a table other than cards
    /// in the middle of the cards: each batched check falls back to the
    /// whole-file check and says exactly what it says.
    #[test]
    fn a_large_deck_cut_where_it_cannot_be_is_checked_whole() {
        let fake = "[[card]]\nid = \"fake\"\nq = \"\"\"\n[[card]]\nid = \"not a card\"\n\"\"\"\na = \"x\"\n\n";
        let other = "[extra]\nx = 1\n\n";
        // The fake note's own header is the 256th: its fake one is a cut.
        for (at, insert) in [(BATCH - 1, fake), (BATCH + 3, other)] {
            let mut text = large_deck(3 * BATCH, false);
            let starts = card_starts(&text).unwrap_or_default();
            text.insert_str(starts[at], insert);
            let cuts = card_starts(&text).map_or(0, |s| s.len());
            assert_eq!(cuts, 3 * BATCH + if insert == fake { 2 } else { 0 });
            let path = Path::new("big.toml");
            let (whole, said) = parse_deck_as(path, &text, false, Checks::All);
            let (batched, said_batched) = parse_deck_as(path, &text, true, Checks::All);
            assert_eq!(said, said_batched);
            let deck = |d: Option<ParsedDeck>| d.map(|d| (d.deck, d.id_span));
            let whole = deck(whole);
            if insert == fake {
                let cards = whole.as_ref().map_or(0, |(d, _)| d.cards.len());
                assert!(cards > 3 * BATCH, "the fake header is text: {cards} cards");
            } else {
                assert!(
                    said.iter()
                        .any(|d| d.message.contains("unknown top-level key `extra`")),
                    "{said:?}"
                );
            }
            assert_eq!(whole, deck(batched));
        }
    }

    proptest! {
        /// Drawn options are deduplicated by folded text: the same as
        /// comparing each pair with `same_text`.
        #[test]
        fn folding_agrees_with_same_text(a in "[ aAkK\u{212a}ßẞİi]{0,4}", b in "[ aAkK\u{212a}ßẞİi]{0,4}") {
            prop_assert_eq!(fold(&a) == fold(&b), same_text(&a, &b));
        }
    }

    #[test]
    fn headers_inside_strings_are_text_and_odd_shapes_are_checked_whole() {
        // Strings are not followed: a header inside one is a cut that a
        // batch's parse refuses (see the large-deck tests).
        let plain = "[deck]\nid = \"d\"\n[sources]\n[[card]]\nq = \"\"\"\n[[card]]\n\"\"\"\n  [[card]] # c\n";
        assert_eq!(card_starts(plain), Some(vec![26, 43, 56]));
        for inside in [
            "[deck]\n[[card]]\n[card.x]\n",
            "[deck]\n[[card]]\nitems = [\n[\"nested\"]]\n",
            "[deck]\n[[card]]\nq = '''\n[1] a line of text\n'''\n",
            "[deck]\n[[card]]\n[[ card ]]\n",
        ] {
            assert_eq!(card_starts(inside), Some(vec![7]), "{inside}");
        }
        for odd in [
            "[[card]]\n[deck]\n",
            "[deck]\n[deck]\n[[card]]\n",
            "[deck]\n[[card]]\n[sources]\n",
            "[deck]\n[sources]\n[sources]\n[[card]]\n",
            "[sources]\n[[card]]\n",
        ] {
            assert_eq!(card_starts(odd), None, "{odd}");
        }
    }

    /// What serde makes of a card's table, as text to compare (None when it
    /// refuses it).
    fn typed_by_serde(table: &DeTable) -> Option<String> {
        use serde::Deserialize as _;
        let value = Spanned::new(0..0, DeValue::Table(table.clone()));
        CardSpec::deserialize(ValueDeserializer::from(value))
            .ok()
            .map(|spec| format!("{spec:?}"))
    }

    #[test]
    fn cards_typed_directly_are_typed_as_serde_types_them() {
        let mut tables = 0;
        let mut direct = 0;
        let odd = r#"
[[card]]
id = "n"
q = "Q"
a = 5
[[card]]
id = "b"
kind = "Basic"
[[card]]
id = "c"
answers = ["x", { a = "y", accept = ["z"] }, { a = "w" }]
[[card]]
id = "d"
answers = [{ accept = ["z"] }]
[[card]]
id = "e"
answers = [{ a = "y", other = 1 }]
[[card]]
id = "f"
accept = ["x", 1]
[[card]]
q = "no id"
[[card]]
id = "g"
typed = "yes"
a = true
kind = "truefalse"
[[card]]
id = "h"
tags = []
was = ["old", "d/older"]
quote = "Said."
reverse = false
"#;
        let texts = builtin::DECKS.iter().map(|(_, text)| *text).chain([odd]);
        for text in texts {
            let root = DeTable::parse(text).expect("toml");
            let Some(DeValue::Array(cards)) = root.get_ref().get("card").map(Spanned::get_ref)
            else {
                panic!("cards");
            };
            for card in cards {
                let DeValue::Table(table) = card.get_ref() else {
                    panic!("table");
                };
                tables += 1;
                let serde = typed_by_serde(table);
                if let Some(spec) = CardSpec::from_plain_table(table) {
                    direct += 1;
                    assert_eq!(Some(format!("{spec:?}")), serde, "{table:?}");
                }
            }
        }
        // Every shipped card, and the two well-typed odd ones, take the
        // direct way.
        let shipped: usize = builtin::DECKS
            .iter()
            .map(|(_, text)| text.matches("[[card]]").count())
            .sum();
        assert_eq!(direct, shipped + 2, "of {tables}");
    }

    proptest! {
        /// Any card table of known keys with values of any type: typed
        /// directly, it is what serde makes of it.
        #[test]
        fn any_card_typed_directly_is_typed_as_serde_types_it(
            fields in proptest::collection::btree_map(
                "id|kind|q|a|accept|typed|reverse|text|choices|answers|items|group|explain|source|tags|quote|was",
                proptest::sample::select(vec![
                    r#""x""#,
                    r#""basic""#,
                    r#""cloze""#,
                    "true",
                    "3",
                    "[]",
                    r#"["a", "b"]"#,
                    r#"["a", 2]"#,
                    r#"[{ a = "y" }, "z"]"#,
                    r#"[{ a = "y", accept = ["w"] }]"#,
                    r#"[{ accept = ["w"] }]"#,
                    r#"{ a = "y" }"#,
                ]),
                0..8,
            )
        ) {
            let text: String = fields.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            let root = DeTable::parse(&text).expect("toml");
            if let Some(spec) = CardSpec::from_plain_table(root.get_ref()) {
                prop_assert_eq!(Some(format!("{spec:?}")), typed_by_serde(root.get_ref()));
            }
        }
    }

    #[test]
    fn checking_errors_only_makes_the_same_deck_and_errors_and_no_warnings() {
        // Warnings of several kinds (the same prompt twice, a choice card
        // with too few answers to draw from, a source never cited), in a
        // small file and in one large enough to be checked in batches.
        let warned = "[deck]\nid = \"w\"\ntitle = \"W\"\n\n[sources]\nunused = \"Never cited\"\n\n\
            [[card]]\nid = \"a\"\nq = \"Same?\"\na = \"one\"\n\n\
            [[card]]\nid = \"b\"\nq = \"Same?\"\na = \"two\"\n\n\
            [[card]]\nid = \"c\"\nkind = \"choice\"\nq = \"Pick\"\na = \"x\"\n";
        let mut large = warned.to_string();
        for i in 0..25_000 {
            large.push_str(&format!(
                "\n[[card]]\nid = \"n{i}\"\nq = \"Question {i}?\"\na = \"Answer {i}\"\n"
            ));
        }
        let broken = format!("{warned}\n[[card]]\nid = \"e\"\nq = \"\"\na = \"y\"\nbogus = 1\n");
        for text in [warned, large.as_str(), broken.as_str()] {
            let path = Path::new("t.toml");
            let (all, said) = parse_deck_checking(path, text, Checks::All);
            let (quiet, said_quietly) = parse_deck_checking(path, text, Checks::ErrorsOnly);
            assert!(said.iter().any(|d| !d.is_error()), "the text has warnings");
            let errors: Vec<&Diagnostic> = said.iter().filter(|d| d.is_error()).collect();
            assert_eq!(said_quietly.iter().collect::<Vec<_>>(), errors);
            assert_eq!(all.map(|p| p.deck), quiet.map(|p| p.deck));
        }
    }

    fn parse(text: &str) -> (Option<Deck>, Vec<Diagnostic>) {
        let (deck, diagnostics) = parse_deck(Path::new("t.toml"), text);
        (deck.map(|d| d.deck), diagnostics)
    }

    const GOOD: &str = r#"
[deck]
id = "treaties"
title = "Treaties"
description = "Border treaties."
tags = ["history"]
source = "Deck source"
retention = 0.85

[[card]]
id = "shimoda"
q = "Treaty of 1855?"
a = "Shimoda"
accept = ["Treaty of Shimoda"]
typed = true
reverse = true
tags = ["1855"]

[[card]]
id = "cl"
text = "{{c1::Yalta}} in {{c2::1945::year}}"
source = "Own source"

[[card]]
id = "ch"
q = "Largest?"
a = "Etorofu"
choices = ["Kunashiri"]

[[card]]
id = "m"
q = "Two islands"
answers = ["Shikotan", "Habomai"]

[[card]]
id = "o"
q = "Order"
items = ["1855", "1875"]

[[card]]
id = "tf"
q = "A treaty was signed."
a = false
explain = "None was."
"#;

    #[test]
    fn a_good_deck_loads_to_the_expected_model() {
        let (deck, diagnostics) = parse(GOOD);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let deck = deck.expect("deck");
        assert_eq!(deck.id, "treaties");
        assert_eq!(deck.retention, Some(0.85));
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "shimoda",
                "shimoda:reverse",
                "cl:c1",
                "cl:c2",
                "ch",
                "m",
                "o",
                "tf"
            ]
        );
        let shimoda = &deck.cards[0];
        assert_eq!(shimoda.key(), "treaties/shimoda");
        assert_eq!(shimoda.tags(), ["1855", "history"]);
        assert_eq!(shimoda.source(), Some("Deck source"));
        assert_eq!(shimoda.line, 10);
        assert_eq!(
            *shimoda.content(),
            Content::Basic {
                question: "Treaty of 1855?".into(),
                answer: "Shimoda".into(),
                accept: vec!["Treaty of Shimoda".into()],
                typed: true,
            }
        );
        let reverse = &deck.cards[1];
        assert_eq!(reverse.note_id, "shimoda");
        assert!(
            matches!(&reverse.content(), Content::Basic { question, answer, .. } if question == "Shimoda" && answer == "Treaty of 1855?")
        );
        let cloze = &deck.cards[3];
        assert_eq!(cloze.note_id, "cl");
        assert_eq!(cloze.source(), Some("Own source"));
        let Content::Cloze { segments, active } = &cloze.content() else {
            panic!("cloze expected")
        };
        assert_eq!(*active, 2);
        assert_eq!(
            crate::deck::model::cloze::prompt(segments, 2),
            "Yalta in [year]"
        );
        assert_eq!(
            segments[2],
            ClozeSegment::Deletion {
                group: 2,
                answer: "1945".into(),
                accept: Vec::new(),
                hint: Some("year".into())
            }
        );
        assert_eq!(deck.cards[5].kind(), CardKind::Multi);
        assert_eq!(deck.cards[6].kind(), CardKind::Order);
        assert_eq!(
            *deck.cards[7].content(),
            Content::TrueFalse {
                statement: "A treaty was signed.".into(),
                answer: false
            }
        );
        assert_eq!(deck.cards[7].explain(), Some("None was."));
    }

    #[test]
    fn choice_without_choices_draws_from_its_group() {
        let text = r#"
[deck]
id = "d"
title = "T"
source = "s"
[[card]]
id = "a"
q = "Q"
a = "1951"
kind = "choice"
group = "years"
[[card]]
id = "b"
q = "Q2"
a = "1956"
group = "years"
[[card]]
id = "c"
q = "Q3"
a = "1855"
group = "years"
[[card]]
id = "d"
q = "Q4"
a = "Yalta"
"#;
        let (deck, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let deck = deck.expect("deck");
        let Content::Choice { distractors, .. } = &deck.cards[0].content() else {
            panic!("choice expected")
        };
        assert_eq!(distractors, &["1956", "1855"]);
    }

    const SOURCED: &str = r#"
[deck]
id = "d"
title = "T"
source = "miller2004"

[sources]
miller2004 = "John H. Miller, Russia-Japan Relations: Prisoners of History?, APCSS, October 2004"
eyal = "Jonathan Eyal, Russia and Japan: Wrong Premise, Unrealistic Expectations, RUSI"

[[card]]
id = "a"
q = "Q?"
a = "A"

[[card]]
id = "b"
q = "Q2?"
a = "B"
source = "eyal,miller2004"
"#;

    #[test]
    fn cards_cite_sources_by_key_and_the_deck_spells_them_out() {
        let (deck, diagnostics) = parse(SOURCED);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let deck = deck.expect("deck");
        assert_eq!(deck.cards[0].source(), Some("miller2004"));
        assert_eq!(deck.cards[1].source(), Some("eyal, miller2004"));
        let full = deck.citation(&deck.cards[1]).expect("citation");
        assert!(full.starts_with("eyal: Jonathan Eyal"), "{full}");
        assert!(full.contains("\nmiller2004: John H. Miller"), "{full}");
    }

    #[test]
    fn an_unknown_source_key_is_an_error_with_a_suggestion() {
        let text = SOURCED.replace("eyal,miller2004", "eyal, miler2004");
        let (deck, diagnostics) = parse(&text);
        assert!(deck.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].message, "unknown source `miler2004`");
        assert_eq!(diagnostics[0].help, "did you mean `miller2004`?");
    }

    #[test]
    fn a_source_never_cited_is_a_warning() {
        let text = SOURCED.replace("eyal,miller2004", "miller2004");
        let (deck, diagnostics) = parse(&text);
        assert!(deck.is_some());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].message, "source `eyal` is never cited");
        assert!(!diagnostics[0].is_error());
    }

    #[test]
    fn a_tag_that_is_the_answer_is_a_warning() {
        let text = "[deck]\nid = \"d\"\ntitle = \"T\"\nsource = \"s\"\n\n[[card]]\nid = \"sf\"\nq = \"In which year was the treaty signed?\"\na = \"1951\"\ntags = [\"1951\"]\n\n[[card]]\nid = \"c\"\ntext = \"Signed in {{c1::1951}} at {{c2::San Francisco}}\"\ntags = [\"san francisco\"]\n";
        let (deck, diagnostics) = parse(text);
        assert!(deck.is_some());
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "card `sf` shows its answer `1951` as a tag",
                "card `c:c2` shows its answer `san francisco` as a tag"
            ]
        );
    }

    fn deck_of(cards: &str) -> String {
        format!("[deck]\nid = \"d\"\ntitle = \"T\"\nsource = \"s\"\n{cards}")
    }

    #[test]
    fn a_deck_whose_answers_are_mostly_the_longest_option_is_warned() {
        let choice = |i: usize, answer: &str| {
            format!(
                "[[card]]\nid = \"c{i}\"\nq = \"Q{i}?\"\na = \"{answer}\"\nchoices = [\"short\", \"tiny\"]\n"
            )
        };
        let mostly: String = (0..4)
            .map(|i| choice(i, if i < 3 { "a long answer" } else { "no" }))
            .collect();
        let (_, diagnostics) = parse(&deck_of(&mostly));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(
            diagnostics[0].message,
            "in 3 of 4 choice cards the answer is the longest option"
        );
        let half: String = (0..4)
            .map(|i| choice(i, if i < 2 { "a long answer" } else { "no" }))
            .collect();
        assert!(parse(&deck_of(&half)).1.is_empty());
    }

    #[test]
    fn true_false_statements_outside_35_to_65_percent_true_are_warned() {
        let statements = |trues: usize, all: usize| -> String {
            (0..all)
                .map(|i| {
                    format!(
                        "[[card]]\nid = \"t{i}\"\nq = \"S{i}.\"\na = {}\n",
                        i < trues
                    )
                })
                .collect()
        };
        let (_, diagnostics) = parse(&deck_of(&statements(1, 5)));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(
            diagnostics[0].message,
            "1 of 5 true/false statements are true (20%)"
        );
        assert!(parse(&deck_of(&statements(2, 5))).1.is_empty());
        assert!(
            parse(&deck_of(&statements(0, 3))).1.is_empty(),
            "too few to tell"
        );
    }

    #[test]
    fn a_file_with_errors_yields_no_deck() {
        let (deck, diagnostics) =
            parse("[deck]\nid = \"d\"\ntitle = \"T\"\n[[card]]\nid = \"x\"\nq = \"Q\"\n");
        assert!(deck.is_none());
        assert_eq!(diagnostics.len(), 1);
    }

    #[test]
    fn multi_items_and_cloze_blanks_carry_accepted_answers() {
        let text = r#"
[deck]
id = "d"
title = "T"
source = "s"
[[card]]
id = "m"
q = "The two largest islands"
answers = [{ a = "Etorofu", accept = ["Iturup"] }, "Kunashiri", { a = "Washington, D.C." }]
[[card]]
id = "c"
text = "{{c1::sixty|60::a number}} years"
"#;
        let (deck, diagnostics) = parse(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let deck = deck.expect("deck");
        assert_eq!(
            *deck.cards[0].content(),
            Content::Multi {
                question: "The two largest islands".into(),
                answers: vec![
                    "Etorofu".into(),
                    "Kunashiri".into(),
                    "Washington, D.C.".into()
                ],
                accept: vec![vec!["Iturup".into()], vec![], vec![]],
            }
        );
        let Content::Cloze { segments, active } = &deck.cards[1].content() else {
            panic!("cloze expected")
        };
        assert_eq!(
            crate::deck::model::cloze::blanks(segments, *active),
            [("sixty", &["60".into()][..])]
        );
        assert_eq!(
            crate::deck::model::cloze::prompt(segments, *active),
            "[a number] years"
        );
        assert_eq!(
            crate::deck::model::cloze::full_text(segments),
            "sixty years"
        );
    }

    #[test]
    fn mistakes_in_multi_item_tables_are_pointed_at() {
        let text = "[deck]\nid = \"d\"\ntitle = \"T\"\nsource = \"s\"\n[[card]]\nid = \"m\"\nq = \"Q\"\nanswers = [{ a = \"Etorofu\", acept = [\"Iturup\"] }, { accept = [\"x\"] }, \"Kunashiri\"]\n";
        let (deck, diagnostics) = parse(text);
        assert!(deck.is_none());
        let messages: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{}:{} {} | {}", d.line, d.column, d.message, d.help))
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("8:29 unknown key `acept`"),
            "{messages:?}"
        );
        assert!(
            messages[0].contains("did you mean `accept`"),
            "{messages:?}"
        );
        assert!(messages[1].contains("has no `a`"), "{messages:?}");
    }

    #[test]
    fn ids_and_slugs() {
        assert!(is_valid_id("yalta-1945"));
        assert!(!is_valid_id("Yalta"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
        assert_eq!(slugify("Yalta Conference (1945)"), "yalta-conference-1945");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// No text, however broken, panics the loader, and every problem
        /// points inside the file.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let (_, diagnostics) = parse(&text);
            let lines = text.split('\n').count();
            for d in diagnostics {
                prop_assert!(d.line >= 1 && d.line <= lines);
            }
        }

        /// Damage to a valid deck (a cut, an insertion) is reported, never a panic.
        #[test]
        fn damaged_decks_never_panic(at in 0usize..GOOD.len(), len in 0usize..12, insert in "[\\[\\]{}\"'=,\\n#a-z0-9 ]{0,6}") {
            let mut text = GOOD.to_string();
            let start = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (start + len..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.replace_range(start..end, &insert);
            let _ = parse(&text);
        }
    }
}

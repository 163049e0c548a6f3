//! From a sentence and its terms to the cards a teacher would keep: a
//! "When was ...?" or "Who ...?" question where the sentence has that shape,
//! a choice card whose wrong options are terms of the same kind from the
//! same document, and otherwise a cloze on the key terms (one blank per
//! card, the blanks of one sentence one note). No card blanks a word the
//! rest of it gives away, and no fact is asked twice.

use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::facts::{self, Kind, Term};
use super::segment::Sentence;

/// One drafted card, before it is written out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftCard {
    pub id: String,
    pub body: Body,
    /// `document:line`.
    pub source: String,
    pub quote: String,
    pub tags: Vec<String>,
    /// 0 to 1: how likely the author keeps the card as it is.
    pub confidence: f64,
    /// The sentence's position in the document, for spreading `--max`.
    pub index: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    Cloze {
        text: String,
    },
    Basic {
        q: String,
        a: String,
        accept: Vec<String>,
    },
    Choice {
        q: String,
        a: String,
        choices: Vec<String>,
    },
}

impl Body {
    /// The answers a learner gives, for checks and tests.
    pub(crate) fn answers(&self) -> Vec<String> {
        match self {
            Body::Basic { a, .. } | Body::Choice { a, .. } => vec![a.clone()],
            Body::Cloze { text } => text
                .split("{{")
                .skip(1)
                .filter_map(|d| d.split("}}").next())
                .filter_map(|d| d.split("::").nth(1))
                .map(str::to_string)
                .collect(),
        }
    }
}

/// What a document offers every sentence: how often each term occurs, and
/// the terms of each kind to draw wrong options from.
#[derive(Debug, Default)]
pub(crate) struct DocContext {
    pub name: String,
    /// Terms used in so many sentences that they are the topic, not a fact.
    pub topic: HashSet<String>,
    /// Distinct terms by kind, most frequent first.
    pub pools: Vec<(Kind, Vec<String>)>,
    /// In how many sentences each term is used: a rare term teaches more.
    pub counts: HashMap<String, usize>,
}

impl DocContext {
    fn pool(&self, kind: Kind) -> &[String] {
        self.pools
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, p)| p.as_slice())
    }
}

/// Facts already drafted, to ask each once.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// The words around each answer drafted, by answer.
    facts: FxHashMap<String, Vec<FxHashSet<String>>>,
    /// The words of the sentences drafted, and the latest of them by term,
    /// so a repeated sentence is compared with those sharing its terms
    /// only: drafting stays linear in the document's length.
    sentences: Vec<FxHashSet<String>>,
    by_term: FxHashMap<String, Vec<usize>>,
    ids: HashSet<String>,
    /// Counts choice-eligible facts, so every third becomes a choice card.
    eligible: usize,
}

fn jaccard(a: &FxHashSet<String>, b: &FxHashSet<String>) -> f64 {
    // Sets of very different sizes cannot reach the thresholds used here.
    let (small, large) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if small.len() * 3 < large.len() {
        return small.len() as f64 / large.len() as f64;
    }
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

/// Whether a sentence is fit to be a card at all: a whole statement of
/// reasonable length, not a title, caption or question.
fn usable(s: &str) -> bool {
    let words = s.split_whitespace().count();
    let cjk = s
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase())
        .count();
    let long_enough = words >= 6 || cjk >= 8;
    let ends = s
        .trim_end_matches(['"', '”', '’', '\'', ')', '」', '»'])
        .ends_with(['.', '!', '。', '！']);
    // Forms and tables: shouting capitals, columns of spaces, tabs.
    let (upper, cased) = s.chars().fold((0, 0), |(u, c), ch| {
        (
            u + usize::from(ch.is_uppercase()),
            c + usize::from(ch.is_uppercase() || ch.is_lowercase()),
        )
    });
    let tabular = upper * 10 > cased * 3 || s.contains("   ") || s.contains('\t');
    // A fragment cut at a page break starts in lowercase.
    let starts_low = s
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase);
    long_enough
        && !tabular
        && !starts_low
        && words <= 60
        && s.chars().count() <= 400
        && ends
        && !s.contains(['{', '}'])
        && !s.contains("::")
        && !s.contains("http")
}

/// Whether the term is given away by the rest of the sentence: its text, or
/// one of its longer words, appears outside it.
fn given_away(s: &str, t: &Term) -> bool {
    let rest = format!("{} {}", &s[..t.start], &s[t.end..]).to_lowercase();
    let text = t.text.to_lowercase();
    if rest.contains(&text) {
        return true;
    }
    if matches!(t.kind, Kind::Year | Kind::Date | Kind::Quantity) {
        return false;
    }
    text.split([' ', '-'])
        .filter(|w| {
            w.chars().count() >= 4 && !matches!(*w, "treaty" | "islands" | "island" | "war")
        })
        .any(|w| rest.split(|c: char| !c.is_alphanumeric()).any(|r| r == w))
}

/// The cards of one sentence.
pub(crate) fn make(
    sentence: &Sentence,
    terms: &[Term],
    ctx: &DocContext,
    seen: &mut Seen,
) -> Vec<DraftCard> {
    let s = sentence.text.as_str();
    if !usable(s) {
        return Vec::new();
    }
    let words: FxHashSet<String> = facts::content_words(s).into_iter().collect();
    // A sentence said again (a summary repeating the body) is not a new fact.
    let keys: Vec<&str> = terms
        .iter()
        .filter(|t| !ctx.topic.contains(&t.text))
        .map(|t| t.text.as_str())
        .collect();
    let repeated = keys.iter().any(|k| {
        seen.by_term.get(*k).is_some_and(|ids| {
            ids.iter()
                .any(|&i| jaccard(&seen.sentences[i], &words) >= 0.8)
        })
    });
    if words.len() >= 3 && repeated {
        return Vec::new();
    }
    let cites = citations(s, terms);
    let mut candidates: Vec<&Term> = terms
        .iter()
        .filter(|t| !ctx.topic.contains(&t.text))
        .filter(|t| !cites.iter().any(|r| r.start <= t.start && t.end <= r.end))
        .filter(|t| t.text.split_whitespace().count() <= 6)
        .filter(|t| !given_away(s, t))
        .filter(|t| {
            // The same fact (an answer with much the same words around it)
            // once; and no answer more than twice, however it is put.
            let same = seen
                .facts
                .get(&t.text.to_lowercase())
                .map_or(&[][..], Vec::as_slice);
            same.len() < 2 && !same.iter().any(|w| jaccard(w, &words) >= 0.34)
        })
        .collect();
    let weight = |t: &Term| {
        t.kind.weight()
            + 1.5 / ctx.counts.get(&t.text).copied().unwrap_or(1).max(1) as f64
            + if t.text.contains(' ') { 0.3 } else { 0.0 }
    };
    candidates.sort_by(|a, b| weight(b).total_cmp(&weight(a)).then(a.start.cmp(&b.start)));
    candidates.truncate(2);
    if candidates.is_empty() {
        return Vec::new();
    }
    let info: f64 = candidates.iter().map(|t| weight(t)).sum();
    let n_words = s.split_whitespace().count();
    let length = match n_words {
        0..=7 => 0.8,
        8..=30 => 1.0,
        31..=45 => 0.85,
        _ => 0.7,
    };
    let score = |base: f64| ((base * length * (1.0 - (-info / 3.0).exp())) * 100.0).round() / 100.0;
    let source = format!("{}:{}", ctx.name, sentence.line);
    let tags: Vec<String> = sentence
        .headings
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|h| tag(h))
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut card = |seen: &mut Seen, answer: &str, body: Body, confidence: f64| {
        let base = slug(answer, 4);
        let base = if base.is_empty() {
            "card".to_string()
        } else {
            base
        };
        let mut id = format!("{base}-l{}", sentence.line);
        let mut n = 2;
        while seen.ids.contains(&id) {
            id = format!("{base}-l{}-{n}", sentence.line);
            n += 1;
        }
        seen.ids.insert(id.clone());
        out.push(DraftCard {
            id,
            body,
            source: source.clone(),
            quote: s.to_string(),
            tags: tags.clone(),
            confidence,
            index: sentence.index,
        });
    };

    let mut rest: Vec<&Term> = candidates.clone();
    // "When was X signed?" and "Who ...?" where the sentence has the shape.
    // The terms the question names are its context, not further facts.
    if let Some((t, q)) = rest
        .iter()
        .find_map(|t| when_question(s, t).map(|q| (*t, q)))
    {
        rest.retain(|r| r.start != t.start && !q.contains(&r.text));
        card(
            seen,
            &t.text,
            Body::Basic {
                q,
                a: t.text.clone(),
                accept: Vec::new(),
            },
            score(0.9),
        );
    } else if let Some((t, q)) = rest
        .iter()
        .find_map(|t| who_question(s, t).map(|q| (*t, q)))
    {
        let accept = match t.text.rsplit_once(' ') {
            Some((_, last)) if last.chars().count() >= 3 => vec![last.to_string()],
            _ => Vec::new(),
        };
        rest.retain(|r| r.start != t.start && !q.contains(&r.text));
        card(
            seen,
            &t.text,
            Body::Basic {
                q,
                a: t.text.clone(),
                accept,
            },
            score(0.85),
        );
    }
    // Every third fact with enough terms of its kind becomes a choice card.
    if let Some(t) = rest.first().copied()
        && matches!(
            t.kind,
            Kind::Year | Kind::Date | Kind::Person | Kind::Event | Kind::Place | Kind::Organisation
        )
    {
        let wrong = distractors(t, s, ctx.pool(t.kind));
        if wrong.len() == 3 {
            seen.eligible += 1;
            if seen.eligible.is_multiple_of(3) {
                let gap = format!("{}_____{}", &s[..t.start], &s[t.end..]);
                let q = format!("Which {} fills the gap? {}", t.kind.noun(), gap);
                card(
                    seen,
                    &t.text,
                    Body::Choice {
                        q,
                        a: t.text.clone(),
                        choices: wrong,
                    },
                    score(0.75),
                );
                rest.remove(0);
            }
        }
    }
    if !rest.is_empty() {
        rest.sort_by_key(|t| t.start);
        let mut text = String::new();
        let mut at = 0;
        for (i, t) in rest.iter().enumerate() {
            text.push_str(&s[at..t.start]);
            let hint = match t.kind {
                Kind::Year | Kind::Date | Kind::Person => format!("::{}", t.kind.noun()),
                Kind::Quantity => "::number".to_string(),
                _ => String::new(),
            };
            text.push_str(&format!("{{{{c{}::{}{hint}}}}}", i + 1, t.text));
            at = t.end;
        }
        text.push_str(&s[at..]);
        let best = rest.iter().map(|t| t.kind.weight()).fold(0.0, f64::max) / 3.0;
        card(
            seen,
            &rest[0].text,
            Body::Cloze { text },
            score(0.6 + 0.2 * best),
        );
    }
    for t in &candidates {
        seen.facts
            .entry(t.text.to_lowercase())
            .or_default()
            .push(words.clone());
    }
    let at = seen.sentences.len();
    for k in keys {
        let ids = seen.by_term.entry(k.to_string()).or_default();
        if ids.len() == 16 {
            ids.remove(0);
        }
        ids.push(at);
    }
    seen.sentences.push(words);
    out
}

/// Parentheses that cite a source ("(KyodoNews, December 5)", "(MID;
/// Kommersant, November 30)"): their names and dates are not facts.
fn citations(s: &str, terms: &[Term]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = s[from..].find('(').map(|o| from + o) {
        let Some(close) = s[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inside = &s[open..close];
        let dated = terms
            .iter()
            .any(|t| t.kind == Kind::Date && open < t.start && t.end <= close);
        if inside.contains(';') || (dated && inside.contains(',')) {
            out.push(open..close);
        }
        from = close;
    }
    out
}

/// Three wrong options of the same kind from the same document: for a year
/// the nearest years, else the most used terms; none that the sentence
/// mentions or that shares a word with the answer.
fn distractors(t: &Term, s: &str, pool: &[String]) -> Vec<String> {
    let answer = t.text.to_lowercase();
    // Words cut to 4 letters, so "Kuril Islands" is no wrong option for
    // "Kurils".
    let stem = |w: &str| w.chars().take(4).collect::<String>();
    let answer_words: HashSet<String> = answer.split_whitespace().map(stem).collect();
    let lower = s.to_lowercase();
    let mut options: Vec<&String> = pool
        .iter()
        .filter(|p| {
            let pl = p.to_lowercase();
            pl != answer
                && !lower.contains(&pl)
                && !pl
                    .split_whitespace()
                    .any(|w| answer_words.contains(&stem(w)))
                && (t.kind != Kind::Event || event_sort(&pl) == event_sort(&answer))
        })
        .collect();
    if t.kind == Kind::Year
        && let Ok(year) = t.text.parse::<i64>()
    {
        options.sort_by_key(|p| p.parse::<i64>().map_or(i64::MAX, |y| (y - year).abs()));
    }
    let mut out: Vec<String> = Vec::new();
    for o in options {
        if out.len() == 3 {
            break;
        }
        if !out.iter().any(|x| x.eq_ignore_ascii_case(o)) {
            out.push(o.clone());
        }
    }
    out
}

/// Events of one sort only make plausible wrong options for each other: a
/// war for a war, a treaty for a treaty, a summit for a summit.
fn event_sort(lower: &str) -> u8 {
    let has = |words: &[&str]| lower.split([' ', '-']).any(|w| words.contains(&w));
    if has(&[
        "war",
        "intervention",
        "battle",
        "crisis",
        "revolution",
        "incident",
    ]) {
        0
    } else if has(&["conference", "summit", "talks", "games", "olympics"]) {
        1
    } else {
        2
    }
}

/// "X was signed in 1855." → "When was X signed?"
fn when_question(s: &str, t: &Term) -> Option<String> {
    if !matches!(t.kind, Kind::Year | Kind::Date) {
        return None;
    }
    for aux in [" was ", " were "] {
        let Some(p) = s.find(aux) else { continue };
        let subject = &s[..p];
        let n = subject.split_whitespace().count();
        if !(1..=10).contains(&n) || subject.contains([',', ';', ':', '(']) || p > t.start {
            continue;
        }
        let after = &s[p + aux.len()..];
        let participle = after.split_whitespace().next()?;
        if !(participle.ends_with("ed")
            || participle.ends_with("en")
            || matches!(
                participle,
                "held"
                    | "signed"
                    | "made"
                    | "won"
                    | "lost"
                    | "built"
                    | "drawn"
                    | "sold"
                    | "born"
                    | "set"
                    | "struck"
                    | "found"
            ))
        {
            continue;
        }
        // "in 1855" or "on 2 September 1945" right before the term.
        let before = s[..t.start].trim_end();
        let prep = ["in", "on", "In", "On"]
            .into_iter()
            .find(|w| before.ends_with(&format!(" {w}")))?;
        let cut = before.len() - prep.len() - 1;
        if cut < p + aux.len() {
            return None;
        }
        let middle = s[p + aux.len()..cut].trim_end_matches([',', ' ']);
        let tail = s[t.end..]
            .trim_end_matches(['.', '!', '。'])
            .trim_start_matches(',');
        let rest = format!("{middle}{tail}");
        if rest.split_whitespace().count() > 14 {
            return None;
        }
        let mut subject = subject.trim().to_string();
        let first = subject.split_whitespace().next().unwrap_or("");
        if matches!(
            first,
            "The" | "A" | "An" | "This" | "These" | "Its" | "Their"
        ) {
            subject = lower_first(&subject);
        }
        let when = if t.kind == Kind::Date {
            "On what date"
        } else {
            "In which year"
        };
        return Some(format!(
            "{when}{} {subject} {}?",
            aux.trim_end(),
            rest.trim()
        ));
    }
    None
}

/// "[Russian Foreign Minister] Sergei Lavrov insisted that ..." → "Which
/// Russian Foreign Minister insisted that ...?" (or "Who ...?").
fn who_question(s: &str, t: &Term) -> Option<String> {
    if t.kind != Kind::Person {
        return None;
    }
    let mut prefix = s[..t.start].trim();
    // "In 2018, the late Prime Minister Abe Shinzo hinted ...": the time
    // goes to the end of the question.
    let mut when = String::new();
    for lead in ["In ", "On ", "By ", "After ", "Since ", "Until "] {
        if let Some(rest) = prefix.strip_prefix(lead)
            && let Some((time, after)) = rest.split_once(", ")
            && time.chars().any(|c| c.is_ascii_digit())
            && time.split_whitespace().count() <= 3
        {
            when = format!("{lead}{time}, ");
            prefix = after.trim();
            break;
        }
    }
    let prefix = prefix.strip_prefix("the ").unwrap_or(prefix);
    // Only titles, and words like "late" or "former", may stand before the
    // name.
    if !prefix.split_whitespace().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || matches!(w, "late" | "former" | "then" | "then-Prime" | "new")
    }) {
        return None;
    }
    let verb = facts::verb_after(s, t.end)?;
    let rest = s[verb..].trim_end_matches(['.', '!', '。']);
    if rest.split_whitespace().count() > 30 || rest.split_whitespace().count() < 3 {
        return None;
    }
    let who = match (prefix.is_empty(), when.is_empty()) {
        (true, true) => "Who".to_string(),
        (true, false) => "who".to_string(),
        (false, true) => format!("Which {prefix}"),
        (false, false) => format!("which {prefix}"),
    };
    Some(format!("{when}{who} {rest}?"))
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A valid id fragment from the first `words` words of any text: lowercase
/// ASCII letters and digits joined by '-' (other scripts are dropped).
pub(crate) fn slug(text: &str, words: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        parts.push(w.to_ascii_lowercase());
        if parts.len() == words {
            break;
        }
    }
    parts.join("-")
}

/// A tag from a heading: its first three words that say something,
/// lowercase, joined by '-' ("A Troubled History" → `troubled-history`).
fn tag(heading: &str) -> String {
    const SMALL: &[&str] = &[
        "the", "a", "an", "of", "and", "to", "in", "for", "on", "s", "at", "by", "with",
    ];
    let words: Vec<String> = heading
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !SMALL.contains(&w.as_str()))
        .take(3)
        .collect();
    words.join("-")
}

//! Fair grading of typed answers. Both sides are folded before comparing:
//! Unicode NFKC (full-width ↔ half-width), case, accents and macrons,
//! punctuation (Western and Japanese), spacing, a leading English article,
//! and numbers (`sixty` is `60`, `second` is `2nd`).
//!
//! The principle: a typo is forgiven only when what was typed is not itself
//! another word or name the learner might mean. `Kunashri` is no word, so it
//! is a slip for `Kunashiri`; `Iraq` is a name, so it is not a slip for
//! `Iran` but "close" (counted wrong; the learner may press `r` if it was a
//! slip). Words of three letters or fewer are never forgiven a typo, words
//! of up to five letters not one in the first letter, and a wrong digit is
//! never a typo (1855 is not 1885, `fifth` is not `fifty`).

mod diff;
mod distance;
mod lexicon;
mod numbers;

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub(crate) use diff::diff;

use crate::deck::Text;
use crate::rating::Rating;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Verdict {
    Wrong,
    /// Within a slip of an accepted answer, but what was typed is itself
    /// another word or name (`Iraq` for `Iran`), or a short word with another
    /// first letter (`Bali` for `Mali`): counted wrong, and the learner may
    /// say it was a slip.
    Close,
    /// Right but for a small slip.
    Typo,
    Exact,
}

impl Verdict {
    pub(crate) fn is_right(self) -> bool {
        self >= Verdict::Typo
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grade {
    pub verdict: Verdict,
    /// Which accepted form matched best (the expected answer or an alias);
    /// for a close answer, the one it was close to.
    pub matched: Option<String>,
}

impl Grade {
    pub(crate) fn is_right(&self) -> bool {
        self.verdict.is_right()
    }

    /// Wrong or close: Again; right with a slip: Hard; right: Good.
    pub(crate) fn suggested(&self) -> Rating {
        match self.verdict {
            Verdict::Wrong | Verdict::Close => Rating::Again,
            Verdict::Typo => Rating::Hard,
            Verdict::Exact => Rating::Good,
        }
    }

    /// The answer a close reply may have meant ("did you mean ...?").
    pub(crate) fn close_to(&self) -> Option<&str> {
        match self.verdict {
            Verdict::Close => self.matched.as_deref(),
            _ => None,
        }
    }
}

/// The folded form answers are compared in: NFKC; lower case (`ß` is
/// `ss`); thousands separators dropped (`1,000` is `1000`); accents taken
/// off Latin, Greek and Cyrillic letters (`Hokkaidō`, `ё`) but not `й`,
/// a letter of its own, and never the marks of other scripts (`ガ` is not
/// `カ`); `&` as `and` (`Law & Justice`); other punctuation as spaces; a
/// leading English article dropped.
pub(crate) fn normalize(text: &str) -> String {
    if text.is_ascii() {
        normalize_ascii(text)
    } else {
        normalize_unicode(text)
    }
}

/// [`normalize`] for any text.
fn normalize_unicode(text: &str) -> String {
    let mut lower = String::with_capacity(text.len());
    for c in text.nfkc() {
        match c {
            'ß' | 'ẞ' => lower.push_str("ss"),
            c => lower.extend(c.to_lowercase()),
        }
    }
    let chars: Vec<char> = lower.chars().collect();
    let mut folded = String::with_capacity(lower.len());
    let mut base: Option<char> = None;
    for (i, c) in chars.iter().copied().enumerate() {
        if c == ',' && is_thousands_comma(&chars, i) {
            continue;
        }
        for c in std::iter::once(c).nfd() {
            if is_combining_mark(c) {
                let strip = base.is_some_and(|b| {
                    strips_marks(b) && !(c == '\u{306}' && matches!(b, 'и' | 'И'))
                });
                if !strip {
                    folded.push(c);
                }
                continue;
            }
            base = Some(c);
            match c {
                '&' => folded.push_str(" and "),
                c if c.is_alphanumeric() => folded.push(c),
                _ => folded.push(' '),
            }
        }
    }
    without_article(&folded).nfc().collect()
}

/// [`normalize`] for ASCII text, which every Unicode normal form leaves as
/// it is and which has no combining marks: the same folding, without the
/// three normalization passes (a tenth of the work; most answers are
/// ASCII, and `check` folds the answers of cards that share a prompt).
fn normalize_ascii(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut folded = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let thousands = b == b','
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
                == 3;
        if thousands {
            continue;
        }
        match b {
            b'&' => folded.push_str(" and "),
            b if b.is_ascii_alphanumeric() => folded.push(char::from(b.to_ascii_lowercase())),
            _ => folded.push(' '),
        }
    }
    without_article(&folded)
}

/// Words joined by single spaces, [`leading_articles`] dropped.
fn without_article(folded: &str) -> String {
    let words: Vec<&str> = folded.split_whitespace().collect();
    words[leading_articles(&words)..].join(" ")
}

/// How many of `words` are leading English articles, which folding drops
/// and a diff never marks: all of them while a word remains after them.
/// All, not one: folding must change nothing the second time, or a reply
/// typed as the folded form of the answer (`The An Lushan Rebellion` folds
/// to `lushan rebellion`, and so does `An Lushan Rebellion`) would not
/// match it.
fn leading_articles(words: &[&str]) -> usize {
    words
        .iter()
        .take(words.len().saturating_sub(1))
        .take_while(|w| matches!(w.to_lowercase().as_str(), "the" | "a" | "an"))
        .count()
}

/// A `,` between digits with exactly three digits after it separates
/// thousands (`1,000`); `3,5` stays two numbers.
fn is_thousands_comma(chars: &[char], i: usize) -> bool {
    let digit_before = i > 0 && chars[i - 1].is_ascii_digit();
    let after = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    digit_before && after == 3
}

/// Letters whose accents are dropped: Latin, Greek and Cyrillic.
fn strips_marks(base: char) -> bool {
    matches!(base,
        'a'..='z' | 'A'..='Z' | '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}'
        | '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}' | '\u{400}'..='\u{52F}')
}

/// Edits forgiven for an answer (or a word) of this many characters.
pub(crate) fn tolerance(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// An answer as it is compared: normalized, number words as digits.
fn fold(text: &str) -> String {
    numbers::to_digits(&normalize(text))
}

/// Grades a typed answer against the expected one and any accepted forms.
pub(crate) fn grade<S: AsRef<str>>(input: &str, expected: &str, accepted: &[S]) -> Grade {
    let forms = Forms::new(expected, accepted);
    forms.grade(input)
}

/// An expected answer and its accepted forms, each with its folded form:
/// folded once, however many typed items are graded against them.
struct Forms<'a> {
    forms: Vec<(&'a str, String)>,
}

impl<'a> Forms<'a> {
    fn new<S: AsRef<str>>(expected: &'a str, accepted: &'a [S]) -> Forms<'a> {
        Forms {
            forms: std::iter::once(expected)
                .chain(accepted.iter().map(AsRef::as_ref))
                .map(|f| (f, fold(f)))
                .collect(),
        }
    }

    fn grade(&self, input: &str) -> Grade {
        let mut best = Grade {
            verdict: Verdict::Wrong,
            matched: None,
        };
        let given = fold(input);
        if given.is_empty() {
            return best;
        }
        for (form, folded) in &self.forms {
            let verdict = compare(&given, folded);
            if verdict > best.verdict {
                best = Grade {
                    verdict,
                    matched: Some(form.to_string()),
                };
            }
            if verdict == Verdict::Exact {
                break;
            }
        }
        best
    }

    /// Whether a form contains a multi separator (`Washington, D.C.`).
    fn has_separator(&self) -> bool {
        self.forms.iter().any(|(f, _)| pieces(f).len() > 1)
    }
}

/// Two folded answers: the same, a slip apart, close, or different.
fn compare(given: &str, want: &str) -> Verdict {
    if given == want {
        return Verdict::Exact;
    }
    if want.is_empty() || digits(given) != digits(want) || has_cjk(want) || has_cjk(given) {
        return Verdict::Wrong;
    }
    if given.replace(' ', "") == want.replace(' ', "") {
        return Verdict::Typo;
    }
    let budget = tolerance(want.chars().count());
    let given_words: Vec<&str> = given.split(' ').collect();
    let want_words: Vec<&str> = want.split(' ').collect();
    let known = |w: &str| lexicon::is_word(w) || lexicon::is_name(w);
    let mut spent = 0;
    let mut close = false;
    if given_words.len() == want_words.len() {
        for (g, w) in given_words.iter().zip(&want_words) {
            if g == w {
                continue;
            }
            if is_plural_of(g, w) {
                spent += 1;
                continue;
            }
            if !lexicon::is_word(g) && lexicon::same_name(g, w) {
                continue;
            }
            let gc: Vec<char> = g.chars().collect();
            let wc: Vec<char> = w.chars().collect();
            let Some(d) = distance::within(&gc, &wc, tolerance(wc.len())) else {
                return Verdict::Wrong;
            };
            spent += d;
            close |= known(g) || (wc.len() <= 5 && gc.first() != wc.first());
        }
    } else {
        // A word more or less: the whole text within the budget, and no word
        // added that means something of its own.
        let gc: Vec<char> = given.chars().collect();
        let wc: Vec<char> = want.chars().collect();
        let Some(d) = distance::within(&gc, &wc, budget) else {
            return Verdict::Wrong;
        };
        spent = d;
        close = given_words
            .iter()
            .any(|g| !want_words.contains(g) && known(g));
    }
    if spent > budget {
        Verdict::Wrong
    } else if close {
        Verdict::Close
    } else {
        Verdict::Typo
    }
}

/// `islands` for `island`, `territories` for `territory` (or the reverse):
/// the same word.
fn is_plural_of(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 3
        && (long
            .strip_prefix(short)
            .is_some_and(|end| matches!(end, "s" | "es"))
            || short
                .strip_suffix('y')
                .is_some_and(|stem| long.strip_prefix(stem) == Some("ies")))
}

/// Chinese, Japanese and Korean characters: one character more or less is
/// another word (歯舞群 is not 歯舞群島), so no typo is forgiven there.
fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x3040..=0x30FF      // hiragana, katakana
            | 0x3400..=0x4DBF    // CJK extension A
            | 0x4E00..=0x9FFF    // CJK unified ideographs
            | 0xAC00..=0xD7AF    // Hangul syllables
            | 0xF900..=0xFAFF) // CJK compatibility ideographs
    })
}

/// Where a multi answer splits into items: commas, semicolons, slashes, new
/// lines, `&`, the word `and`, and Japanese separators. Byte ranges into
/// `input`, trimmed, empty items left out.
fn pieces(input: &str) -> Vec<Range<usize>> {
    let bytes = input.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let push = |from: usize, to: usize, out: &mut Vec<Range<usize>>| {
        let piece = &input[from..to];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            out.push(from + lead..from + lead + trimmed.len());
        }
    };
    for (i, c) in input.char_indices() {
        if i < start {
            continue;
        }
        let width = if matches!(c, ',' | ';' | '/' | '\n' | '&' | '、' | '，' | '；' | '・') {
            c.len_utf8()
        } else if (c == 'a' || c == 'A')
            && i > 0
            && bytes[i - 1].is_ascii_whitespace()
            && bytes
                .get(i..i + 3)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"and"))
            && bytes.get(i + 3).is_some_and(u8::is_ascii_whitespace)
        {
            3
        } else {
            continue;
        };
        push(start, i, &mut out);
        start = i + width;
    }
    push(start, input.len(), &mut out);
    out
}

/// A multi answer: which expected items were given (in any order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MultiGrade {
    /// Per expected item, the verdict of the best given item.
    pub items: Vec<Verdict>,
    /// Given items that matched nothing (the first few, when there are many).
    pub extra: Vec<String>,
}

impl MultiGrade {
    pub(crate) fn right(&self) -> usize {
        self.items.iter().filter(|v| v.is_right()).count()
    }

    pub(crate) fn is_right(&self) -> bool {
        self.right() == self.items.len() && self.extra.is_empty()
    }

    pub(crate) fn suggested(&self) -> Rating {
        if !self.is_right() {
            Rating::Again
        } else if self.items.contains(&Verdict::Typo) {
            Rating::Hard
        } else {
            Rating::Good
        }
    }
}

/// Items of a multi answer joined back when an expected item contains a
/// separator itself (`Washington, D.C.`, `Trinidad and Tobago`).
const MAX_JOINED: usize = 4;
/// Extra items listed; beyond them, one `…`.
const MAX_EXTRA: usize = 10;

/// Grades a multi answer against its items, each an answer with its other
/// accepted forms. The work is bounded: items beyond a few more than
/// expected are not graded, only counted as extra.
pub(crate) fn grade_multi(input: &str, expected: &[(&str, &[Text])]) -> MultiGrade {
    let mut ranges = pieces(input);
    let cap = expected.len() * 2 + MAX_JOINED + MAX_EXTRA;
    let overflow = ranges.len() > cap;
    ranges.truncate(cap);
    let expected: Vec<Forms> = expected
        .iter()
        .map(|(answer, accept)| Forms::new(answer, accept))
        .collect();
    for forms in expected.iter().filter(|f| f.has_separator()) {
        let mut i = 0;
        while i < ranges.len() {
            for len in (2..=MAX_JOINED.min(ranges.len() - i)).rev() {
                let span = ranges[i].start..ranges[i + len - 1].end;
                if forms.grade(&input[span.clone()]).is_right() {
                    ranges.splice(i..i + len, [span]);
                    break;
                }
            }
            i += 1;
        }
    }
    let mut given: Vec<&str> = ranges.into_iter().map(|r| &input[r]).collect();
    let mut items = Vec::with_capacity(expected.len());
    for forms in &expected {
        let best = given
            .iter()
            .enumerate()
            .map(|(i, g)| (forms.grade(g).verdict, i))
            .max();
        match best {
            Some((verdict, i)) if verdict >= Verdict::Close => {
                given.remove(i);
                items.push(verdict);
            }
            _ => items.push(Verdict::Wrong),
        }
    }
    let mut extra: Vec<String> = given.into_iter().map(str::to_string).collect();
    if overflow || extra.len() > MAX_EXTRA {
        extra.truncate(MAX_EXTRA);
        extra.push("…".to_string());
    }
    MultiGrade { items, extra }
}

/// An order answer given as the numbers of the shown items, e.g. `3 1 2 4`
/// or `3124` (when there are fewer than ten). Returns the indices into
/// `shown`, or None when it is not a permutation.
pub(crate) fn parse_order(input: &str, count: usize) -> Option<Vec<usize>> {
    let input = normalize(input);
    let numbers: Vec<usize> = if input.contains(' ') || count >= 10 {
        input
            .split(' ')
            .map(|n| n.parse().ok())
            .collect::<Option<_>>()?
    } else {
        input
            .chars()
            .map(|c| c.to_digit(10).map(|d| d as usize))
            .collect::<Option<_>>()?
    };
    let mut seen = vec![false; count];
    for n in &numbers {
        let slot = seen.get_mut(n.checked_sub(1)?)?;
        if *slot {
            return None;
        }
        *slot = true;
    }
    (numbers.len() == count).then(|| numbers.into_iter().map(|n| n - 1).collect())
}

/// True/false from y/n, t/f, yes/no, true/false, はい/いいえ, ○/×.
pub(crate) fn parse_bool(input: &str) -> Option<bool> {
    match normalize(input).as_str() {
        "y" | "yes" | "t" | "true" | "1" | "はい" | "正" | "○" | "o" => Some(true),
        "n" | "no" | "f" | "false" | "0" | "いいえ" | "誤" | "×" | "x" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paint::Paint;
    use Verdict::{Close, Exact, Typo, Wrong};
    use proptest::prelude::*;

    const NO: &[&str] = &[];

    /// Multi items without accepted alternatives.
    fn items<'a>(answers: &[&'a str]) -> Vec<(&'a str, &'static [Text])> {
        answers.iter().map(|a| (*a, &[][..])).collect()
    }

    /// (typed, expected, accepted, verdict)
    const TABLE: &[(&str, &str, &[&str], Verdict)] = &[
        // case, spacing, punctuation
        ("yalta", "Yalta", &[], Exact),
        ("  YALTA  ", "Yalta", &[], Exact),
        ("Yalta.", "Yalta", &[], Exact),
        ("san francisco", "San Francisco", &[], Exact),
        ("San-Francisco", "San Francisco", &[], Exact),
        ("SanFrancisco", "San Francisco", &[], Typo),
        ("Hok kaido", "Hokkaido", &[], Typo),
        (
            "Soviet–Japanese Joint Declaration",
            "Soviet-Japanese Joint Declaration",
            &[],
            Exact,
        ),
        (
            "\"Northern Territories\"",
            "Northern Territories",
            &[],
            Exact,
        ),
        // articles
        ("the Yalta Conference", "Yalta Conference", &[], Exact),
        ("Yalta Conference", "The Yalta Conference", &[], Exact),
        ("An Lushan Rebellion", "The An Lushan Rebellion", &[], Exact),
        ("the a team", "A Team", &[], Exact),
        ("a", "A", &[], Exact),
        ("an island", "island", &[], Exact),
        ("An Island", "island", &[], Exact),
        ("the", "the", &[], Exact),
        // accents and macrons
        ("Hokkaido", "Hokkaidō", &[], Exact),
        ("Etorofu", "Étorofu", &[], Exact),
        ("Tokyo", "Tōkyō", &[], Exact),
        ("Honshu", "Honshū", &[], Exact),
        ("Gorbachev", "Gorbachëv", &[], Exact),
        // real slips, scaled to length, forgiven
        ("Kunashri", "Kunashiri", &[], Typo),
        ("Hokaido", "Hokkaido", &[], Typo),
        ("Yalata", "Yalta", &[], Typo),
        ("Shikotn", "Shikotan", &[], Typo),
        ("Habomia", "Habomai", &[], Typo),
        ("Ynlta", "Yalta", &[], Typo),
        ("Mori", "Muri", &[], Typo),
        ("Moskow", "Moscow", &[], Typo),
        ("Moscou", "Moscow", &[], Typo),
        ("Postdam", "Potsdam", &[], Typo),
        ("Latvai", "Latvia", &[], Typo),
        ("Lithuenia", "Lithuania", &[], Typo),
        ("Austira", "Austria", &[], Typo),
        ("Swedan", "Sweden", &[], Typo),
        ("Canda", "Canada", &[], Typo),
        ("Kamchatcka", "Kamchatka", &[], Typo),
        ("Vladivostock", "Vladivostok", &[], Typo),
        ("Habarovsk", "Khabarovsk", &[], Typo),
        ("Yeltzin", "Yeltsin", &[], Typo),
        ("Medvedef", "Medvedev", &[], Typo),
        ("Sakalin", "Sakhalin", &[], Typo),
        ("Kurile Islands", "Kuril Islands", &[], Typo),
        ("Joint Declaraton", "Joint Declaration", &[], Typo),
        ("Treaty of Shimda", "Treaty of Shimoda", &[], Typo),
        ("Treaty of Shimado", "Treaty of Shimoda", &[], Wrong),
        ("Курильскии", "Курильский", &[], Typo),
        ("Кунашыр", "Кунашир", &[], Typo),
        // the same word in the plural
        ("Kuril Island", "Kuril Islands", &[], Typo),
        ("Habomai islands", "Habomai Island", &[], Typo),
        ("Northern Territory", "Northern Territories", &[], Typo),
        // transliterations of the same name
        ("Kunashir", "Kunashiri", &[], Typo),
        ("Kunashiri", "Kunashir", &[], Typo),
        ("Gorbachov", "Gorbachev", &[], Typo),
        ("Khrushchov", "Khrushchev", &[], Typo),
        ("Khrushchyov", "Khrushchev", &[], Typo),
        ("Sakhalin", "Sachalin", &[], Typo),
        ("Sachalin", "Sakhalin", &[], Typo),
        ("Tokio", "Tokyo", &[], Typo),
        ("Toukyou", "Tokyo", &[], Typo),
        ("Dostoevskii", "Dostoevsky", &[], Typo),
        ("Tchaikovsky", "Chaikovsky", &[], Typo),
        // another word: never a slip, but close
        ("decrease", "increase", &[], Close),
        ("increase", "decrease", &[], Close),
        ("impossible", "possible", &[], Close),
        ("possible", "impossible", &[], Close),
        ("lost", "last", &[], Close),
        ("last", "lost", &[], Close),
        ("cost", "lost", &[], Close),
        ("affect", "effect", &[], Close),
        ("lose", "loose", &[], Close),
        ("desert", "dessert", &[], Close),
        ("county", "country", &[], Close),
        ("form", "from", &[], Close),
        ("quite", "quiet", &[], Close),
        ("parish", "Paris", &[], Close),
        ("lost cause", "last cause", &[], Close),
        // another name: never a slip, but close
        ("Iraq", "Iran", &[], Close),
        ("Iran", "Iraq", &[], Close),
        ("Slovakia", "Slovenia", &[], Close),
        ("Slovenia", "Slovakia", &[], Close),
        ("Bali", "Mali", &[], Close),
        ("Mali", "Bali", &[], Close),
        ("Gambia", "Zambia", &[], Close),
        ("Prussia", "Russia", &[], Close),
        ("Austria", "Australia", &[], Close),
        ("Malta", "Yalta", &[], Close),
        // a short word with another first letter: close
        ("Yalta", "Talta", &[], Close),
        ("Nuri", "Muri", &[], Close),
        // too far apart, or too short to forgive: wrong
        ("Yelts", "Yalta", &[], Wrong),
        ("Abe", "Abe", &[], Exact),
        ("Abo", "Abe", &[], Wrong),
        ("od", "of", &[], Wrong),
        ("Potsdam", "Yalta", &[], Wrong),
        ("Kyoto", "Tokyo", &[], Wrong),
        ("Iturup", "Etorofu", &[], Wrong),
        ("Etorofu", "Iturup", &[], Wrong),
        ("Urup", "Iturup", &[], Wrong),
        ("Plymouth", "Portsmouth", &[], Wrong),
        ("Pacific Fleet", "Sea of Okhotsk", &[], Wrong),
        ("north", "south", &[], Wrong),
        ("east", "west", &[], Wrong),
        ("legal", "illegal", &[], Wrong),
        ("export", "import", &[], Wrong),
        ("except", "accept", &[], Wrong),
        ("Niger", "Nigeria", &[], Wrong),
        ("Guyana", "Guinea", &[], Wrong),
        ("", "Yalta", &[], Wrong),
        ("...", "Yalta", &[], Wrong),
        ("   ", "Yalta", &[], Wrong),
        // numbers and years: a wrong digit is never a typo
        ("1855", "1855", &[], Exact),
        ("1885", "1855", &[], Wrong),
        ("1956", "1956", &[], Exact),
        ("1965", "1956", &[], Wrong),
        ("１９５６", "1956", &[], Exact),
        ("18 55", "1855", &[], Typo),
        ("in 1956", "1956", &["in 1956"], Exact),
        (
            "Treaty of Shimoda 1855",
            "Treaty of Shimoda, 1855",
            &[],
            Exact,
        ),
        (
            "Treaty of Shimoda 1856",
            "Treaty of Shimoda, 1855",
            &[],
            Wrong,
        ),
        ("93 percent", "93%", &["93 percent"], Exact),
        ("17,000", "17000", &[], Exact),
        ("17000", "17,000", &[], Exact),
        ("17,00", "17000", &[], Wrong),
        // number words, both directions
        ("60", "sixty", &[], Exact),
        ("sixty", "60", &[], Exact),
        ("Sixty", "60", &[], Exact),
        ("61", "sixty", &[], Wrong),
        ("6", "sixty", &[], Wrong),
        ("sixty-one", "61", &[], Exact),
        ("sixty one", "61", &[], Exact),
        ("61", "sixty-one", &[], Exact),
        ("10", "ten", &[], Exact),
        ("ten", "10", &[], Exact),
        ("twenty-one", "21", &[], Exact),
        ("21", "twenty-one", &[], Exact),
        ("22", "twenty-one", &[], Wrong),
        ("50", "fifty", &[], Exact),
        ("15", "fifty", &[], Wrong),
        ("fifteen", "fifty", &[], Wrong),
        ("zero", "0", &[], Exact),
        ("4", "four", &[], Exact),
        ("for", "four", &[], Wrong),
        ("one hundred and five", "105", &[], Exact),
        ("105", "one hundred five", &[], Exact),
        ("seventeen thousand", "17,000", &[], Exact),
        ("17 thousand", "17000", &[], Exact),
        ("four islands", "4 islands", &[], Exact),
        ("2 islands", "two islands", &[], Exact),
        ("nineteen fifty-six", "1956", &[], Typo),
        // ordinals, both directions
        ("2nd", "second", &[], Exact),
        ("second", "2nd", &[], Exact),
        ("1st", "first", &[], Exact),
        ("first", "1st", &[], Exact),
        ("3rd", "third", &[], Exact),
        ("4th", "fourth", &[], Exact),
        ("5th", "fifth", &[], Exact),
        ("21st", "twenty-first", &[], Exact),
        ("2nd World War", "Second World War", &[], Exact),
        ("fifth", "fifty", &[], Wrong),
        ("fifty", "fifth", &[], Wrong),
        ("sixth", "sixty", &[], Wrong),
        ("3rd", "second", &[], Wrong),
        ("2", "second", &[], Wrong),
        // accept lists
        ("Iturup", "Etorofu", &["Iturup"], Exact),
        ("Iturop", "Etorofu", &["Iturup"], Typo),
        ("Iturup", "Etorofu", &[], Wrong),
        ("Etorofu Island", "Etorofu", &["Etorofu Island"], Exact),
        ("Kurils", "Kuril Islands", &["Kuriles", "Kurils"], Exact),
        (
            "Habomai Islands",
            "Habomai islets",
            &["Habomai Islands"],
            Exact,
        ),
        ("60", "sixty", &["60"], Exact),
        ("Iraq", "Iran", &["Persia"], Close),
        ("Persia", "Iran", &["Persia"], Exact),
        // Japanese and Russian
        ("択捉島", "択捉島", &[], Exact),
        ("択捉", "択捉島", &[], Wrong),
        ("択捉", "択捉島", &["択捉"], Exact),
        ("歯舞群", "歯舞群島", &[], Wrong),
        ("国後島島", "国後島", &[], Wrong),
        ("ハボマイ", "ハボマイ", &[], Exact),
        ("国後島。", "国後島", &[], Exact),
        ("「北方領土」", "北方領土", &[], Exact),
        ("Кунашир", "Кунашир", &[], Exact),
        ("кунашир", "Кунашир", &[], Exact),
        ("Итуруп", "Etorofu", &["Итуруп"], Exact),
        ("Ｙａｌｔａ", "Yalta", &[], Exact),
        // letters that only look accented
        ("ハホマイ", "ハボマイ", &[], Wrong),
        ("はほまい", "はぼまい", &[], Wrong),
        ("Курильский", "Курильский", &[], Exact),
        ("Черненко", "Чёрненко", &[], Exact),
        ("Strasse", "Straße", &[], Exact),
        ("law & justice", "law and justice", &[], Exact),
        ("R and D", "R&D", &[], Exact),
        ("law ＆ justice", "law and justice", &[], Exact),
    ];

    #[test]
    fn the_grading_table() {
        assert!(TABLE.len() >= 150, "{}", TABLE.len());
        let mut failures = Vec::new();
        for (typed, expected, accepted, verdict) in TABLE {
            let got = grade(typed, expected, accepted).verdict;
            if got != *verdict {
                failures.push(format!(
                    "{typed:?} against {expected:?} {accepted:?}: {got:?}, want {verdict:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn suggested_ratings_follow_the_verdict() {
        assert_eq!(grade("Yalta", "Yalta", NO).suggested(), Rating::Good);
        assert_eq!(grade("Ynlta", "Yalta", NO).suggested(), Rating::Hard);
        assert_eq!(grade("Potsdam", "Yalta", NO).suggested(), Rating::Again);
        let close = grade("Iraq", "Iran", NO);
        assert_eq!(close.suggested(), Rating::Again);
        assert!(!close.is_right());
        assert_eq!(close.close_to(), Some("Iran"));
        assert_eq!(grade("Kunashri", "Kunashiri", NO).close_to(), None);
        assert_eq!(
            grade("Iturup", "Etorofu", &["Iturup"]).matched.as_deref(),
            Some("Iturup")
        );
    }

    /// (typed, expected items, items right, extra items)
    const MULTI: &[(&str, &[&str], usize, usize)] = &[
        ("Etorofu, Kunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("Kunashiri, Etorofu", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu and Kunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu AND Kunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu & Kunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu&Kunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu; Kunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu\nKunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu / Kunashiri", &["Etorofu", "Kunashiri"], 2, 0),
        ("択捉島、国後島", &["択捉島", "国後島"], 2, 0),
        (
            "Etorofu, Kunashiri, and Shikotan",
            &["Etorofu", "Kunashiri", "Shikotan"],
            3,
            0,
        ),
        (
            "Etorofu, Kunashiri",
            &["Etorofu", "Kunashiri", "Shikotan"],
            2,
            0,
        ),
        ("Etorofu, Kunashiri, Urup", &["Etorofu", "Kunashiri"], 2, 1),
        ("Etorofu, Kunashir", &["Etorofu", "Kunashiri"], 2, 0),
        ("Etorofu, Iturup", &["Etorofu", "Kunashiri"], 1, 1),
        (
            "Washington, D.C., Tokyo",
            &["Washington, D.C.", "Tokyo"],
            2,
            0,
        ),
        (
            "Tokyo, Washington, D.C.",
            &["Washington, D.C.", "Tokyo"],
            2,
            0,
        ),
        (
            "Washington DC and Tokyo",
            &["Washington, D.C.", "Tokyo"],
            2,
            0,
        ),
        (
            "Trinidad and Tobago, Jamaica",
            &["Trinidad and Tobago", "Jamaica"],
            2,
            0,
        ),
        (
            "Jamaica and Trinidad and Tobago",
            &["Trinidad and Tobago", "Jamaica"],
            2,
            0,
        ),
        ("Andorra, Sandy", &["Andorra", "Sandy"], 2, 0),
        (
            "Fish, ore minerals and oil",
            &["fish", "ore minerals", "oil"],
            3,
            0,
        ),
        ("sixty, 2nd", &["60", "second"], 2, 0),
        ("Iran, Iraq", &["Iran", "Syria"], 1, 1),
        ("", &["Etorofu", "Kunashiri"], 0, 0),
        (",,, ;", &["Etorofu", "Kunashiri"], 0, 0),
    ];

    #[test]
    fn multi_answers_split_on_every_separator() {
        for (typed, expected, right, extra) in MULTI {
            let g = grade_multi(typed, &items(expected));
            assert_eq!(
                (g.right(), g.extra.len()),
                (*right, *extra),
                "{typed:?} against {expected:?}: {g:?}"
            );
        }
        assert!(TABLE.len() + MULTI.len() >= 175);
    }

    #[test]
    fn multi_items_take_their_accepted_forms() {
        let iturup: Vec<Text> = vec!["Iturup".into()];
        let kunashir: Vec<Text> = vec!["Kunashir".into()];
        let expected = [("Etorofu", &iturup[..]), ("Kunashiri", &kunashir[..])];
        let g = grade_multi("Iturup, Kunashir", &expected);
        assert!(g.is_right(), "{g:?}");
        assert_eq!(g.suggested(), Rating::Good);
        let g = grade_multi("Iturup and Kunashiri", &expected);
        assert!(g.is_right(), "{g:?}");
        // Iraq is close to Iran: not right, and not listed as extra either.
        let g = grade_multi("Iraq, Syria", &items(&["Iran", "Syria"]));
        assert_eq!(g.items, [Close, Exact]);
        assert!(g.extra.is_empty());
        assert_eq!(g.suggested(), Rating::Again);
    }

    #[test]
    fn multi_answers_in_any_order_with_partial_credit() {
        let four = items(&["Etorofu", "Kunashiri", "Shikotan", "Habomai"]);
        let all = grade_multi("habomai, shikotan; Kunashiri / Etorofu", &four);
        assert!(all.is_right());
        assert_eq!(all.suggested(), Rating::Good);
        let typo = grade_multi("Habomai, Shikotan, Kunashri, Etorofu", &four);
        assert_eq!(typo.suggested(), Rating::Hard);
        let partial = grade_multi("Etorofu、Kunashiri, Sakhalin", &four);
        assert_eq!(partial.right(), 2);
        assert_eq!(partial.items, [Exact, Exact, Wrong, Wrong]);
        assert_eq!(partial.extra, ["Sakhalin"]);
        assert_eq!(partial.suggested(), Rating::Again);
    }

    #[test]
    fn a_flood_of_items_is_graded_in_bounded_work() {
        let flood = "Urup, ".repeat(200_000);
        let g = grade_multi(&flood, &items(&["Etorofu", "Kunashiri"]));
        assert_eq!(g.right(), 0);
        assert_eq!(g.extra.len(), MAX_EXTRA + 1);
        assert_eq!(g.extra.last().map(String::as_str), Some("…"));
    }

    #[test]
    fn order_and_true_false_parsing() {
        assert_eq!(parse_order("3 1 2", 3), Some(vec![2, 0, 1]));
        assert_eq!(parse_order("312", 3), Some(vec![2, 0, 1]));
        assert_eq!(parse_order("3,1,2", 3), Some(vec![2, 0, 1]));
        assert_eq!(parse_order("3 1", 3), None);
        assert_eq!(parse_order("3 3 1", 3), None);
        assert_eq!(parse_order("4 1 2", 3), None);
        assert_eq!(parse_order("０１", 2), None);
        assert_eq!(parse_bool("Y"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("いいえ"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn long_near_misses_are_graded_quickly() {
        // A 100 kB answer one slip away: the band keeps this linear (the
        // full table would be 10^10 cells).
        let want = "kunashiri ".repeat(10_000);
        let mut typed = want.clone();
        typed.replace_range(50_000..50_001, "x");
        let g = grade(&typed, &want, NO);
        assert_eq!(g.verdict, Typo, "{g:?}");
        let g = grade(&want, &want, NO);
        assert_eq!(g.verdict, Exact);
    }

    proptest! {
        #[test]
        fn an_answer_always_matches_itself(s in "\\PC{0,40}") {
            prop_assume!(!normalize(&s).is_empty());
            prop_assert_eq!(grade(&s, &s, NO).verdict, Verdict::Exact);
        }

        /// The ASCII path folds exactly as the general one: any ASCII,
        /// heavy on what folding touches (commas between digits, articles,
        /// case, punctuation, control characters).
        #[test]
        fn ascii_answers_fold_as_any_text_does(
            s in "(the |a |an |[0-9]{1,4},|[0-9]{3}|[A-Za-z]{1,6}|[ -/:-@]|[\\x00-\\x1f\\x7f]){0,12}",
            t in "[\\x00-\\x7f]{0,30}",
        ) {
            prop_assert_eq!(normalize_ascii(&s), normalize_unicode(&s));
            prop_assert_eq!(normalize_ascii(&t), normalize_unicode(&t));
        }

        /// A slip forgiven as a typo is always marked: the letter diff
        /// never finds a near miss too unlike its answer to show.
        #[test]
        fn every_typo_gets_its_slip_marked(
            words in proptest::collection::vec("[a-z]{4,12}", 1..4),
            at in any::<prop::sample::Index>(),
            with in "[a-z]",
            edit in 0..3u8,
        ) {
            let want = words.join(" ");
            let mut chars: Vec<char> = want.chars().collect();
            let i = at.index(chars.len());
            let c = with.chars().next().unwrap_or('x');
            match edit {
                0 => chars[i] = c,
                1 => { chars.remove(i); }
                _ => chars.insert(i, c),
            }
            let typed: String = chars.into_iter().collect();
            let g = grade(&typed, &want, NO);
            if g.verdict == Typo {
                prop_assert!(diff(&typed, &want, &Paint::plain()).is_some(), "{typed} for {want}");
            }
        }

        #[test]
        fn normalizing_twice_changes_nothing(s in "\\PC{0,40}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn grading_never_panics(a in "\\PC{0,30}", b in "\\PC{0,30}") {
            let _ = grade(&a, &b, std::slice::from_ref(&b));
            let _ = grade_multi(&a, &[(b.as_str(), &[][..])]);
            let _ = parse_order(&a, 4);
            let _ = diff(&a, &b, &Paint::plain());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Long input, near or far from the answer, is graded without
        /// panicking, in work that grows with its length alone.
        #[test]
        fn long_input_is_graded_in_bounded_work(
            unit in "[a-z ,&]{1,8}",
            times in 100usize..4_000,
            cut in 0usize..50,
        ) {
            let want = unit.repeat(times);
            let typed: String = want.chars().skip(cut).collect();
            let _ = grade(&typed, &want, NO);
            let _ = grade_multi(&typed, &[(want.as_str(), &[][..]), (unit.as_str(), &[][..])]);
            let _ = diff(&typed, &want, &Paint::plain());
        }
    }
}

//! Fair grading of typed answers. Both sides are folded before comparing:
//! Unicode NFKC (full-width ↔ half-width), case, accents and macrons,
//! punctuation (Western and Japanese), spacing and a leading English article.
//! A small typo is forgiven in proportion to the answer's length, but never
//! a wrong digit: 1855 is not 1885.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::deck::Text;
use crate::paint::Paint;
use crate::rating::Rating;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Wrong,
    /// Right but for a small slip.
    Typo,
    Exact,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub verdict: Verdict,
    /// Which accepted form matched best (the expected answer or an alias).
    pub matched: Option<String>,
}

impl Grade {
    pub fn is_right(&self) -> bool {
        self.verdict != Verdict::Wrong
    }

    /// Wrong: Again; right with a slip: Hard; right: Good.
    pub fn suggested(&self) -> Rating {
        match self.verdict {
            Verdict::Wrong => Rating::Again,
            Verdict::Typo => Rating::Hard,
            Verdict::Exact => Rating::Good,
        }
    }
}

/// The folded form answers are compared in: NFKC; lower case (`ß` is
/// `ss`); thousands separators dropped (`1,000` is `1000`); accents taken
/// off Latin, Greek and Cyrillic letters (`Hokkaidō`, `ё`) but not `й`,
/// a letter of its own, and never the marks of other scripts (`ガ` is not
/// `カ`); punctuation as spaces; a leading English article dropped.
pub fn normalize(text: &str) -> String {
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
            folded.push(if c.is_alphanumeric() { c } else { ' ' });
        }
    }
    let words: Vec<&str> = folded.split_whitespace().collect();
    let words = match words.first() {
        Some(&("the" | "a" | "an")) if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    words.join(" ").nfc().collect()
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

/// Edits forgiven for an answer of this many characters.
pub fn tolerance(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Grades a typed answer against the expected one and any accepted forms.
pub fn grade<S: AsRef<str>>(input: &str, expected: &str, accepted: &[S]) -> Grade {
    let given = normalize(input);
    if given.is_empty() {
        return Grade {
            verdict: Verdict::Wrong,
            matched: None,
        };
    }
    let mut best = Grade {
        verdict: Verdict::Wrong,
        matched: None,
    };
    for candidate in std::iter::once(expected).chain(accepted.iter().map(AsRef::as_ref)) {
        let want = normalize(candidate);
        let verdict = if want == given {
            Verdict::Exact
        } else if digits(&want) == digits(&given) && close(&given, &want) {
            Verdict::Typo
        } else {
            Verdict::Wrong
        };
        if verdict > best.verdict {
            best = Grade {
                verdict,
                matched: Some(candidate.to_string()),
            };
        }
        if verdict == Verdict::Exact {
            break;
        }
    }
    best
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

fn close(given: &str, want: &str) -> bool {
    if has_cjk(want) || has_cjk(given) {
        return false;
    }
    let limit = tolerance(want.chars().count());
    limit > 0 && strsim::damerau_levenshtein(given, want) <= limit
}

/// The parts of a multi answer: split at commas, semicolons, slashes,
/// newlines and Japanese separators.
pub fn split_items(input: &str) -> Vec<String> {
    input
        .split([',', ';', '/', '\n', '、', '，', '；', '・'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A multi answer: which expected items were given (in any order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiGrade {
    /// Per expected item, the verdict of the best given item.
    pub items: Vec<Verdict>,
    /// Given items that matched nothing.
    pub extra: Vec<String>,
}

impl MultiGrade {
    pub fn right(&self) -> usize {
        self.items.iter().filter(|v| **v != Verdict::Wrong).count()
    }

    pub fn is_right(&self) -> bool {
        self.right() == self.items.len() && self.extra.is_empty()
    }

    pub fn suggested(&self) -> Rating {
        if !self.is_right() {
            Rating::Again
        } else if self.items.contains(&Verdict::Typo) {
            Rating::Hard
        } else {
            Rating::Good
        }
    }
}

/// Grades a multi answer against its items, each an answer with its other
/// accepted forms.
pub fn grade_multi(input: &str, expected: &[(&str, &[Text])]) -> MultiGrade {
    let mut given = split_items(input);
    let mut items = Vec::with_capacity(expected.len());
    for want in expected {
        let best = given
            .iter()
            .enumerate()
            .map(|(i, g)| (grade(g, want.0, want.1).verdict, i))
            .max();
        match best {
            Some((verdict, i)) if verdict != Verdict::Wrong => {
                given.remove(i);
                items.push(verdict);
            }
            _ => items.push(Verdict::Wrong),
        }
    }
    MultiGrade {
        items,
        extra: given,
    }
}

/// An order answer given as the numbers of the shown items, e.g. `3 1 2 4`
/// or `3124` (when there are fewer than ten). Returns the indices into
/// `shown`, or None when it is not a permutation.
pub fn parse_order(input: &str, count: usize) -> Option<Vec<usize>> {
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
pub fn parse_bool(input: &str) -> Option<bool> {
    match normalize(input).as_str() {
        "y" | "yes" | "t" | "true" | "1" | "はい" | "正" | "○" | "o" => Some(true),
        "n" | "no" | "f" | "false" | "0" | "いいえ" | "誤" | "×" | "x" => Some(false),
        _ => None,
    }
}

/// A character diff of a wrong answer against the expected one: what was
/// missing is marked `+`, what was extra `-`. In colour the marks are green
/// and red; without colour they are written as `[+x]` and `[-y]`.
pub fn diff(given: &str, expected: &str, paint: &Paint) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_chars(given, expected);
    let mut out = String::new();
    let mut run = String::new();
    let mut tag = ChangeTag::Equal;
    let flush = |out: &mut String, run: &mut String, tag: ChangeTag| {
        if run.is_empty() {
            return;
        }
        let shown = crate::text::sanitize(run, false);
        match (tag, paint.is_enabled()) {
            (ChangeTag::Equal, _) => out.push_str(&shown),
            (ChangeTag::Insert, true) => out.push_str(&paint.code("4;32", &shown)),
            (ChangeTag::Delete, true) => out.push_str(&paint.code("9;31", &shown)),
            (ChangeTag::Insert, false) => out.push_str(&format!("[+{shown}]")),
            (ChangeTag::Delete, false) => out.push_str(&format!("[-{shown}]")),
        }
        run.clear();
    };
    for change in diff.iter_all_changes() {
        if change.tag() != tag {
            flush(&mut out, &mut run, tag);
            tag = change.tag();
        }
        run.push_str(change.value());
    }
    flush(&mut out, &mut run, tag);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NO: &[&str] = &[];

    /// Multi items without accepted alternatives.
    fn items<'a>(answers: &[&'a str]) -> Vec<(&'a str, &'static [Text])> {
        answers.iter().map(|a| (*a, &[][..])).collect()
    }

    /// (typed, expected, accepted, verdict)
    const TABLE: &[(&str, &str, &[&str], Verdict)] = &[
        // case, spacing, punctuation
        ("yalta", "Yalta", &[], Verdict::Exact),
        ("  YALTA  ", "Yalta", &[], Verdict::Exact),
        ("Yalta.", "Yalta", &[], Verdict::Exact),
        ("san francisco", "San Francisco", &[], Verdict::Exact),
        ("San-Francisco", "San Francisco", &[], Verdict::Exact),
        (
            "Soviet–Japanese Joint Declaration",
            "Soviet-Japanese Joint Declaration",
            &[],
            Verdict::Exact,
        ),
        (
            "\"Northern Territories\"",
            "Northern Territories",
            &[],
            Verdict::Exact,
        ),
        // articles
        (
            "the Yalta Conference",
            "Yalta Conference",
            &[],
            Verdict::Exact,
        ),
        (
            "Yalta Conference",
            "The Yalta Conference",
            &[],
            Verdict::Exact,
        ),
        ("an island", "island", &[], Verdict::Exact),
        ("the", "the", &[], Verdict::Exact),
        // accents and macrons
        ("Hokkaido", "Hokkaidō", &[], Verdict::Exact),
        ("Etorofu", "Étorofu", &[], Verdict::Exact),
        ("Tokyo", "Tōkyō", &[], Verdict::Exact),
        ("Sakhalin", "Sachalin", &[], Verdict::Typo),
        // typos, scaled to length
        ("Kunashir", "Kunashiri", &[], Verdict::Typo),
        ("Shikotn", "Shikotan", &[], Verdict::Typo),
        ("Habomia", "Habomai", &[], Verdict::Typo),
        ("Gorbachov", "Gorbachev", &[], Verdict::Typo),
        ("Khrushchov", "Khrushchev", &[], Verdict::Typo),
        ("Ynlta", "Yalta", &[], Verdict::Typo),
        ("Yelts", "Yalta", &[], Verdict::Wrong),
        ("Abe", "Abe", &[], Verdict::Exact),
        ("Abo", "Abe", &[], Verdict::Wrong),
        ("Mori", "Muri", &[], Verdict::Typo),
        ("Potsdam", "Yalta", &[], Verdict::Wrong),
        ("", "Yalta", &[], Verdict::Wrong),
        ("...", "Yalta", &[], Verdict::Wrong),
        // numbers and years: never a typo
        ("1855", "1855", &[], Verdict::Exact),
        ("1885", "1855", &[], Verdict::Wrong),
        ("1956", "1956", &[], Verdict::Exact),
        ("1965", "1956", &[], Verdict::Wrong),
        ("１９５６", "1956", &[], Verdict::Exact),
        ("in 1956", "1956", &["in 1956"], Verdict::Exact),
        (
            "Treaty of Shimoda 1855",
            "Treaty of Shimoda, 1855",
            &[],
            Verdict::Exact,
        ),
        (
            "Treaty of Shimoda 1856",
            "Treaty of Shimoda, 1855",
            &[],
            Verdict::Wrong,
        ),
        ("93 percent", "93%", &["93 percent"], Verdict::Exact),
        // aliases
        ("Iturup", "Etorofu", &["Iturup"], Verdict::Exact),
        ("Iturop", "Etorofu", &["Iturup"], Verdict::Typo),
        (
            "Kurils",
            "Kuril Islands",
            &["Kuriles", "Kurils"],
            Verdict::Exact,
        ),
        (
            "Habomai Islands",
            "Habomai islets",
            &["Habomai Islands"],
            Verdict::Exact,
        ),
        // Japanese and Russian
        ("択捉島", "択捉島", &[], Verdict::Exact),
        ("択捉", "択捉島", &[], Verdict::Wrong),
        ("択捉", "択捉島", &["択捉"], Verdict::Exact),
        ("歯舞群", "歯舞群島", &[], Verdict::Wrong),
        ("国後島島", "国後島", &[], Verdict::Wrong),
        ("ハボマイ", "ハボマイ", &[], Verdict::Exact),
        ("国後島。", "国後島", &[], Verdict::Exact),
        ("「北方領土」", "北方領土", &[], Verdict::Exact),
        ("Кунашир", "Кунашир", &[], Verdict::Exact),
        ("кунашир", "Кунашир", &[], Verdict::Exact),
        ("Кунашыр", "Кунашир", &[], Verdict::Typo),
        ("Итуруп", "Etorofu", &["Итуруп"], Verdict::Exact),
        ("Ｙａｌｔａ", "Yalta", &[], Verdict::Exact),
        // letters that only look accented
        ("ハホマイ", "ハボマイ", &[], Verdict::Wrong),
        ("はほまい", "はぼまい", &[], Verdict::Wrong),
        ("Курильскии", "Курильский", &[], Verdict::Typo),
        ("Курильский", "Курильский", &[], Verdict::Exact),
        ("Черненко", "Чёрненко", &[], Verdict::Exact),
        ("Strasse", "Straße", &[], Verdict::Exact),
        // numbers
        ("17,000", "17000", &[], Verdict::Exact),
        ("17000", "17,000", &[], Verdict::Exact),
        ("17,00", "17000", &[], Verdict::Wrong),
    ];

    #[test]
    fn the_grading_table() {
        assert!(TABLE.len() >= 40);
        for (typed, expected, accepted, verdict) in TABLE {
            let accepted: Vec<String> = accepted.iter().map(|s| s.to_string()).collect();
            let got = grade(typed, expected, &accepted).verdict;
            assert_eq!(got, *verdict, "{typed:?} against {expected:?} {accepted:?}");
        }
    }

    #[test]
    fn suggested_ratings_follow_the_verdict() {
        assert_eq!(grade("Yalta", "Yalta", NO).suggested(), Rating::Good);
        assert_eq!(grade("Ynlta", "Yalta", NO).suggested(), Rating::Hard);
        assert_eq!(grade("Potsdam", "Yalta", NO).suggested(), Rating::Again);
        assert_eq!(
            grade("Iturup", "Etorofu", &["Iturup"]).matched.as_deref(),
            Some("Iturup")
        );
    }

    #[test]
    fn multi_answers_in_any_order_with_partial_credit() {
        let four = items(&["Etorofu", "Kunashiri", "Shikotan", "Habomai"]);
        let all = grade_multi("habomai, shikotan; Kunashiri / Etorofu", &four);
        assert!(all.is_right());
        assert_eq!(all.suggested(), Rating::Good);
        let typo = grade_multi("Habomai, Shikotan, Kunashir, Etorofu", &four);
        assert_eq!(typo.suggested(), Rating::Hard);
        let partial = grade_multi("Etorofu、Kunashiri, Sakhalin", &four);
        assert_eq!(partial.right(), 2);
        assert_eq!(
            partial.items,
            [
                Verdict::Exact,
                Verdict::Exact,
                Verdict::Wrong,
                Verdict::Wrong
            ]
        );
        assert_eq!(partial.extra, ["Sakhalin"]);
        assert_eq!(partial.suggested(), Rating::Again);
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
    fn diffs_mark_missing_and_extra_characters() {
        assert_eq!(
            diff("Kunashir", "Kunashiri", &Paint::plain()),
            "Kunashir[+i]"
        );
        assert_eq!(diff("1885", "1855", &Paint::plain()), "18[-8]5[+5]");
        assert!(diff("a", "b", &Paint::colored()).contains("\x1b["));
    }

    proptest! {
        #[test]
        fn an_answer_always_matches_itself(s in "\\PC{0,40}") {
            prop_assume!(!normalize(&s).is_empty());
            prop_assert_eq!(grade(&s, &s, NO).verdict, Verdict::Exact);
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
}

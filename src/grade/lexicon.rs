//! The words and names a learner might mean. A typed answer that is itself
//! one of these is never taken for a slip of the fingers: `decrease` is a
//! word, so it is not a typo of `increase`; `Iraq` is a name, so it is not a
//! typo of `Iran`.
//!
//! The lists are SCOWL's American English word list (the Debian `wamerican`
//! package; licence in `data/lexicon/SCOWL-COPYRIGHT`), split into common
//! words and capitalised names, plus `data/lexicon/names-extra.txt` (places
//! and people of the Kuril dispute). `data/lexicon/build.py` makes them:
//! folded as answers are (lower case, no accents), 4 letters or more, sorted,
//! one per line, and searched in place without being loaded.

const WORDS: &str = include_str!("../../data/lexicon/words.txt");
const NAMES: &str = include_str!("../../data/lexicon/names.txt");

/// A common English word (`lost`, `decrease`, `fifth`), folded.
pub fn is_word(folded: &str) -> bool {
    contains(WORDS, folded)
}

/// A place or person name (`Iraq`, `Slovakia`, `Bali`, `Kunashir`), folded.
pub fn is_name(folded: &str) -> bool {
    contains(NAMES, folded)
}

/// Binary search over a sorted list of lines, in place.
fn contains(list: &str, word: &str) -> bool {
    if word.is_empty() || word.contains('\n') {
        return false;
    }
    let bytes = list.as_bytes();
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // The line that holds `mid`.
        let start = bytes[..mid]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[mid..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| mid + i);
        let line = &list[start..end];
        match line.cmp(word) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

/// The same name in another romanisation: `Kunashir` and `Kunashiri`,
/// `Gorbachov` and `Gorbachev`, `Sakhalin` and `Sachalin`, `Dostoevsky` and
/// `Dostoevskii`, `Tokyo` and `Toukyou`. Both are folded by the usual
/// spelling rules of Russian and Japanese romanisation; a final vowel that
/// one side adds (Japanese `Kunashiri` for Russian `Kunashir`) is allowed on
/// names of six letters or more. Two different names (`Iran`, `Iraq`) stay
/// different; `Iturup` and `Etorofu` are two names, not spellings of one.
pub fn same_name(a: &str, b: &str) -> bool {
    let (fa, fb) = (romanised(a), romanised(b));
    if fa == fb {
        return true;
    }
    let (short, long) = if fa.len() < fb.len() {
        (&fa, &fb)
    } else {
        (&fb, &fa)
    };
    long.len() >= 6
        && long.len() == short.len() + 1
        && long.starts_with(short.as_str())
        && long.ends_with(['a', 'e', 'i', 'o', 'u'])
        && !short.ends_with(['a', 'e', 'i', 'o', 'u'])
}

fn romanised(word: &str) -> String {
    let mut s = word.to_string();
    for (from, to) in [
        ("shch", "s"),
        ("tsch", "c"),
        ("sch", "s"),
        ("tch", "c"),
        ("sh", "s"),
        ("zh", "j"),
        ("kh", "c"),
        ("ch", "c"),
        ("ts", "c"),
        ("tz", "c"),
        ("ph", "f"),
        ("ck", "k"),
        ("w", "v"),
        ("y", "i"),
        ("j", "i"),
    ] {
        s = s.replace(from, to);
    }
    // Japanese long vowels: Toukyou, Tohkyoh, Tookyoo are Tokyo.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        let vowel = |c: Option<char>| matches!(c, Some('a' | 'e' | 'i' | 'o' | 'u'));
        if c == 'o' && matches!(next, Some('u' | 'h')) && !vowel(after) {
            out.push('o');
            i += 2;
            continue;
        }
        // ё after a hushing consonant is written o or e: Gorbachov, Gorbachev.
        if c == 'o' && matches!(out.chars().last(), Some('c' | 's' | 'j')) {
            out.push('e');
        } else if !out.ends_with(c) {
            out.push(c);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_sorted_and_searchable() {
        for list in [WORDS, NAMES] {
            let lines: Vec<&str> = list.lines().collect();
            assert!(lines.windows(2).all(|w| w[0] < w[1]));
            for line in lines.iter().step_by(97) {
                assert!(contains(list, line), "{line}");
            }
            assert!(contains(list, lines[0]));
            assert!(contains(list, lines[lines.len() - 1]));
        }
        for w in ["decrease", "impossible", "lost", "last", "fifth", "fifty"] {
            assert!(is_word(w), "{w}");
        }
        for n in [
            "iran", "iraq", "slovakia", "slovenia", "bali", "mali", "kunashir", "iturup",
        ] {
            assert!(is_name(n), "{n}");
        }
        for not in [
            "kunashri", "hokaido", "yalata", "", "a\nb", "zzzzzz", "aaaa",
        ] {
            assert!(!is_word(not) && !is_name(not), "{not}");
        }
    }

    #[test]
    fn romanisations_of_one_name() {
        for (a, b) in [
            ("kunashir", "kunashiri"),
            ("gorbachov", "gorbachev"),
            ("khrushchov", "khrushchev"),
            ("sakhalin", "sachalin"),
            ("dostoevsky", "dostoevskii"),
            ("tchaikovsky", "chaikovskii"),
            ("tokyo", "toukyou"),
            ("tokyo", "tokio"),
            ("hokkaido", "hokaido"),
        ] {
            assert!(same_name(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("iran", "iraq"),
            ("slovakia", "slovenia"),
            ("bali", "mali"),
            ("iturup", "etorofu"),
            ("roberto", "roberta"),
            ("maria", "mari"),
        ] {
            assert!(!same_name(a, b), "{a} {b}");
        }
    }
}

//! What a wrong answer got wrong, marked against the expected one: word by
//! word first, so that a reply sharing a few words with the answer reads as
//! whole words struck and added, then letter by letter inside a word (or a
//! run of words) that is a near miss of its counterpart.

use similar::{Algorithm, DiffOp, DiffTag, capture_diff_slices};
use unicode_normalization::UnicodeNormalization;

use super::distance::within;
use super::{leading_articles, strips_marks};
use crate::paint::Paint;

/// Answers longer than this (in characters, both sides together) get no
/// diff: the reply is shown plainly.
const MAX_DIFF: usize = 400;

/// One character of a diffed answer: what it is compared as, and itself.
/// Case, accents and punctuation compare folded, runs of spaces as one.
type Key = (char, char);

/// A diff of a wrong answer against the expected one: what was missing is
/// marked `+`, what was extra `-`. In colour the marks are green and red;
/// without colour they are written as `[+x]` and `[-y]`. Case, accents,
/// punctuation, spacing and a leading article are not marked. None when the
/// two share too little for a diff to tell anything (the words and letters
/// that match make less than a third of the expected answer's letters), or
/// are too long: then the reply is shown plainly.
pub(crate) fn diff(given: &str, expected: &str, paint: &Paint) -> Option<String> {
    let chars = |t: &str| t.chars().take(MAX_DIFF + 1).count();
    if chars(given) + chars(expected) > MAX_DIFF {
        return None;
    }
    let old = keys(given);
    let new = keys(expected);
    let (old_words, new_words) = (words(&old), words(&new));
    if old_words.is_empty() || new_words.is_empty() {
        return None;
    }
    let folded =
        |words: &[Word]| -> Vec<Vec<char>> { words.iter().map(|w| w.key.clone()).collect() };
    let ops = capture_diff_slices(Algorithm::Myers, &folded(&old_words), &folded(&new_words));
    let mut marked = Marked {
        out: String::new(),
        same: 0,
        paint,
    };
    for op in &ops {
        let (tag, olds, news) = op.as_tag_tuple();
        let (o, n) = (&old_words[olds], &new_words[news]);
        if tag == DiffTag::Equal {
            marked.same += n.iter().map(|w| w.letters.len()).sum::<usize>();
            let (first, last) = (&n[0], &n[n.len() - 1]);
            marked.push(&new[first.start..last.end], DiffTag::Equal);
        } else {
            marked.replace((&old, o), (&new, n));
        }
    }
    let letters: usize = new_words.iter().map(|w| w.letters.len()).sum();
    (marked.same > 0 && 3 * marked.same >= letters).then_some(marked.out)
}

/// The characters of an answer as they are compared and shown, from the
/// first word after any leading articles, words one space apart.
fn keys(text: &str) -> Vec<Key> {
    let mut out: Vec<Key> = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (n, word) in words[leading_articles(&words)..].iter().enumerate() {
        if n > 0 {
            out.push((' ', ' '));
        }
        for c in word.chars() {
            let lower = c.to_lowercase().next().unwrap_or(c);
            let key = match lower.nfd().next() {
                Some(base) if strips_marks(base) => base,
                _ => lower,
            };
            let key = if key.is_alphanumeric() { key } else { ' ' };
            out.push((key, c));
        }
    }
    out
}

/// A word of an answer: its letters, with the spacing and punctuation
/// before them (and, for the last word, after them) shown with it but not
/// compared.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    letters: std::ops::Range<usize>,
    end: usize,
    /// The letters as they compare, folded once for both word diffs.
    key: Vec<char>,
}

fn words(text: &[Key]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i].0 == ' ' {
            i += 1;
            continue;
        }
        let first = i;
        while i < text.len() && text[i].0 != ' ' {
            i += 1;
        }
        out.push(Word {
            start,
            letters: first..i,
            end: i,
            key: text[first..i].iter().map(|k| k.0).collect(),
        });
        start = i;
    }
    if let Some(last) = out.last_mut() {
        last.end = text.len();
    }
    out
}

/// The characters from a run's first letter to its last.
fn letters(words: &[Word]) -> std::ops::Range<usize> {
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => first.letters.start..last.letters.end,
        _ => 0..0,
    }
}

/// Whether two words are alike: within an edit for every three letters of
/// the longer. Letters matched here and there (`Shim·o·da` in
/// `C·o·mmerce`) are chance, not likeness.
fn alike(old: &[char], new: &[char]) -> bool {
    within(old, new, old.len().max(new.len()) / 3).is_some()
}

/// The words of two runs that are alike, paired in order, as many as can
/// be (a longest common subsequence where alike counts as the same). Runs
/// too long to pair word by word pair nothing.
fn pairs(o: &[Word], n: &[Word]) -> Vec<(usize, usize)> {
    if o.len() * n.len() > 2_500 {
        return Vec::new();
    }
    let like: Vec<Vec<bool>> = o
        .iter()
        .map(|a| n.iter().map(|b| alike(&a.key, &b.key)).collect())
        .collect();
    // best[i][j]: pairs in o[i..] and n[j..].
    let mut best = vec![vec![0usize; n.len() + 1]; o.len() + 1];
    for i in (0..o.len()).rev() {
        for j in (0..n.len()).rev() {
            best[i][j] = if like[i][j] {
                best[i + 1][j + 1] + 1
            } else {
                best[i + 1][j].max(best[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < o.len() && j < n.len() {
        if like[i][j] && best[i][j] == best[i + 1][j + 1] + 1 {
            out.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if best[i + 1][j] >= best[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// One side of a diff: its characters and a run of its words.
type Side<'a> = (&'a [Key], &'a [Word]);

/// The diff as it is written, and how many compared characters matched.
struct Marked<'a> {
    out: String,
    same: usize,
    paint: &'a Paint,
}

impl Marked<'_> {
    /// Characters shown as they are (`Equal`), or marked missing or extra.
    fn push(&mut self, chars: &[Key], tag: DiffTag) {
        if chars.is_empty() {
            return;
        }
        let run: String = chars.iter().map(|k| k.1).collect();
        let shown = crate::text::sanitize(&run, false);
        let out = &mut self.out;
        match (tag, self.paint.is_enabled()) {
            (DiffTag::Insert, true) => out.push_str(&self.paint.code("4;32", &shown)),
            (DiffTag::Delete, true) => out.push_str(&self.paint.code("9;31", &shown)),
            (DiffTag::Insert, false) => out.push_str(&format!("[+{shown}]")),
            (DiffTag::Delete, false) => out.push_str(&format!("[-{shown}]")),
            _ => out.push_str(&shown),
        }
    }

    /// Runs of words that differ: words alike are marked letter by letter,
    /// the rest whole. A part with expected words starts with the expected
    /// answer's spacing before them, and its trailing punctuation ends the
    /// run, unmarked.
    fn replace(&mut self, (old, o): Side, (new, n): Side) {
        let mut from = (0, 0);
        for (i, j) in pairs(o, n).into_iter().chain([(o.len(), n.len())]) {
            let (o_gap, n_gap) = (&o[from.0..i], &n[from.1..j]);
            if let ([first, ..], []) = (o_gap, n_gap) {
                // Words only the reply has: what was typed with them, but
                // the space before them, is extra (`Simoda[--jo]`).
                let spaces = old[first.start..first.letters.start]
                    .iter()
                    .take_while(|k| k.1.is_whitespace())
                    .count();
                let start = first.start + spaces;
                self.push(&old[first.start..start], DiffTag::Equal);
                self.push(&old[start..o_gap[o_gap.len() - 1].end], DiffTag::Delete);
            } else if let Some(first) = n_gap.first() {
                self.lead(new, first);
                self.mark(&old[letters(o_gap)], &new[letters(n_gap)]);
            }
            if i < o.len() {
                self.lead(new, &n[j]);
                self.mark(&old[o[i].letters.clone()], &new[n[j].letters.clone()]);
            }
            from = (i + 1, j + 1);
        }
        if let Some(last) = n.last() {
            self.push(&new[last.letters.end..last.end], DiffTag::Equal);
        }
    }

    /// The expected answer's spacing before one of its words.
    fn lead(&mut self, new: &[Key], word: &Word) {
        self.push(&new[word.start..word.letters.start], DiffTag::Equal);
    }

    /// `old` against `new`: letter by letter when they are [`alike`], else
    /// the one struck and the other added whole.
    fn mark(&mut self, old: &[Key], new: &[Key]) {
        let old_keys: Vec<char> = old.iter().map(|k| k.0).collect();
        let new_keys: Vec<char> = new.iter().map(|k| k.0).collect();
        if old.is_empty() || new.is_empty() || !alike(&old_keys, &new_keys) {
            self.push(old, DiffTag::Delete);
            self.push(new, DiffTag::Insert);
            return;
        }
        let ops = capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys);
        self.same += ops
            .iter()
            .filter(|op| op.tag() == DiffTag::Equal)
            .map(|op| op.new_range().len())
            .sum::<usize>();
        ops.iter().for_each(|op| self.letter_op(op, old, new));
    }

    fn letter_op(&mut self, op: &DiffOp, old: &[Key], new: &[Key]) {
        let (tag, olds, news) = op.as_tag_tuple();
        match tag {
            // The right spelling of what matched: case and accents are not
            // the learner's mistake.
            DiffTag::Equal => self.push(&new[news], DiffTag::Equal),
            DiffTag::Delete => self.push(&old[olds], DiffTag::Delete),
            DiffTag::Insert => self.push(&new[news], DiffTag::Insert),
            DiffTag::Replace => {
                self.push(&old[olds], DiffTag::Delete);
                self.push(&new[news], DiffTag::Insert);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn diffs_mark_missing_and_extra_characters() {
        let plain = Paint::plain();
        assert_eq!(
            diff("Kunashir", "Kunashiri", &plain).as_deref(),
            Some("Kunashir[+i]")
        );
        assert_eq!(diff("1885", "1855", &plain).as_deref(), Some("18[-8]5[+5]"));
        assert!(diff("Iturap", "Iturup", &Paint::colored()).is_some_and(|d| d.contains("\x1b[")));
    }

    #[test]
    fn diffs_never_mark_case_articles_or_spacing() {
        let plain = Paint::plain();
        // The right spelling is shown for what matched; nothing is marked.
        assert_eq!(
            diff("the  sea of okhotsk", "Sea of Okhotsk", &plain).as_deref(),
            Some("Sea of Okhotsk")
        );
        assert_eq!(
            diff("the pacific fleat", "Pacific Fleet", &plain).as_deref(),
            Some("Pacific Fle[-a][+e]t")
        );
        assert_eq!(
            diff("hokaido", "Hokkaidō", &plain).as_deref(),
            Some("Hok[+k]aidō")
        );
        // Every leading article, as folding drops them: `An` is not missing.
        assert_eq!(
            diff("an lushan rebelion", "The An Lushan Rebellion", &plain).as_deref(),
            Some("Lushan Rebel[+l]ion")
        );
        // Punctuation is the expected answer's, unmarked.
        assert_eq!(
            diff("Kunashiri Etorofu", "Kunashiri, Etorofu.", &plain).as_deref(),
            Some("Kunashiri, Etorofu.")
        );
    }

    #[test]
    fn a_wholly_wrong_answer_gets_no_diff() {
        let plain = Paint::plain();
        assert_eq!(diff("Pacific Fleet", "Sea of Okhotsk", &plain), None);
        assert_eq!(diff("Iturup", "Etorofu", &plain), None);
        assert_eq!(diff("Bay of Pigs", "Sea of Okhotsk", &plain), None);
        assert_eq!(diff("", "Etorofu", &plain), None);
        assert_eq!(diff("?!", "Etorofu", &plain), None);
        let long = "a".repeat(300);
        assert_eq!(diff(&long, &long, &plain), None);
        // Sharing its first words and letters here and there is not enough:
        // a letter diff read `ShimCoda betwmmercen, …` (kept as they are
        // typed, the two lines are easier to compare).
        assert_eq!(
            diff(
                "The Treaty of Shimoda between Russia and the Shogunate",
                "The Treaty of Commerce, Navigation and Delimitation (Shimoda)",
                &plain
            ),
            None
        );
    }

    #[test]
    fn words_that_differ_are_marked_whole_and_near_misses_letter_by_letter() {
        let plain = Paint::plain();
        // Missing and extra words, the spacing before them unmarked.
        assert_eq!(
            diff(
                "Treaty of Commerce and Navigation, Shimoda",
                "Treaty of Commerce and Delimitation, Shimoda",
                &plain
            )
            .as_deref(),
            Some("Treaty of Commerce and [-Navigation][+Delimitation], Shimoda")
        );
        assert_eq!(
            diff("Habomai islands group", "Habomai Islands", &plain).as_deref(),
            Some("Habomai Islands [-group]")
        );
        assert_eq!(
            diff(
                "Kunashiri Shikotan",
                "Kunashiri, Etorofu and Shikotan",
                &plain
            )
            .as_deref(),
            Some("Kunashiri, [+Etorofu and] Shikotan")
        );
        // A misspelt word beside a wrong one: each as it deserves.
        assert_eq!(
            diff("Treaty of Simoda 1885", "Treaty of Shimoda 1855", &plain).as_deref(),
            Some("Treaty of S[+h]imoda 18[-8]5[+5]")
        );
        // A misspelt word paired with its own, not with the word after it
        // that is missing; the expected answer's brackets stay unmarked.
        assert_eq!(
            diff(
                "Kunashri, Shikotan and the Habomai group",
                "Kunashiri, Etorofu, Shikotan and the Habomai islands",
                &plain
            )
            .as_deref(),
            Some("Kunash[+i]ri, [+Etorofu], Shikotan and the Habomai [-group][+islands]")
        );
        assert_eq!(
            diff(
                "Treaty of Comerce, Navigation and Delimitation",
                "The Treaty of Commerce, Navigation and Delimitation (Shimoda)",
                &plain
            )
            .as_deref(),
            Some("Treaty of Com[+m]erce, Navigation and Delimitation ([+Shimoda])")
        );
        // What was typed with an extra word is extra too, but the space.
        assert_eq!(
            diff("Simoda-jo", "Shimoda", &plain).as_deref(),
            Some("S[+h]imoda[--jo]")
        );
        assert_eq!(
            diff("Shimoda (treaty)", "Shimoda", &plain).as_deref(),
            Some("Shimoda [-(treaty)]")
        );
        // A wrong word among right ones.
        assert_eq!(
            diff("Sea of Japan", "Sea of Okhotsk", &plain).as_deref(),
            Some("Sea of [-Japan][+Okhotsk]")
        );
        // Words run together are a near miss of the words apart.
        assert_eq!(
            diff("habomaiislands", "Habomai Islands", &plain).as_deref(),
            Some("Habomai[+ ]Islands")
        );
        // Japanese, where words are not spaced: letter by letter.
        assert_eq!(
            diff("北方領土問題", "北方領土", &plain).as_deref(),
            Some("北方領土[-問題]")
        );
    }

    #[test]
    fn colours_mark_the_same_runs_as_brackets() {
        let coloured = diff("Treaty of Simoda", "Treaty of Shimoda", &Paint::colored());
        assert_eq!(
            coloured.as_deref(),
            Some("Treaty of S\x1b[4;32mh\x1b[0mimoda")
        );
    }

    proptest! {
        #[test]
        fn a_diff_shows_the_expected_answer_once_its_marks_are_applied(
            given in "[a-z ,]{0,30}",
            expected in "[a-z ,]{0,30}",
        ) {
            // Dropping what is marked extra and keeping what is marked
            // missing gives the expected answer's words back.
            if let Some(d) = diff(&given, &expected, &Paint::plain()) {
                let mut kept = String::new();
                let mut rest = d.as_str();
                while let Some(at) = rest.find('[') {
                    kept.push_str(&rest[..at]);
                    let close = rest[at..].find(']').map_or(rest.len(), |c| at + c);
                    if rest[at..].starts_with("[+") {
                        kept.push_str(&rest[at + 2..close]);
                    }
                    rest = &rest[(close + 1).min(rest.len())..];
                }
                kept.push_str(rest);
                // As `keys` folds: leading articles off, punctuation a space.
                let folded = |t: &str| {
                    let words: Vec<&str> = t.split_whitespace().collect();
                    words[leading_articles(&words)..]
                        .join(" ")
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                prop_assert_eq!(folded(&kept), folded(&expected), "diff {}", d);
            }
        }

        #[test]
        fn diffing_never_panics(a in "\\PC{0,30}", b in "\\PC{0,30}") {
            let _ = diff(&a, &b, &Paint::plain());
            let _ = diff(&a, &b, &Paint::colored());
        }
    }
}

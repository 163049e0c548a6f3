//! Paragraphs into sentences, by the Unicode sentence boundaries of
//! `unicode-segmentation` (which also knows 。 and ！), then mended where
//! English abbreviations and initials ("Dr. Miller", "U.S. policy",
//! "John H. Miller") were taken for sentence ends.

use unicode_segmentation::UnicodeSegmentation;

use super::read::Paragraph;

/// One sentence of a document, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sentence {
    pub text: String,
    /// 1-based line of the file where the sentence starts.
    pub line: usize,
    /// Position in the document, counting sentences from 0.
    pub index: usize,
    /// The headings above it, outermost first.
    pub headings: Vec<String>,
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "prof", "st", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep",
    "jr", "sr", "vs", "etc", "no", "vol", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "cf", "approx", "ca", "mt", "u.s", "u.k",
    "u.n", "a.m", "p.m", "inc", "ltd", "co",
];

/// The sentences of a paragraph, numbered from `first_index`.
pub(crate) fn sentences(paragraph: &Paragraph, first_index: usize) -> Vec<Sentence> {
    let text = paragraph.text.as_str();
    // A line that ends a sentence ends it, whatever follows ("... Moscow.",
    // then "75 years after ..." on the next line, which Unicode's rules
    // would join).
    let mut cuts: Vec<usize> = paragraph
        .lines
        .iter()
        .map(|(start, _)| *start)
        .filter(|&start| {
            start > 0
                && text[..start]
                    .trim_end()
                    .ends_with(['.', '!', '?', '。', '！', '？'])
        })
        .collect();
    cuts.push(text.len());
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut from = 0;
    for cut in cuts {
        let chunk = &text[from..cut];
        let mut open = false;
        for (start, piece) in chunk.split_sentence_bound_indices() {
            let start = from + start;
            match pieces.last_mut() {
                Some((s, last)) if open && !ends_sentence(last) => {
                    *last = &text[*s..start + piece.len()];
                }
                _ => pieces.push((start, piece)),
            }
            open = true;
        }
        from = cut;
    }
    pieces
        .into_iter()
        .filter_map(|(start, piece)| {
            let lead = piece.len() - piece.trim_start().len();
            let text = piece.trim();
            (!text.is_empty()).then(|| (start + lead, text))
        })
        .enumerate()
        .map(|(i, (start, text))| Sentence {
            text: text.to_string(),
            line: paragraph.line_at(start),
            index: first_index + i,
            headings: paragraph.headings.clone(),
        })
        .collect()
}

/// Whether a piece really ends its sentence: not after an abbreviation, an
/// initial, or before a lowercase continuation (checked by the caller's next
/// piece being merged when this says no).
fn ends_sentence(piece: &str) -> bool {
    let t = piece.trim_end();
    let Some(before) = t.strip_suffix('.') else {
        return true;
    };
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // An initial: one capital letter ("John H. Miller").
    let mut chars = word.chars();
    !matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::read::read_text;

    fn split(text: &str) -> Vec<String> {
        let doc = read_text(text);
        sentences(&doc.paragraphs[0], 0)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            split("Dr. Miller wrote it. The U.S. State Department agreed. John H. Miller left."),
            [
                "Dr. Miller wrote it.",
                "The U.S. State Department agreed.",
                "John H. Miller left."
            ]
        );
    }

    #[test]
    fn japanese_and_russian_sentences() {
        assert_eq!(
            split("択捉島は大きい。国後島もある。"),
            ["択捉島は大きい。", "国後島もある。"]
        );
        assert_eq!(
            split("Итуруп — крупнейший остров. Кунашир ближе."),
            ["Итуруп — крупнейший остров.", "Кунашир ближе."]
        );
    }

    #[test]
    fn lines_follow_the_sentence_start() {
        let doc = read_text("One is here.\nTwo starts\nhere.");
        let s = sentences(&doc.paragraphs[0], 5);
        assert_eq!(s[1].line, 2);
        assert_eq!(s[1].index, 6);
    }
}

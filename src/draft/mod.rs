//! `kioku draft`: a first deck from a document, for its author to edit.
//! A deterministic pipeline, no model and no network: the document is read
//! into paragraphs ([`read`]) and sentences ([`segment`]); the terms a
//! sentence teaches are found by rules ([`facts`]); cards are made from them
//! ([`cards`]), the best kept when asked ([`rank`]) and written as TOML
//! ([`write`]). [`provenance`] checks later that each card still says what
//! its document says.

pub(crate) mod cards;
pub(crate) mod facts;
pub(crate) mod provenance;
pub(crate) mod rank;
pub(crate) mod read;
pub(crate) mod segment;
pub(crate) mod write;

use std::collections::{HashMap, HashSet};

use cards::{DocContext, DraftCard, Seen};
use facts::{Kind, Term};
use read::Document;
use segment::Sentence;

/// A document's sentences with their terms, and what the document as a
/// whole says about them.
struct Analysed {
    sentences: Vec<(Sentence, Vec<Term>)>,
    context: DocContext,
}

/// What drafting found, beside the cards: said to the author on stderr.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub sentences: usize,
    pub notes: Vec<String>,
}

/// Drafts the cards of every document, in document order; `max` keeps the
/// best, spread across each document in proportion to its share.
pub(crate) fn draft(docs: &[Document], max: Option<usize>) -> (Vec<DraftCard>, Report) {
    let mut report = Report::default();
    let mut seen = Seen::default();
    let mut per_doc: Vec<Vec<DraftCard>> = Vec::new();
    for doc in docs {
        let analysed = analyse(doc);
        report.sentences += analysed.sentences.len();
        if let Some(note) = script_note(doc) {
            report.notes.push(note);
        }
        let mut cards = Vec::new();
        for (sentence, terms) in &analysed.sentences {
            cards.extend(cards::make(sentence, terms, &analysed.context, &mut seen));
        }
        if cards.is_empty() {
            report.notes.push(format!(
                "{}: no sentence with a date, number or name to draft a card from",
                doc.name
            ));
        }
        per_doc.push(cards);
    }
    let total: usize = per_doc.iter().map(Vec::len).sum();
    let mut out = Vec::new();
    for cards in per_doc {
        match max {
            Some(max) if total > max => {
                let share = (max * cards.len()).div_ceil(total.max(1));
                out.extend(rank::select(cards, share));
            }
            _ => out.extend(cards),
        }
    }
    if let Some(max) = max
        && out.len() > max
    {
        // Rounding up each share can overshoot by a card or two.
        out = rank::select(out, max);
    }
    (out, report)
}

fn analyse(doc: &Document) -> Analysed {
    let mut sentences = Vec::new();
    for p in &doc.paragraphs {
        let first = sentences.len();
        for s in segment::sentences(p, first) {
            let terms = facts::find_terms(&s.text);
            sentences.push((s, terms));
        }
    }
    // How the document uses each term: in how many sentences, and as what.
    let mut count: HashMap<String, usize> = HashMap::new();
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    let mut people: HashSet<String> = HashSet::new();
    for (_, terms) in &sentences {
        let mut once = HashSet::new();
        for t in terms {
            if once.insert(t.text.clone()) {
                *count.entry(t.text.clone()).or_default() += 1;
            }
            if t.initial_only {
                continue;
            }
            let k = kinds.entry(t.text.clone()).or_insert(t.kind);
            if *k == Kind::Name {
                *k = t.kind;
            }
            if t.kind == Kind::Person {
                people.insert(t.text.clone());
                if let Some((_, last)) = t.text.rsplit_once(' ') {
                    people.insert(last.to_string());
                }
            }
        }
    }
    // A word that starts a sentence is a name if the document uses it as
    // one elsewhere; a name is a person's if the person is named elsewhere.
    for (_, terms) in &mut sentences {
        terms.retain(|t| !t.initial_only || kinds.contains_key(&t.text));
        for t in terms.iter_mut() {
            if people.contains(&t.text) && matches!(t.kind, Kind::Name | Kind::Place) {
                t.kind = Kind::Person;
            } else if let Some(k) = kinds.get(&t.text)
                && t.kind == Kind::Name
            {
                t.kind = *k;
            }
        }
    }
    let n = sentences.len();
    let topic_at = (n / 12).max(4);
    let topic: HashSet<String> = count
        .iter()
        .filter(|(_, c)| **c > topic_at)
        .map(|(t, _)| t.clone())
        .collect();
    let mut pools: HashMap<Kind, Vec<(String, usize, usize)>> = HashMap::new();
    let mut pooled: HashSet<(Kind, String)> = HashSet::new();
    for (i, (_, terms)) in sentences.iter().enumerate() {
        for t in terms {
            if topic.contains(&t.text) || !pooled.insert((t.kind, t.text.to_lowercase())) {
                continue;
            }
            let n = count.get(&t.text).copied().unwrap_or(1);
            pools
                .entry(t.kind)
                .or_default()
                .push((t.text.clone(), n, i));
        }
    }
    // The most used few hundred of a kind are options enough, and keep
    // choosing them cheap in a long document.
    let mut pools: Vec<(Kind, Vec<String>)> = pools
        .into_iter()
        .map(|(k, mut p)| {
            p.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
            p.truncate(300);
            (k, p.into_iter().map(|(t, _, _)| t).collect())
        })
        .collect();
    pools.sort_by_key(|(k, _)| *k);
    Analysed {
        sentences,
        context: DocContext {
            name: doc.name.clone(),
            topic,
            pools,
            counts: count,
        },
    }
}

/// A plain word when the document is mostly in a script without capital
/// letters, where names cannot be told from other words.
fn script_note(doc: &Document) -> Option<String> {
    let (mut cased, mut uncased) = (0usize, 0usize);
    for p in doc.paragraphs.iter().take(200) {
        for c in p.text.chars().filter(|c| c.is_alphabetic()) {
            if c.is_uppercase() || c.is_lowercase() {
                cased += 1;
            } else {
                uncased += 1;
            }
        }
    }
    (uncased > cased).then(|| {
        format!(
            "{}: this script has no capital letters, so names cannot be found; only dates, years and numbers were drafted",
            doc.name
        )
    })
}

/// A deck id from a file name: lowercase ASCII letters and digits joined by
/// '-', or `draft` when nothing of the name is left.
pub(crate) fn deck_id_from(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let id = cards::slug(stem, 8);
    if id.is_empty() {
        "draft".to_string()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cards::Body;

    /// A small document whose facts are known: each should be drafted once.
    const NOTES: &str = "# The Kuril Islands

The Treaty of Shimoda was signed in 1855.
It drew the border between Etorofu and Urup, and Russia and Japan shared Sakhalin.
Twenty years later, the Treaty of Saint Petersburg gave Japan all the Kurils in 1875.
Russian Foreign Minister Sergei Lavrov insisted that Japan must accept the results of the war.

## After the war

The Soviet Union occupied the islands in August 1945 and expelled 17,000 residents.
The southern islands, known as the Northern Territories in Japan, are still disputed.
Under the 1951 San Francisco Peace Treaty, Japan renounced its claim to the Kurils.
";

    fn drafted(text: &str) -> Vec<DraftCard> {
        let mut doc = read::read_text(text);
        doc.name = "notes.md".into();
        draft(&[doc], None).0
    }

    #[test]
    fn a_small_document_yields_the_expected_cards() {
        let cards = drafted(NOTES);
        let answers: Vec<String> = cards.iter().flat_map(|c| c.body.answers()).collect();
        for fact in [
            "1855",
            "Sergei Lavrov",
            "August 1945",
            "17,000 residents",
            "Northern Territories",
            "1875",
            "Treaty of Saint Petersburg",
        ] {
            assert!(
                answers.iter().any(|a| a == fact),
                "{fact} not in {answers:?}"
            );
        }
        // Each fact once.
        let mut unique = answers.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), answers.len(), "{answers:?}");
        let when = cards
            .iter()
            .find(|c| c.body.answers() == ["1855"])
            .expect("1855");
        assert_eq!(
            when.body,
            Body::Basic {
                q: "In which year was the Treaty of Shimoda signed?".into(),
                a: "1855".into(),
                accept: Vec::new()
            }
        );
        assert_eq!(when.source, "notes.md:3");
        assert_eq!(when.quote, "The Treaty of Shimoda was signed in 1855.");
        assert_eq!(when.tags, ["kuril-islands"]);
        let who = cards
            .iter()
            .find(|c| c.body.answers() == ["Sergei Lavrov"])
            .expect("Lavrov");
        assert!(
            matches!(&who.body, Body::Basic { q, accept, .. } if q == "Which Russian Foreign Minister insisted that Japan must accept the results of the war?" && accept == &["Lavrov"]),
            "{:?}",
            who.body
        );
        let after = cards
            .iter()
            .find(|c| c.body.answers().contains(&"17,000 residents".to_string()))
            .expect("residents");
        assert_eq!(after.tags, ["kuril-islands", "after-war"]);
    }

    #[test]
    fn no_blank_on_what_the_card_gives_away() {
        let cards = drafted(
            "The Shimoda treaty was named after Shimoda, where it was signed in February 1855.\n",
        );
        for c in &cards {
            assert!(!c.body.answers().iter().any(|a| a == "Shimoda"), "{c:?}");
        }
    }

    #[test]
    fn choice_options_are_of_the_same_kind() {
        let text = "Japan and Russia met in 1855 to draw a line between their lands.\n\
            A second meeting followed in 1875 with another exchange of lands.\n\
            The war between them began in 1904 and ended a year later.\n\
            A neutrality pact between them was signed in 1941 in the capital.\n\
            A joint declaration between them was issued in 1956 after long talks.\n\
            The next summit between them took place in 1973 in the capital.\n";
        let cards = drafted(text);
        let choice = cards
            .iter()
            .find_map(|c| match &c.body {
                Body::Choice { choices, .. } => Some(choices.clone()),
                _ => None,
            })
            .expect("a choice card");
        assert!(
            choice
                .iter()
                .all(|c| c.len() == 4 && c.parse::<u32>().is_ok()),
            "{choice:?}"
        );
    }

    #[test]
    fn max_keeps_the_best_and_ids_stay_unique() {
        let (all, _) = draft(&[read::read_text(NOTES)], None);
        let (few, _) = draft(&[read::read_text(NOTES)], Some(3));
        assert_eq!(few.len(), 3);
        assert!(all.len() > 3);
        let ids: HashSet<&str> = all.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), all.len());
    }

    #[test]
    fn japanese_text_drafts_its_years_and_says_why_no_names() {
        let mut doc = read::read_text(
            "1855年に日本とロシアは下田条約を結び、択捉島とウルップ島の間に国境を定めた。\n",
        );
        doc.name = "ja.txt".into();
        let (cards, report) = draft(&[doc], None);
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].body.answers(), ["1855"]);
        assert!(report.notes[0].contains("no capital letters"));
    }

    /// Drafts `text` and loads the TOML written from it, as `kioku check`
    /// would: the deck must have no errors and no warnings.
    fn draft_and_load(text: &str) -> usize {
        let mut doc = read::read_text(text);
        doc.name = "doc.md".into();
        let (cards, _) = draft(std::slice::from_ref(&doc), Some(50));
        let toml = write::deck_toml(
            &write::DeckHeader {
                id: "d",
                title: "T",
                documents: &[doc.name.clone()],
                schema: "../schema/deck.schema.json",
            },
            &cards,
        );
        let (deck, diagnostics) =
            crate::deck::parse::parse_deck(std::path::Path::new("d.toml"), &toml);
        let problems: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.is_error() || !d.message.contains("has no cards"))
            .collect();
        assert!(problems.is_empty(), "{problems:?}\n{toml}");
        deck.map_or(0, |d| d.deck.cards.len())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// No text panics the drafter, and whatever it drafts loads.
        #[test]
        fn any_text_drafts_a_valid_deck(text in "\\PC{0,400}") {
            draft_and_load(&text);
        }

        /// Text built from the pieces the rules look for: names, years,
        /// dates, numbers, markup, quotes and braces in any order.
        #[test]
        fn fact_like_text_drafts_a_valid_deck(parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just("The Treaty of Shimoda".to_string()),
                proptest::prelude::Just(" was signed in ".to_string()),
                proptest::prelude::Just("1855".to_string()),
                proptest::prelude::Just(" on 2 September 1945".to_string()),
                proptest::prelude::Just("Prime Minister Shinzo Abe".to_string()),
                proptest::prelude::Just(" said that ".to_string()),
                proptest::prelude::Just(" 17,000 residents".to_string()),
                proptest::prelude::Just(", known as \u{201c}Karafuto\u{201d}".to_string()),
                proptest::prelude::Just(". ".to_string()),
                proptest::prelude::Just("\n\n# Heading\n".to_string()),
                proptest::prelude::Just("{{c1::x}}".to_string()),
                proptest::prelude::Just(" \"quoted\" \\ back".to_string()),
                proptest::prelude::Just("択捉島は".to_string()),
                proptest::prelude::Just("Итуруп".to_string()),
                "[A-Za-z ]{0,12}",
            ],
            0..40,
        )) {
            draft_and_load(&parts.concat());
        }
    }

    #[test]
    fn the_small_document_loads_as_a_deck() {
        assert!(draft_and_load(NOTES) >= 8);
    }

    #[test]
    fn deck_ids_from_file_names() {
        assert_eq!(deck_id_from("Lecture Notes 3.md"), "lecture-notes-3");
        assert_eq!(deck_id_from("択捉.txt"), "draft");
    }
}

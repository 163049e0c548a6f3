//! Finding the terms a sentence teaches: years and dates, numbers with their
//! units, and names (capitalised words that are not just the sentence's
//! first word), sorted into people, places, organisations and events by the
//! words around them. Rules only, no model: every choice can be explained.

/// What kind of thing a term is; choice cards draw wrong options of the
/// same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Year,
    Date,
    Quantity,
    Person,
    Event,
    Organisation,
    Place,
    Name,
    /// A term the sentence defines ("known as X", "called X").
    Term,
}

impl Kind {
    /// The word a question or hint uses for the kind.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Year => "year",
            Kind::Date => "date",
            Kind::Quantity => "number",
            Kind::Person => "person",
            Kind::Event => "event",
            Kind::Organisation => "organisation",
            Kind::Place => "place",
            Kind::Name => "name",
            Kind::Term => "term",
        }
    }

    /// How much a blank on this kind teaches, before rarity.
    pub(crate) fn weight(self) -> f64 {
        match self {
            Kind::Year | Kind::Date | Kind::Person | Kind::Event | Kind::Term => 3.0,
            Kind::Quantity => 2.5,
            Kind::Organisation | Kind::Place => 2.0,
            Kind::Name => 2.0,
        }
    }
}

/// One term found in a sentence: `start..end` is its byte range there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    pub text: String,
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// A single capitalised word at the start of the sentence: a name only
    /// if the document uses it as one elsewhere.
    pub initial_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    class: Class,
}

impl Token<'_> {
    fn capitalised(&self) -> bool {
        self.class == Class::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    fn lower(&self) -> String {
        self.text.to_lowercase()
    }
}

/// Words, numbers and punctuation, with byte ranges. Digits and letters are
/// separate tokens (`1855年` is `1855`, `年`); hyphens and apostrophes inside
/// a word keep it whole (`Russo-Japanese`, `Japan’s`).
fn tokens(s: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let offset = |i: usize| chars.get(i).map_or(s.len(), |(o, _)| *o);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let start = i;
        let class = if c.is_ascii_digit() {
            i += 1;
            while let Some(c) = at(i) {
                if c.is_ascii_digit()
                    || (matches!(c, ',' | '.') && at(i + 1).is_some_and(|n| n.is_ascii_digit()))
                {
                    i += 1;
                } else {
                    break;
                }
            }
            Class::Number
        } else if c.is_alphabetic() {
            i += 1;
            while let Some(c) = at(i) {
                let joins = matches!(c, '-' | '\'' | '’')
                    && at(i + 1).is_some_and(char::is_alphabetic)
                    && i > start;
                // U.S: a period between single letters.
                let dotted = c == '.'
                    && at(i + 1).is_some_and(char::is_alphabetic)
                    && at(i + 2).is_none_or(|n| !n.is_alphabetic())
                    && at(i - 1).is_some_and(char::is_uppercase)
                    && (i < 2 || at(i - 2).is_none_or(|p| !p.is_alphabetic()));
                if (c.is_alphabetic() && !c.is_ascii_digit()) || joins || dotted || is_mark(c) {
                    i += 1;
                } else {
                    break;
                }
            }
            Class::Word
        } else if c.is_whitespace() {
            i += 1;
            continue;
        } else {
            i += 1;
            Class::Punct
        };
        out.push(Token {
            text: &s[offset(start)..offset(i)],
            start: offset(start),
            end: offset(i),
            class,
        });
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{3099}'..='\u{309A}')
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Capitalised words that begin sentences or clauses but name nothing.
const COMMON: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "in",
    "on",
    "at",
    "for",
    "but",
    "and",
    "or",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "as",
    "however",
    "still",
    "yet",
    "so",
    "indeed",
    "even",
    "under",
    "over",
    "during",
    "from",
    "to",
    "by",
    "with",
    "without",
    "although",
    "though",
    "because",
    "then",
    "now",
    "today",
    "also",
    "both",
    "each",
    "every",
    "all",
    "some",
    "most",
    "many",
    "such",
    "other",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "we",
    "they",
    "he",
    "she",
    "you",
    "i",
    "there",
    "here",
    "what",
    "which",
    "who",
    "why",
    "how",
    "whatever",
    "similarly",
    "moreover",
    "meanwhile",
    "thus",
    "hence",
    "instead",
    "not",
    "no",
    "yes",
    "only",
    "just",
    "much",
    "more",
    "less",
    "first",
    "second",
    "third",
    "last",
    "next",
    "among",
    "between",
    "against",
    "despite",
    "through",
    "until",
    "upon",
    "within",
    "nevertheless",
    "furthermore",
    "finally",
    "overall",
    "again",
    "perhaps",
    "probably",
    "certainly",
    "clearly",
    "given",
    "let",
    "one",
    "two",
    "three",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "is",
    "was",
    "are",
    "were",
    "be",
    "do",
    "did",
    "does",
    "has",
    "have",
    "had",
    "will",
    "would",
    "should",
    "could",
    "can",
    "may",
    "might",
    "must",
    "whether",
    "where",
    "unlike",
    "like",
    "instead",
    "already",
    "never",
    "nor",
    "neither",
    "either",
    "about",
    "according",
    "another",
    "any",
    "same",
    "several",
    "few",
    "whose",
    "whom",
    "main",
    "image",
    "credit",
    "courtesy",
    "source",
    "note",
    "see",
    "figure",
    "table",
    "chapter",
    "page",
];

/// Nationality words: a name of their own only as part of a longer one.
const DEMONYMS: &[&str] = &[
    "japanese",
    "russian",
    "soviet",
    "american",
    "chinese",
    "korean",
    "western",
    "eastern",
    "european",
    "asian",
    "british",
    "german",
    "english",
    "french",
    "ukrainian",
    "communist",
    "allied",
    "northern",
    "southern",
    "north",
    "south",
    "east",
    "west",
    "imperial",
    "former",
    "then",
    "current",
    "new",
    "late",
];

/// Words that stand before a person's name.
const TITLES: &[&str] = &[
    "president",
    "prime",
    "minister",
    "foreign",
    "secretary",
    "general",
    "emperor",
    "tsar",
    "czar",
    "king",
    "queen",
    "dr",
    "mr",
    "mrs",
    "ms",
    "professor",
    "prof",
    "chairman",
    "premier",
    "chancellor",
    "ambassador",
    "admiral",
    "marshal",
    "governor",
    "senator",
    "leader",
    "deputy",
    "chief",
    "cabinet",
    "defense",
    "defence",
    "state",
    "vice",
    "envoy",
    "spokesman",
    "spokeswoman",
    "director",
    "commander",
    "captain",
    "lord",
    "sir",
    "pope",
    "general-secretary",
    "first",
    "party",
];

/// Title words that only lead up to another ("Foreign Minister").
const WEAK_TITLES: &[&str] = &[
    "prime",
    "foreign",
    "state",
    "defense",
    "defence",
    "cabinet",
    "party",
    "first",
    "chief",
    "deputy",
    "vice",
    "general-secretary",
];

const EVENT_WORDS: &[&str] = &[
    "treaty",
    "declaration",
    "pact",
    "agreement",
    "accord",
    "conference",
    "war",
    "communiqué",
    "communique",
    "summit",
    "protocol",
    "convention",
    "charter",
    "incident",
    "revolution",
    "intervention",
    "battle",
    "act",
    "crisis",
    "statement",
    "doctrine",
    "plan",
    "initiative",
    "talks",
    "memorandum",
    "olympics",
    "games",
    "day",
];

const ORG_WORDS: &[&str] = &[
    "ministry",
    "department",
    "office",
    "party",
    "council",
    "committee",
    "assembly",
    "duma",
    "diet",
    "parliament",
    "congress",
    "center",
    "centre",
    "university",
    "institute",
    "agency",
    "bank",
    "corporation",
    "company",
    "army",
    "navy",
    "forces",
    "association",
    "foundation",
    "commission",
    "organization",
    "organisation",
    "presidium",
    "kremlin",
    "government",
    "service",
    "monitor",
    "times",
    "post",
    "press",
    "reuters",
    "news",
    "school",
    "court",
    "league",
    "nations",
    "fund",
    "group",
    "college",
    "bluebook",
];

const PLACE_WORDS: &[&str] = &[
    "island",
    "islands",
    "isle",
    "islet",
    "sea",
    "ocean",
    "strait",
    "bay",
    "peninsula",
    "river",
    "mountain",
    "mountains",
    "city",
    "province",
    "prefecture",
    "oblast",
    "region",
    "kurils",
    "kuriles",
    "territories",
    "territory",
    "asia",
    "union",
    "states",
    "republic",
    "kingdom",
    "empire",
    "gulf",
    "lake",
    "coast",
    "cape",
    "port",
];

/// Head words that name nothing on their own.
const GENERIC: &[&str] = &[
    "war",
    "treaty",
    "pact",
    "agreement",
    "accord",
    "conference",
    "summit",
    "declaration",
    "statement",
    "act",
    "plan",
    "day",
    "talks",
    "ministry",
    "department",
    "office",
    "party",
    "council",
    "committee",
    "assembly",
    "government",
    "army",
    "navy",
    "forces",
    "service",
    "island",
    "islands",
    "sea",
    "ocean",
    "strait",
    "bay",
    "union",
    "states",
    "republic",
    "kingdom",
    "empire",
    "region",
    "territories",
    "territory",
    "city",
    "group",
    "press",
];

/// Verbs that follow a person's name ("Lavrov said").
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "wrote",
    "writes",
    "argued",
    "argues",
    "insisted",
    "insists",
    "noted",
    "notes",
    "stated",
    "states",
    "claimed",
    "claims",
    "declared",
    "announced",
    "proposed",
    "suggested",
    "warned",
    "added",
    "believed",
    "believes",
    "met",
    "visited",
];

/// Words that make a following number a reference, not a quantity.
const REFERENCES: &[&str] = &[
    "no", "volume", "vol", "issue", "page", "pages", "p", "pp", "chapter", "section", "article",
    "number", "figure", "table",
];

/// Lowercase words that do not make a number a quantity ("in 1945 and").
const FUNCTION_WORDS: &[&str] = &[
    "and", "or", "of", "to", "in", "on", "at", "by", "for", "the", "a", "an", "with", "from", "as",
    "is", "was", "were", "are", "be", "that", "which", "when", "but", "after", "before", "than",
    "until", "into", "onto", "since", "nd", "st", "rd", "th", "s", "between", "among", "during",
    "while", "if", "per", "later", "earlier", "ago", "old", "more", "less", "or", "against",
    "about", "through", "over", "under", "had", "has", "have", "will", "would",
];

/// The terms of one sentence, longest first where they overlap.
pub(crate) fn find_terms(sentence: &str) -> Vec<Term> {
    let toks = tokens(sentence);
    let mut terms = Vec::new();
    dates_and_numbers(sentence, &toks, &mut terms);
    names(sentence, &toks, &mut terms);
    definitions(sentence, &toks, &mut terms);
    // Keep the first found of overlapping terms (dates before their year).
    let mut kept: Vec<Term> = Vec::new();
    for t in terms {
        if !kept.iter().any(|k| k.start < t.end && t.start < k.end) {
            kept.push(t);
        }
    }
    kept.sort_by_key(|t| t.start);
    kept
}

fn is_month(t: &Token) -> bool {
    t.class == Class::Word && t.capitalised() && MONTHS.contains(&t.lower().as_str())
}

fn day_number(t: &Token) -> bool {
    t.class == Class::Number && t.text.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

fn year_number(t: &Token) -> bool {
    t.class == Class::Number
        && t.text.len() == 4
        && t.text
            .parse::<u32>()
            .is_ok_and(|y| (1000..=2100).contains(&y))
}

fn dates_and_numbers(s: &str, toks: &[Token], out: &mut Vec<Term>) {
    let mut used = vec![false; toks.len()];
    let push = |out: &mut Vec<Term>, from: usize, to: usize, kind: Kind| {
        out.push(Term {
            text: s[toks[from].start..toks[to].end].to_string(),
            kind,
            start: toks[from].start,
            end: toks[to].end,
            initial_only: false,
        });
    };
    // Dates: "February 1945", "September 2nd", "December 15–16, 2016",
    // "9 May 1945".
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if is_month(t) {
            let mut end = i;
            let mut j = i + 1;
            if toks.get(j).is_some_and(day_number) {
                end = j;
                j += 1;
                if toks.get(j).is_some_and(|t| {
                    t.class == Class::Word && matches!(t.text, "st" | "nd" | "rd" | "th")
                }) && toks[j].start == toks[j - 1].end
                {
                    end = j;
                    j += 1;
                }
                if toks.get(j).is_some_and(|t| matches!(t.text, "–" | "-"))
                    && toks.get(j + 1).is_some_and(day_number)
                {
                    end = j + 1;
                    j += 2;
                }
                if toks.get(j).is_some_and(|t| t.text == ",")
                    && toks.get(j + 1).is_some_and(year_number)
                {
                    end = j + 1;
                }
            } else if toks.get(j).is_some_and(year_number) {
                end = j;
            }
            // "May" alone is a verb more often than a month.
            if end > i {
                push(out, i, end, Kind::Date);
                used[i..=end].iter_mut().for_each(|u| *u = true);
                i = end + 1;
                continue;
            }
        }
        if day_number(t) && toks.get(i + 1).is_some_and(is_month) {
            let end = if toks.get(i + 2).is_some_and(year_number) {
                i + 2
            } else {
                i + 1
            };
            push(out, i, end, Kind::Date);
            used[i..=end].iter_mut().for_each(|u| *u = true);
            i = end + 1;
            continue;
        }
        i += 1;
    }
    for (i, t) in toks.iter().enumerate() {
        if used[i] || t.class != Class::Number {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        let next = toks.get(i + 1);
        // "Volume: 13", "No. 5": skip the colon or period to the word.
        let label = match prev {
            Some(p) if matches!(p.text, ":" | ".") => i.checked_sub(2).map(|p| &toks[p]),
            _ => prev,
        };
        let glued = next.is_some_and(|n| n.start == t.end && n.class == Class::Word);
        if label.is_some_and(|p| REFERENCES.contains(&p.lower().trim_end_matches('.')))
            || prev.is_some_and(|p| p.text == "#")
        {
            continue;
        }
        // The end of a range ("1997-98"), a reference ("No. 5").
        if prev.is_some_and(|p| matches!(p.text, "-" | "–") && p.end == t.start) {
            continue;
        }
        // 1990s, 2nd: neither a year nor an amount.
        if glued
            && next.is_some_and(|n| !n.text.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
        {
            continue;
        }
        // "1944-45", "1918–21": a span of years is not one year.
        if year_number(t)
            && next.is_some_and(|n| matches!(n.text, "-" | "–") && n.start == t.end)
            && toks.get(i + 2).is_some_and(|n| n.class == Class::Number)
        {
            continue;
        }
        if year_number(t) {
            let next_is_unit = next.is_some_and(|n| {
                n.class == Class::Word
                    && matches!(
                        n.lower().as_str(),
                        "km" | "kilometers"
                            | "kilometres"
                            | "people"
                            | "troops"
                            | "soldiers"
                            | "residents"
                            | "square"
                    )
            });
            if !next_is_unit {
                push(out, i, i, Kind::Year);
                continue;
            }
        }
        // A quantity: the number with what it counts.
        let money = prev.is_some_and(|p| matches!(p.text, "$" | "¥" | "€" | "£"));
        let from = if money { i - 1 } else { i };
        let mut end = i;
        if let Some(n) = next {
            let lower = n.lower();
            if n.text == "%" {
                end = i + 1;
            } else if n.class == Class::Word && !n.capitalised() {
                if matches!(
                    lower.as_str(),
                    "million" | "billion" | "thousand" | "trillion" | "hundred" | "percent"
                ) {
                    end = i + 1;
                    if let Some(m) = toks.get(i + 2)
                        && m.class == Class::Word
                        && !m.capitalised()
                        && !FUNCTION_WORDS.contains(&m.lower().as_str())
                        && lower != "percent"
                    {
                        end = i + 2;
                    }
                } else if !FUNCTION_WORDS.contains(&lower.as_str()) && n.text.chars().count() >= 2 {
                    end = i + 1;
                    // "3,200 square kilometres".
                    if matches!(lower.as_str(), "square" | "cubic" | "sq")
                        && toks.get(i + 2).is_some_and(|m| m.class == Class::Word)
                    {
                        end = i + 2;
                    }
                }
            } else if n.class == Class::Word
                && is_people(n.text)
                && toks.get(i + 2).is_some_and(|m| {
                    m.class == Class::Word
                        && !m.capitalised()
                        && !FUNCTION_WORDS.contains(&m.lower().as_str())
                })
            {
                // "17,000 Japanese residents".
                end = i + 2;
            } else if n.class == Class::Word && !n.text.is_ascii() && glued {
                // 1万人, 56島: the counter glued to the number.
                end = i + 1;
            }
        }
        if end > i || money {
            push(out, from, end, Kind::Quantity);
        }
    }
}

fn names(s: &str, toks: &[Token], out: &mut Vec<Term>) {
    // The first word token: a capital there says nothing.
    let first_word = toks.iter().position(|t| t.class != Class::Punct);
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].capitalised() {
            i += 1;
            continue;
        }
        // A run of capitalised words, joined by "of", "the", "de" ...
        let start = i;
        let mut end = i;
        let mut j = i + 1;
        loop {
            if possessive(toks[end].text) {
                break;
            }
            match toks.get(j) {
                Some(t) if t.capitalised() => {
                    end = j;
                    j += 1;
                }
                // An initial: "John F. Dulles".
                Some(t)
                    if t.text == "."
                        && toks[end].text.chars().count() == 1
                        && toks[end].capitalised()
                        && toks.get(j + 1).is_some_and(Token::capitalised) =>
                {
                    end = j + 1;
                    j += 2;
                }
                Some(t)
                    if matches!(
                        t.text,
                        "of" | "the" | "de" | "von" | "van" | "al" | "du" | "la" | "for" | "on"
                    ) && toks.get(j + 1).is_some_and(Token::capitalised)
                        && !(t.text == "the"
                            && toks
                                .get(j + 1)
                                .is_some_and(|n| COMMON.contains(&n.lower().as_str()))) =>
                {
                    end = j + 1;
                    j += 2;
                }
                _ => break,
            }
        }
        i = end + 1;
        let mut words: Vec<&Token> = toks[start..=end].iter().collect();
        // "Ambassador to Japan Alexander Panov": a place, then the person.
        let after_title_to = start >= 2
            && matches!(toks[start - 1].text, "to" | "of")
            && strong_title(&toks[start - 2]);
        if after_title_to && words.len() >= 3 {
            words.remove(0);
        }
        // Common capitalised words at the front ("The", "In", "However").
        while words
            .first()
            .is_some_and(|w| COMMON.contains(&w.lower().as_str()) || is_month(w))
        {
            words.remove(0);
        }
        // Connectors at the end.
        while words.last().is_some_and(|w| !w.capitalised()) {
            words.pop();
        }
        if words.is_empty() || words.iter().all(|w| w.text.chars().count() == 1) {
            continue;
        }
        let lowered: Vec<String> = words
            .iter()
            .map(|w| strip_possessive(&w.lower()).to_string())
            .collect();
        let has = |list: &[&str]| lowered.iter().any(|w| list.contains(&w.as_str()));
        let institutional = has(EVENT_WORDS) || has(ORG_WORDS) || has(PLACE_WORDS);
        // "Japanese Prime Minister Shinzo Abe", "Israeli Foreign Minister
        // Abba Eban": the name after the last title of an office.
        let mut person = false;
        if !institutional
            && let Some(k) = words.iter().rposition(|w| {
                let l = w.lower();
                TITLES.contains(&l.as_str()) && !WEAK_TITLES.contains(&l.as_str())
            })
        {
            // "Secretary of State John F. Dulles": past the office's "of X".
            let mut from = k + 1;
            if words
                .get(from)
                .is_some_and(|w| matches!(w.text, "of" | "to"))
                && from + 2 < words.len()
            {
                from += 2;
            }
            if words.get(from).is_some_and(|w| w.capitalised()) {
                words.drain(..from);
                person = true;
            }
        }
        // "Russian Ambassador": an office without its holder.
        if words.last().is_some_and(|w| strong_title(w)) {
            continue;
        }
        let person = person || (after_title_to && words.len() >= 2);
        // "Clashing Russian", "East Asian", "North Koreans": adjectives and
        // peoples, not names.
        if words.last().is_some_and(|w| is_people(w.text)) {
            continue;
        }
        // A sentence's first word that is a participle or adverb.
        if words.len() > 1
            && Some(
                toks.iter()
                    .position(|t| t.start == words[0].start)
                    .unwrap_or(0),
            ) == first_word
        {
            let l = words[0].lower();
            if l.ends_with("ing") || l.ends_with("ed") || l.ends_with("ly") {
                words.remove(0);
            }
        }
        // Forms shout: "AVAILABILITY STATEMENT".
        if words
            .iter()
            .any(|w| w.text.chars().count() >= 5 && !w.text.chars().any(char::is_lowercase))
        {
            continue;
        }
        if words.len() == 1 {
            let lower = words[0].lower();
            let lower = strip_possessive(&lower);
            // A lone "War" or "Pact" is half a name ("post-Cold War"), and
            // "U.S." is an abbreviation every reader knows.
            if DEMONYMS.contains(&lower)
                || TITLES.contains(&lower)
                || COMMON.contains(&lower)
                || MONTHS.contains(&lower)
                || GENERIC.contains(&lower)
                || lower.contains('.')
                || acronym(words[0].text)
            {
                continue;
            }
        }
        let first = words[0];
        let last = words[words.len() - 1];
        let text_end = last.end - possessive_len(last.text);
        let text = s[first.start..text_end].trim().to_string();
        if text.is_empty() {
            continue;
        }
        let at_start = Some(
            toks.iter()
                .position(|t| t.start == first.start)
                .unwrap_or(0),
        ) == first_word;
        let initial_only = at_start && words.len() == 1 && !person;
        let after = toks.get(end + 1);
        let before = start.checked_sub(1).map(|b| toks[b].lower());
        let kind = if person
            || after.is_some_and(|a| SPEECH.contains(&a.lower().as_str())) && !institutional
        {
            Kind::Person
        } else if has(EVENT_WORDS) {
            Kind::Event
        } else if has(ORG_WORDS) {
            Kind::Organisation
        } else if has(PLACE_WORDS)
            || before
                .as_deref()
                .is_some_and(|b| matches!(b, "in" | "at" | "near" | "from" | "across" | "into"))
        {
            Kind::Place
        } else {
            Kind::Name
        };
        out.push(Term {
            text,
            kind,
            start: first.start,
            end: text_end,
            initial_only,
        });
    }
}

/// "known as X", "called X": X is a term the sentence defines.
fn definitions(s: &str, toks: &[Token], out: &mut Vec<Term>) {
    for (i, t) in toks.iter().enumerate() {
        let lower = t.lower();
        let cue = match lower.as_str() {
            "called" | "termed" | "dubbed" | "named" => i + 1,
            "as" if i > 0 && toks[i - 1].lower() == "known" => i + 1,
            _ => continue,
        };
        let skip = toks
            .get(cue)
            .is_some_and(|t| matches!(t.text, "the" | "a" | "an"));
        let cue = cue + usize::from(skip);
        let Some(first) = toks.get(cue) else { continue };
        // A quoted phrase, or the capitalised name that follows.
        if matches!(first.text, "“" | "\"" | "«" | "「") {
            let close = match first.text {
                "“" => "”",
                "«" => "»",
                "「" => "」",
                _ => "\"",
            };
            if let Some(k) = toks[cue + 1..].iter().take(8).position(|t| t.text == close)
                && k > 0
            {
                let from = &toks[cue + 1];
                let to = &toks[cue + k];
                out.insert(
                    0,
                    Term {
                        text: s[from.start..to.end]
                            .trim_end_matches([',', '.'])
                            .to_string(),
                        kind: Kind::Term,
                        start: from.start,
                        end: from.start + s[from.start..to.end].trim_end_matches([',', '.']).len(),
                        initial_only: false,
                    },
                );
            }
        } else if first.capitalised()
            && let Some(pos) = out.iter().position(|n| n.start == first.start)
        {
            out[pos].kind = Kind::Term;
        }
    }
}

fn strong_title(t: &Token) -> bool {
    let l = t.lower();
    TITLES.contains(&l.as_str()) && !WEAK_TITLES.contains(&l.as_str())
}

/// A nationality, people or adjective of one: "Russian", "Soviets",
/// "Soviet-Japanese", "East Asian".
fn is_people(word: &str) -> bool {
    let lower = strip_possessive(&word.to_lowercase()).to_string();
    let last = lower.rsplit('-').next().unwrap_or(&lower).to_string();
    let singular = last.strip_suffix('s').unwrap_or(&last);
    DEMONYMS.contains(&last.as_str())
        || DEMONYMS.contains(&singular)
        || ["ian", "ean", "ese", "ish", "ians", "eans"]
            .iter()
            .any(|e| last.ends_with(e) && last.len() > e.len() + 2)
        || matches!(
            singular,
            "bolshevik" | "russo" | "sino" | "nazi" | "communist" | "american"
        )
        || (lower.contains('-') && last == "japan")
}

/// "US", "MA", "PhD": short abbreviations that make poor blanks.
fn acronym(word: &str) -> bool {
    let n = word.chars().count();
    n <= 3 && word.chars().filter(|c| c.is_uppercase()).count() >= 2
}

fn possessive(word: &str) -> bool {
    possessive_len(word) > 0
}

fn possessive_len(word: &str) -> usize {
    ["’s", "'s", "’", "'"]
        .iter()
        .find(|p| word.ends_with(**p) && word.len() > p.len())
        .map_or(0, |p| p.len())
}

fn strip_possessive(word: &str) -> &str {
    &word[..word.len() - possessive_len(word)]
}

/// The words of a sentence, lowercase, for comparing what two sentences say.
pub(crate) fn content_words(s: &str) -> Vec<String> {
    tokens(s)
        .into_iter()
        .filter(|t| t.class != Class::Punct)
        .map(|t| t.lower())
        .filter(|w| {
            w.chars().count() >= 4 || w.chars().any(|c| c.is_ascii_digit()) || !w.is_ascii()
        })
        .filter(|w| !COMMON.contains(&w.as_str()) && !FUNCTION_WORDS.contains(&w.as_str()))
        .collect()
}

/// Whether the word at `start` is followed by a past or present verb, for
/// "Who ...?" questions: returns the verb's byte offset.
pub(crate) fn verb_after(s: &str, end: usize) -> Option<usize> {
    let toks = tokens(&s[end..]);
    let t = toks.first()?;
    let lower = t.lower();
    let verb = t.class == Class::Word
        && !t.capitalised()
        && (lower.ends_with("ed")
            || SPEECH.contains(&lower.as_str())
            || IRREGULAR_PAST.contains(&lower.as_str()));
    verb.then_some(end + t.start)
}

/// Common irregular past forms, for recognising a sentence's verb.
pub(crate) const IRREGULAR_PAST: &[&str] = &[
    "was",
    "were",
    "became",
    "began",
    "broke",
    "brought",
    "built",
    "came",
    "chose",
    "did",
    "drew",
    "fell",
    "fought",
    "found",
    "gave",
    "got",
    "had",
    "held",
    "kept",
    "knew",
    "led",
    "left",
    "lost",
    "made",
    "meant",
    "met",
    "paid",
    "put",
    "ran",
    "rose",
    "said",
    "sent",
    "set",
    "saw",
    "sought",
    "sold",
    "spoke",
    "stood",
    "struck",
    "took",
    "told",
    "thought",
    "went",
    "won",
    "wrote",
    "forbade",
    "withdrew",
    "overcame",
    "undertook",
    "swore",
    "bound",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn found(s: &str) -> Vec<(String, Kind)> {
        find_terms(s)
            .into_iter()
            .map(|t| (t.text, t.kind))
            .collect()
    }

    #[test]
    fn years_dates_and_quantities() {
        assert_eq!(
            found("It began in April 1945, when 17,000 residents left in 1946."),
            [
                ("April 1945".into(), Kind::Date),
                ("17,000 residents".into(), Kind::Quantity),
                ("1946".into(), Kind::Year)
            ]
        );
        assert_eq!(
            found("On December 15–16, Putin will travel."),
            [
                ("December 15–16".into(), Kind::Date),
                ("Putin".into(), Kind::Name)
            ]
        );
        assert!(found("It changed in the 1990s and on the 2nd.").is_empty());
        let refs = found("Volume: 13 Issue: 195 has 40 pages.");
        let numbers: Vec<&str> = refs
            .iter()
            .filter(|(_, k)| matches!(k, Kind::Quantity | Kind::Year))
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(numbers, ["40 pages"]);
    }

    #[test]
    fn names_by_kind() {
        let f = found(
            "Russian Foreign Minister Sergei Lavrov insisted that the Treaty of Shimoda gave the Soviet Union nothing in Moscow.",
        );
        assert_eq!(
            f,
            [
                ("Sergei Lavrov".into(), Kind::Person),
                ("Treaty of Shimoda".into(), Kind::Event),
                ("Soviet Union".into(), Kind::Place),
                ("Moscow".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn sentence_start_and_possessives() {
        let t = find_terms("Stalin broke Japan’s pact.");
        assert_eq!(t[0].text, "Stalin");
        assert!(t[0].initial_only);
        assert_eq!(t[1].text, "Japan");
        assert!(!t[1].initial_only);
        assert!(found("The islands are cold.").is_empty());
    }

    #[test]
    fn definitions() {
        assert_eq!(
            found("The southern Kurils, known as the Northern Territories in Japan, are four."),
            [
                ("Kurils".into(), Kind::Place),
                ("Northern Territories".into(), Kind::Term),
                ("Japan".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn japanese_years() {
        assert_eq!(
            found("1855年に下田条約が結ばれた。"),
            [("1855".into(), Kind::Year)]
        );
    }
}

//! A card's key as its parts. The log and the history store keys as text,
//! `deck/card`, where a card id may be `note:side` (cloze groups and
//! reverse sides of one note); this is the one place that splits them.

/// A card key's parts: the deck, the note (siblings share it), the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CardKey<'k> {
    pub deck: &'k str,
    pub note: &'k str,
    pub card: &'k str,
}

impl<'k> CardKey<'k> {
    /// The parts of `deck/card`; a key without a deck has an empty one.
    pub(crate) fn parse(key: &'k str) -> CardKey<'k> {
        // By byte (both are ASCII, so the cuts are character boundaries):
        // `split_once` with a char pattern cost 280 instructions a key, and
        // every card's key is parsed at each launch.
        let (deck, card) = match key.bytes().position(|b| b == b'/') {
            Some(at) => (&key[..at], &key[at + 1..]),
            None => ("", key),
        };
        let note = match card.bytes().position(|b| b == b':') {
            Some(at) => &card[..at],
            None => card,
        };
        CardKey { deck, note, card }
    }

    /// `(deck, note)`: cards with the same are siblings.
    pub(crate) fn note_key(&self) -> (&'k str, &'k str) {
        (self.deck, self.note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_into_deck_note_and_card() {
        let k = CardKey::parse("capitals/france:reverse");
        assert_eq!(
            (k.deck, k.note, k.card),
            ("capitals", "france", "france:reverse")
        );
        let cloze = CardKey::parse("d/treaty:c2");
        assert_eq!(cloze.note_key(), CardKey::parse("d/treaty:c1").note_key());
        assert_eq!(CardKey::parse("plain").deck, "");
        assert_eq!(CardKey::parse("d/a/b").card, "a/b");
    }

    proptest::proptest! {
        /// Cut by byte, a key splits as cutting at the first `/` and then
        /// the first `:` would, whatever the text around them.
        #[test]
        fn cutting_by_byte_agrees_with_splitting_on_characters(
            key in "[a-zé日/:]{0,6}(/[a-zé日:]{0,6})?(:[a-zé日/]{0,4})?"
        ) {
            let (deck, card) = key.split_once('/').unwrap_or(("", key.as_str()));
            let note = card.split(':').next().unwrap_or(card);
            let parsed = CardKey::parse(&key);
            proptest::prop_assert_eq!((parsed.deck, parsed.note, parsed.card), (deck, note, card));
        }
    }
}

//! "Did you mean ...?" for misspelt keys and names.

/// Words deck authors reach for that the format spells differently.
const ALIASES: &[(&str, &str)] = &[
    ("question", "q"),
    ("front", "q"),
    ("prompt", "q"),
    ("statement", "q"),
    ("answer", "a"),
    ("back", "a"),
    ("explanation", "explain"),
    ("note", "explain"),
    ("options", "choices"),
    ("distractors", "choices"),
    ("wrong", "choices"),
    ("alternatives", "accept"),
    ("aliases", "accept"),
    ("accepted", "accept"),
    ("type", "kind"),
    ("cloze", "text"),
    ("tag", "tags"),
    ("cite", "source"),
    ("citation", "source"),
    ("reversed", "reverse"),
    ("name", "title"),
];

/// The candidate closest to `word`, when one is close enough to be a likely
/// slip: a known alias, or within an edit distance that grows with length.
pub(crate) fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = word.to_lowercase();
    if let Some(c) = candidates.iter().find(|c| **c == lower) {
        return Some(c);
    }
    if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == lower)
        && let Some(c) = candidates.iter().find(|c| *c == target)
    {
        return Some(c);
    }
    // Plurals and singulars: `choice` for `choices`, `tag` for `tags`.
    if let Some(c) = candidates
        .iter()
        .find(|c| c.trim_end_matches('s') == lower.trim_end_matches('s'))
    {
        return Some(c);
    }
    let limit = (lower.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, c), *c))
        .filter(|(d, c)| *d <= limit && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    const KEYS: &[&str] = &[
        "id", "q", "a", "accept", "choices", "explain", "source", "tags", "kind",
    ];

    #[test]
    fn suggests_likely_slips() {
        assert_eq!(closest("explian", KEYS), Some("explain"));
        assert_eq!(closest("question", KEYS), Some("q"));
        assert_eq!(closest("choice", KEYS), Some("choices"));
        assert_eq!(closest("Tags", KEYS), Some("tags"));
        assert_eq!(closest("sorce", KEYS), Some("source"));
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(closest("colour", KEYS), None);
        assert_eq!(closest("zz", KEYS), None);
    }
}

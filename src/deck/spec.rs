//! The deck file format as Rust types. These types are the single source of
//! the format: the JSON Schema in `schema/deck.schema.json` is generated from
//! them, and the loader takes the list of allowed keys from that schema.

use schemars::JsonSchema;
use serde::Deserialize;

#[cfg(test)]
/// A kioku deck file (format v1).
// The whole file, as the schema describes it (parsing goes table by table,
// for located messages; this type only generates the schema).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "kioku deck")]
#[allow(dead_code)]
pub(crate) struct DeckFile {
    pub deck: DeckSpec,
    /// The cards, one `[[card]]` table each.
    #[serde(default)]
    pub card: Vec<CardSpec>,
    /// Short citation keys and the full references they stand for
    /// (`miller2004 = "Russia-Japan Relations ..., October 2004"`). When the
    /// table is present, every `source` names keys from it, so a session
    /// can show the short form and the full reference stays one line here.
    #[serde(default)]
    pub sources: Option<std::collections::BTreeMap<String, String>>,
}

/// The `[deck]` table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeckSpec {
    /// Unique across all loaded decks: lowercase letters, digits and '-'.
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub id: String,
    #[schemars(length(min = 1))]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Default citation for the deck's cards (keys of `[sources]` when the
    /// deck has that table).
    #[serde(default)]
    pub source: Option<String>,
    /// Desired retention for this deck's cards (0.7 to 0.99); the global
    /// setting otherwise.
    #[serde(default)]
    #[schemars(range(min = 0.7, max = 0.99))]
    pub retention: Option<f64>,
    /// How new cards are introduced: `spread` (the default: topics take
    /// turns, notes in a stable shuffle) or `file` (the file's order).
    #[serde(default)]
    pub new_order: Option<NewOrderSpec>,
}

/// `new_order = "..."` in `[deck]`.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum NewOrderSpec {
    Spread,
    File,
}

/// One `[[card]]` table. Which fields apply depends on the kind.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CardSpec {
    /// Unique within the deck: lowercase letters, digits and '-'. Progress is
    /// keyed by deck id and card id, so editing the text keeps progress.
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub id: String,
    /// Inferred from the fields when omitted.
    #[serde(default)]
    pub kind: Option<KindSpec>,
    /// The question (or, for truefalse, the statement).
    #[serde(default)]
    pub q: Option<String>,
    /// The answer: text, or true/false for a truefalse card.
    #[serde(default)]
    pub a: Option<AnswerSpec>,
    /// Other accepted answers for typed cards. (Cloze blanks take theirs
    /// inline, `{{c1::sixty|60}}`; multi items as `{ a = ..., accept = [...] }`.)
    #[serde(default)]
    pub accept: Option<Vec<String>>,
    /// basic: the learner types the answer instead of flipping the card.
    #[serde(default)]
    pub typed: Option<bool>,
    /// basic: also make the reverse card (answer to question).
    #[serde(default)]
    pub reverse: Option<bool>,
    /// cloze: text with deletions `{{...}}` or `{{c1::answer::hint}}`;
    /// `{{c1::sixty|60}}` also accepts `60` (the first form is displayed).
    #[serde(default)]
    pub text: Option<String>,
    /// choice: the distractors (wrong options).
    #[serde(default)]
    pub choices: Option<Vec<String>>,
    /// multi: every answer required, in any order. An item is text, or a
    /// table `{ a = "Iturup", accept = ["Etorofu"] }` with other accepted forms.
    #[serde(default)]
    pub answers: Option<Vec<MultiItemSpec>>,
    /// order: the items in the right order.
    #[serde(default)]
    pub items: Option<Vec<String>>,
    /// choice: draw distractors from cards of the same group.
    #[serde(default)]
    pub group: Option<String>,
    /// Shown after answering.
    #[serde(default)]
    pub explain: Option<String>,
    /// Citation; overrides the deck's. With a `[sources]` table, one key or
    /// several separated by commas (`"miller2004, eyal"`).
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// The sentence of the source document the card was drafted from, for
    /// the author and `kioku check --sources`; never shown in study.
    #[serde(default)]
    // Read by `check --sources` from the TOML itself; here for the schema
    // and so that a deck with quotes is not rejected.
    #[allow(dead_code)]
    pub quote: Option<String>,
    /// Ids this card had before (`"old-id"`, or `"deck/old-id"` for a card
    /// moved from another deck): their progress follows the card.
    #[serde(default)]
    pub was: Option<Vec<String>>,
}

/// `kind = "..."`.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum KindSpec {
    Basic,
    Cloze,
    Choice,
    Multi,
    Order,
    Truefalse,
}

/// One item of a multi card's `answers`: `"Iturup"` or
/// `{ a = "Iturup", accept = ["Etorofu"] }`.
#[derive(Debug, Clone, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub(crate) enum MultiItemSpec {
    Text(String),
    WithAccept(MultiItemTable),
}

/// A multi item with other accepted answers.
#[derive(Debug, Clone, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct MultiItemTable {
    /// The answer, as displayed.
    #[schemars(length(min = 1))]
    pub a: String,
    /// Other accepted forms of this item.
    #[serde(default)]
    pub accept: Vec<String>,
}

impl MultiItemSpec {
    /// The displayed answer.
    pub(crate) fn answer(&self) -> &str {
        match self {
            MultiItemSpec::Text(a) | MultiItemSpec::WithAccept(MultiItemTable { a, .. }) => a,
        }
    }

    /// The displayed answer and its other accepted forms.
    pub(crate) fn into_parts(self) -> (String, Vec<String>) {
        match self {
            MultiItemSpec::Text(a) => (a, Vec::new()),
            MultiItemSpec::WithAccept(t) => (t.a, t.accept),
        }
    }
}

/// A `[[card]]` table typed directly, when every value has the type its
/// field wants; None otherwise, and serde types it (and says what is
/// wrong). Cloning each card's table to hand it to serde was a fifth of
/// parsing a large deck; a unit test checks that both type alike. The
/// struct above stays the one description of the format: a field added
/// there must be added to the literal below to compile, and until a key is
/// matched here its cards are typed by serde, only more slowly.
impl CardSpec {
    pub(crate) fn from_plain_table(table: &toml::de::DeTable) -> Option<CardSpec> {
        use toml::de::DeValue;
        fn text(v: &DeValue) -> Option<String> {
            match v {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            }
        }
        fn texts(v: &DeValue) -> Option<Vec<String>> {
            match v {
                DeValue::Array(items) => items.iter().map(|i| text(i.get_ref())).collect(),
                _ => None,
            }
        }
        fn flag(v: &DeValue) -> Option<bool> {
            match v {
                DeValue::Boolean(b) => Some(*b),
                _ => None,
            }
        }
        fn multi_item(v: &DeValue) -> Option<MultiItemSpec> {
            match v {
                DeValue::String(s) => Some(MultiItemSpec::Text(s.to_string())),
                DeValue::Table(t) => {
                    let mut a = None;
                    let mut accept = Vec::new();
                    for (key, value) in t {
                        match key.get_ref().as_ref() {
                            "a" => a = Some(text(value.get_ref())?),
                            "accept" => accept = texts(value.get_ref())?,
                            _ => return None,
                        }
                    }
                    Some(MultiItemSpec::WithAccept(MultiItemTable { a: a?, accept }))
                }
                _ => None,
            }
        }
        let mut id = None;
        let mut spec = CardSpec {
            id: String::new(),
            kind: None,
            q: None,
            a: None,
            accept: None,
            typed: None,
            reverse: None,
            text: None,
            choices: None,
            answers: None,
            items: None,
            group: None,
            explain: None,
            source: None,
            tags: None,
            quote: None,
            was: None,
        };
        for (key, value) in table {
            let v = value.get_ref();
            match key.get_ref().as_ref() {
                "id" => id = Some(text(v)?),
                "kind" => {
                    spec.kind = Some(match text(v)?.as_str() {
                        "basic" => KindSpec::Basic,
                        "cloze" => KindSpec::Cloze,
                        "choice" => KindSpec::Choice,
                        "multi" => KindSpec::Multi,
                        "order" => KindSpec::Order,
                        "truefalse" => KindSpec::Truefalse,
                        _ => return None,
                    });
                }
                "q" => spec.q = Some(text(v)?),
                "a" => {
                    spec.a = Some(match v {
                        DeValue::String(s) => AnswerSpec::Text(s.to_string()),
                        DeValue::Boolean(b) => AnswerSpec::Bool(*b),
                        _ => return None,
                    });
                }
                "accept" => spec.accept = Some(texts(v)?),
                "typed" => spec.typed = Some(flag(v)?),
                "reverse" => spec.reverse = Some(flag(v)?),
                "text" => spec.text = Some(text(v)?),
                "choices" => spec.choices = Some(texts(v)?),
                "answers" => match v {
                    DeValue::Array(items) => {
                        let items: Option<Vec<MultiItemSpec>> =
                            items.iter().map(|i| multi_item(i.get_ref())).collect();
                        spec.answers = Some(items?);
                    }
                    _ => return None,
                },
                "items" => spec.items = Some(texts(v)?),
                "group" => spec.group = Some(text(v)?),
                "explain" => spec.explain = Some(text(v)?),
                "source" => spec.source = Some(text(v)?),
                "tags" => spec.tags = Some(texts(v)?),
                "quote" => spec.quote = Some(text(v)?),
                "was" => spec.was = Some(texts(v)?),
                _ => return None,
            }
        }
        spec.id = id?;
        Some(spec)
    }
}

/// `a = "..."` or `a = true`.
#[derive(Debug, Clone, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub(crate) enum AnswerSpec {
    Text(String),
    Bool(bool),
}

/// The JSON Schema of the format, as checked in (a test keeps it equal to
/// [`json_schema`]); written beside decks that leave the repository, so
/// editors keep validating them.
pub(crate) const SCHEMA: &str = include_str!("../../schema/deck.schema.json");

/// The name the schema is written under beside exported or imported decks.
pub(crate) const SCHEMA_FILE: &str = "deck.schema.json";

#[cfg(test)]
/// The JSON Schema of the format, as checked in at `schema/deck.schema.json`.
pub(crate) fn json_schema() -> String {
    let mut schema = schemars::schema_for!(DeckFile).to_value();
    drop_null(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
/// TOML has no null: optional keys are simply absent. schemars marks every
/// `Option` as nullable, which would only confuse an editor, so the null
/// alternatives are removed.
fn drop_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1 {
                    let only = any.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        map.extend(inner);
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// The keys a table of type `T` accepts, read from its schema.
pub(crate) fn keys_of<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    schema
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema editors use must match the format the loader accepts.
    /// Regenerate with `KIOKU_UPDATE_SCHEMA=1 cargo test schema`.
    #[test]
    fn checked_in_schema_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/deck.schema.json");
        let generated = json_schema();
        if std::env::var_os("KIOKU_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &generated).expect("write schema");
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "schema/deck.schema.json is out of date: run `KIOKU_UPDATE_SCHEMA=1 cargo test schema`"
        );
    }

    #[test]
    fn keys_come_from_the_types() {
        let keys = keys_of::<CardSpec>();
        for k in [
            "id", "q", "a", "text", "choices", "answers", "items", "accept", "typed", "reverse",
        ] {
            assert!(keys.iter().any(|x| x == k), "missing {k}");
        }
        assert_eq!(keys_of::<DeckSpec>().len(), 7);
    }
}

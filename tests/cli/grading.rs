//! Typed answers graded through the real binary in plain mode: accepted
//! alternatives of cloze blanks and multi items.

use crate::support::{folder, kioku, reviews};

/// A deck of one card, answered with `input` in a plain session; returns
/// what was printed and the one review logged.
fn answer(card: &str, input: &str) -> (String, String) {
    let deck = format!("[deck]\nid = \"d\"\ntitle = \"T\"\nsource = \"s\"\n\n[[card]]\n{card}\n");
    let dir = folder(&[("decks/d.toml", &deck)]);
    let out = kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin(input)
        .output()
        .expect("run kioku");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{stdout}");
    let log = reviews(dir.path());
    assert_eq!(log.len(), 1, "{stdout}");
    (stdout, log[0].clone())
}

#[test]
fn a_cloze_blank_accepts_its_alternatives_and_shows_the_first() {
    let card =
        "id = \"c\"\ntext = \"The islands were taken about {{c1::sixty|60::a number}} years ago.\"";
    let (out, review) = answer(card, "60\n\n");
    assert!(out.contains("[a number]"), "{out}");
    assert!(out.contains("✓ Right"), "{out}");
    assert!(out.contains("Answer: sixty"), "{out}");
    assert!(review.contains("d/c:c1 good"), "{review}");
    let (_, review) = answer(card, "sixty\n\n");
    assert!(review.contains("d/c:c1 good"), "{review}");
    let (out, review) = answer(card, "70\n\n");
    assert!(out.contains("✗ Not quite"), "{out}");
    assert!(review.contains("d/c:c1 again"), "{review}");
}

#[test]
fn a_multi_item_accepts_its_alternatives() {
    let card = "id = \"m\"\nq = \"The two largest islands?\"\nanswers = [{ a = \"Etorofu\", accept = [\"Iturup\"] }, { a = \"Kunashiri\", accept = [\"Kunashir\"] }]";
    let (out, review) = answer(card, "Iturup, Kunashir\n\n");
    assert!(out.contains("✓ Right"), "{out}");
    assert!(out.contains("Answer: Etorofu, Kunashiri"), "{out}");
    assert!(review.contains("d/m good"), "{review}");
    let (out, review) = answer(card, "Kunashiri, Etorofu\n\n");
    assert!(out.contains("✓ Right"), "{out}");
    assert!(review.contains("d/m good"), "{review}");
    let (out, review) = answer(card, "Iturup, Shikotan\n\n");
    assert!(out.contains("1 of 2"), "{out}");
    assert!(review.contains("d/m again"), "{review}");
}

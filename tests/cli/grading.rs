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

#[test]
fn another_word_is_close_not_right_and_r_keeps_it_the_learners_call() {
    let card = "id = \"t\"\nq = \"Which country lies east of Iraq?\"\na = \"Iran\"\ntyped = true";
    let (out, review) = answer(card, "Iraq\n\n");
    assert!(out.contains("✗ Not quite"), "{out}");
    assert!(
        out.contains("close: did you mean Iran? r if it was a slip"),
        "{out}"
    );
    assert!(review.contains("d/t again"), "{review}");
    // The learner says it was a slip: counted right.
    let (_, review) = answer(card, "Iraq\nr\n");
    assert!(review.contains("d/t good"), "{review}");
    // A real slip is forgiven and rated Hard.
    let card = "id = \"t\"\nq = \"Which island is called Kunashir in Russian?\"\na = \"Kunashiri\"\ntyped = true";
    let (out, review) = answer(card, "Kunashri\n\n");
    assert!(out.contains("✓ Right"), "{out}");
    assert!(review.contains("d/t hard"), "{review}");
}

#[test]
fn numbers_in_words_and_digits_are_the_same_answer() {
    let card = "id = \"c\"\ntext = \"Soviet troops took the islands in the {{c1::second}} half of August, about {{c1::sixty}} years before.\"";
    let (out, review) = answer(card, "2nd, 60\n\n");
    assert!(out.contains("✓ Right"), "{out}");
    assert!(review.contains("d/c:c1 good"), "{review}");
    let card = "id = \"n\"\nq = \"How many islands are disputed?\"\na = \"4\"\ntyped = true";
    let (_, review) = answer(card, "four\n\n");
    assert!(review.contains("d/n good"), "{review}");
    let (out, review) = answer(card, "five\n\n");
    assert!(out.contains("✗ Not quite"), "{out}");
    assert!(review.contains("d/n again"), "{review}");
}

#[test]
fn a_multi_answer_may_use_and_and_an_item_may_contain_a_comma() {
    let card = "id = \"m\"\nq = \"Two capitals?\"\nanswers = [\"Washington, D.C.\", \"Tokyo\"]";
    let (out, review) = answer(card, "Tokyo and Washington, D.C.\n\n");
    assert!(out.contains("✓ Right"), "{out}");
    assert!(review.contains("d/m good"), "{review}");
}

#[test]
fn a_wholly_wrong_answer_is_shown_plainly_not_as_a_diff() {
    let card = "id = \"t\"\nq = \"Which sea lies north of the islands?\"\na = \"Sea of Okhotsk\"\ntyped = true";
    let (out, _) = answer(card, "Pacific Fleet\n\n");
    assert!(out.contains("Yours:  Pacific Fleet"), "{out}");
    assert!(!out.contains("[+"), "{out}");
    // A slip: the article and the case are not marked, only the letter.
    let (out, _) = answer(card, "the sea of okhotzk\n\n");
    assert!(out.contains("Typo:   Sea of Okhot[-z][+s]k"), "{out}");
    // Wrong but alike: a diff, whole words where they differ.
    let (out, _) = answer(card, "Sea of Japan\n\n");
    assert!(out.contains("Yours:  Sea of [-Japan][+Okhotsk]"), "{out}");
}

#[test]
fn a_reply_sharing_a_few_words_is_shown_plainly_not_as_a_letter_mix() {
    let card = "id = \"t\"\nq = \"The 1855 treaty?\"\na = \"The Treaty of Commerce, Navigation and Delimitation (Shimoda)\"\ntyped = true";
    let typed = "The Treaty of Shimoda between Russia and the Shogunate";
    let (out, _) = answer(card, &format!("{typed}\n\n"));
    assert!(out.contains(&format!("Yours:  {typed}")), "{out}");
    assert!(!out.contains("[+") && !out.contains("[-"), "{out}");
}

/// In a multi answer, a slip is forgiven and said, and an item that is
/// another word within a slip of the expected one is said to be close.
#[test]
fn multi_items_say_which_were_slips_and_which_were_close() {
    let card = "id = \"m\"\nq = \"Two areas of rivalry?\"\nanswers = [\"Korea\", \"Manchuria\"]";
    let (out, review) = answer(card, "Koreaa, Manchuria\n\n");
    assert!(out.contains("✓ Right"), "{out}");
    assert!(
        out.contains("✓\u{a0}Korea\u{a0}(typo), ✓\u{a0}Manchuria"),
        "{out}"
    );
    assert!(review.contains("d/m hard"), "{review}");
    let card = "id = \"n\"\nq = \"Two countries?\"\nanswers = [\"Iran\", \"Mali\"]";
    let (out, review) = answer(card, "Iraq, Mali\n\n");
    assert!(
        out.contains("✗\u{a0}Iran\u{a0}(close), ✓\u{a0}Mali"),
        "{out}"
    );
    assert!(review.contains("d/n again"), "{review}");
}

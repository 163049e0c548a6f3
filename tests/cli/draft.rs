//! `kioku draft` on the test corpus in `tests/fixtures/draft`, and
//! `kioku check --sources` on what it drafts.

use predicates::prelude::*;

use crate::support::{folder, kioku, root};

fn corpus() -> std::path::PathBuf {
    root().join("tests/fixtures/draft")
}

/// Drafts `doc` into `dir/out.toml` and returns the deck's text.
fn draft(dir: &std::path::Path, doc: &std::path::Path, extra: &[&str]) -> String {
    kioku(dir)
        .arg("draft")
        .arg(doc)
        .args(["-o", "out.toml"])
        .args(extra)
        .assert()
        .success()
        .stderr(predicate::str::contains("drafted"));
    std::fs::read_to_string(dir.join("out.toml")).expect("deck written")
}

#[test]
fn every_drafted_deck_of_the_corpus_passes_check() {
    let mut documents = 0;
    for entry in std::fs::read_dir(corpus()).expect("corpus") {
        let doc = entry.expect("entry").path();
        let dir = folder(&[]);
        let deck = draft(dir.path(), &doc, &[]);
        assert!(deck.starts_with("#:schema "), "{deck}");
        assert!(deck.contains("quote = "), "{}: {deck}", doc.display());
        kioku(dir.path())
            .args(["check", "out.toml", "--sources"])
            .arg(corpus())
            .assert()
            .success()
            .stdout(predicate::str::contains("no problems"));
        documents += 1;
    }
    assert!(documents >= 5);
}

#[test]
fn the_committed_drafts_of_the_seeds_pass_check() {
    kioku(&root())
        .args(["check", "examples/drafts"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no problems"));
}

#[test]
fn a_markdown_document_yields_questions_cloze_and_choice_cards() {
    let dir = folder(&[]);
    let deck = draft(
        dir.path(),
        &corpus().join("kurils.md"),
        &["--deck-id", "kurils"],
    );
    assert!(deck.contains("id = \"kurils\""));
    assert!(deck.contains("title = \"The Kuril Islands dispute\""));
    assert!(deck.contains("q = \"In which year was the Treaty of Shimoda signed?\"\na = \"1855\""));
    assert!(deck.contains("source = \"kurils.md:7\""));
    assert!(deck.contains("{{c1::Yalta Conference}}"));
    assert!(deck.contains("choices = ["));
    assert!(deck.contains("tags = [\"kuril-islands-dispute\", \"early-treaties\"]"));
    assert!(deck.contains("# confidence 0."));
    // Code blocks are not prose.
    assert!(!deck.contains("1999"));
}

#[test]
fn max_keeps_that_many_cards() {
    let dir = folder(&[]);
    let deck = draft(dir.path(), &corpus().join("kurils.md"), &["--max", "4"]);
    assert_eq!(deck.matches("[[card]]").count(), 4);
}

#[test]
fn drafts_go_to_stdout_without_o() {
    let dir = folder(&[]);
    kioku(dir.path())
        .arg("draft")
        .arg(corpus().join("notes.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("[[card]]"))
        .stdout(predicate::str::contains("a = \"Vladimir Putin\""));
}

#[test]
fn japanese_is_drafted_where_it_can_be_and_the_rest_said_plainly() {
    let dir = folder(&[]);
    kioku(dir.path())
        .arg("draft")
        .arg(corpus().join("ja.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("{{c1::1855::year}}年に"))
        .stderr(predicate::str::contains("no capital letters"));
}

#[test]
fn russian_names_and_years_are_drafted() {
    let dir = folder(&[]);
    kioku(dir.path())
        .arg("draft")
        .arg(corpus().join("ru.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("{{c1::Итуруп}}"))
        .stdout(predicate::str::contains("{{c1::1855::year}}"));
}

#[test]
fn empty_and_binary_files_are_refused_plainly() {
    let dir = folder(&[("empty.txt", "")]);
    std::fs::write(
        dir.path().join("photo.jpg"),
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    )
    .expect("write");
    kioku(dir.path())
        .args(["draft", "empty.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "`empty.txt` is empty: there is nothing to draft",
        ));
    kioku(dir.path())
        .args(["draft", "photo.jpg"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a text document"))
        .stderr(predicate::str::contains("help:"));
    kioku(dir.path())
        .args(["draft", "missing.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    kioku(dir.path())
        .args(["draft", "empty.txt", "--deck-id", "Not Valid"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a valid deck id"));
    kioku(dir.path())
        .args(["draft", "empty.txt", "--max", "0"])
        .assert()
        .code(2);
}

#[test]
fn an_edited_document_is_a_warning_with_both_locations() {
    let original = std::fs::read_to_string(corpus().join("kurils.md")).expect("doc");
    let dir = folder(&[("docs/kurils.md", &original)]);
    draft(dir.path(), &dir.path().join("docs/kurils.md"), &[]);
    kioku(dir.path())
        .args(["check", "out.toml", "--sources", "docs"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no problems"));
    // The author rewraps a paragraph (not an edit) and changes a year (one).
    let edited = original.replace(
        "The Treaty of Shimoda was signed in 1855. It drew the border between\n",
        "The Treaty of Shimoda was signed in 1854. It drew the\nborder between\n",
    );
    std::fs::write(dir.path().join("docs/kurils.md"), edited).expect("edit");
    let out = kioku(dir.path())
        .args(["check", "out.toml", "--sources", "docs"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(
        out.contains("warning: the quote of card `1855-l7` is no longer in `kurils.md`"),
        "{out}"
    );
    assert!(out.contains("out.toml:"), "{out}");
    assert!(
        out.contains("the card cites kurils.md:7; the closest passage is now kurils.md:7"),
        "{out}"
    );
    assert!(
        !out.contains("`etorofu-l7`"),
        "a rewrapped sentence still matches: {out}"
    );
}

#[test]
fn an_answer_missing_from_its_quote_is_a_warning() {
    let dir = folder(&[
        ("docs/a.md", "The Treaty of Shimoda was signed in 1855.\n"),
        (
            "deck.toml",
            "[deck]\nid = \"d\"\ntitle = \"T\"\n[[card]]\nid = \"c\"\nq = \"When?\"\na = \"1856\"\nsource = \"a.md:1\"\nquote = \"The Treaty of Shimoda was signed in 1855.\"\n[[card]]\nid = \"gone\"\nq = \"When?\"\na = \"1855\"\nsource = \"b.md:1\"\nquote = \"Signed in 1855.\"\n",
        ),
    ]);
    kioku(dir.path())
        .args(["check", "deck.toml", "--sources", "docs"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "the answer `1856` of card `c` is not in its quote",
        ))
        .stdout(predicate::str::contains(
            "card `gone` quotes `b.md`, which is not in `docs`",
        ));
    kioku(dir.path())
        .args(["check", "deck.toml", "--sources", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`nowhere` does not exist"));
}

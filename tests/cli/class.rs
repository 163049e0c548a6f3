//! `kioku class report`, `kioku quiz --json` for a class, and renamed cards
//! (`was`, `kioku doctor`), through the real binary.

use std::path::Path;

use predicates::prelude::*;

use crate::support::{folder, json, kioku};

/// Ten cards: nine typed, the last a choice card.
fn class_deck() -> String {
    let mut deck = String::from(
        "[deck]\nid = \"geo\"\ntitle = \"Geography\"\nsource = \"Atlas\"\nnew_order = \"file\"\n",
    );
    for j in 0..9 {
        deck.push_str(&format!(
            "\n[[card]]\nid = \"q{j}\"\nq = \"Question {j}?\"\na = \"Answer {j}\"\ntyped = true\n"
        ));
    }
    deck.push_str(
        "\n[[card]]\nid = \"capital\"\nq = \"Capital of Japan?\"\na = \"Tokyo\"\nchoices = [\"Kyoto\", \"Osaka\"]\n",
    );
    deck
}

const CARDS: usize = 10;
const STUDENTS: usize = 30;

fn key(j: usize) -> String {
    if j == 9 {
        "geo/capital".into()
    } else {
        format!("geo/q{j}")
    }
}

/// Student i's first attempt at card j: the stronger the student (higher
/// i), the more cards right; card 9 is a bad item, right for the weaker
/// half only.
fn first_right(i: usize, j: usize) -> bool {
    if j == 9 { i < 15 } else { i >= 3 * j }
}

/// The review two days later.
fn second_right(i: usize, j: usize) -> bool {
    !(i + j).is_multiple_of(4)
}

/// The option a student picks when wrong on the choice card.
fn wrong_pick(i: usize, attempt: usize) -> &'static str {
    if (i + attempt).is_multiple_of(3) {
        "Osaka"
    } else {
        "Kyoto"
    }
}

/// Student i's log: every card on 2026-11-02 (first attempts), then again on
/// 2026-11-04; 6 s an answer.
fn log(i: usize) -> String {
    let mut text = String::from("kioku-progress 1\n");
    let mut id = (i as u64 + 1) << 32;
    for (attempt, day) in [(0, "02"), (1, "04")] {
        for j in 0..CARDS {
            id += 1;
            let right = if attempt == 0 {
                first_right(i, j)
            } else {
                second_right(i, j)
            };
            let rating = if right { "good" } else { "again" };
            let picked = match (j, right) {
                (9, true) => " \"Tokyo\"".to_string(),
                (9, false) => format!(" \"{}\"", wrong_pick(i, attempt)),
                _ => String::new(),
            };
            let mode = if j == 9 { "quiz" } else { "study" };
            text.push_str(&format!(
                "{id:016x} 2026-11-{day}T10:{j:02}:{i:02}.000Z review {} {rating} 6000 {mode}{picked}\n",
                key(j)
            ));
        }
    }
    text
}

/// The class's folder: `class/student-01.log` … and the decks.
fn class() -> tempfile::TempDir {
    let deck = class_deck();
    let logs: Vec<(String, String)> = (0..STUDENTS)
        .map(|i| (format!("class/student-{:02}.log", i + 1), log(i)))
        .collect();
    let mut files: Vec<(&str, &str)> = vec![("decks/geo.toml", deck.as_str())];
    files.extend(logs.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    folder(&files)
}

fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let cov: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let vx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let vy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    (vx > 0.0 && vy > 0.0).then(|| ((cov / (vx * vy).sqrt()) * 1000.0).round() / 1000.0)
}

#[test]
fn a_class_of_30_has_exact_figures_per_card_and_per_student() {
    let dir = class();
    let mut cmd = kioku(dir.path());
    cmd.args(["class", "report", "class", "--json"]);
    let report = json(cmd);
    assert_eq!(report["students"], 30);
    assert_eq!(report["problems"].as_array().map(Vec::len), Some(0));
    let cards = report["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), CARDS);
    for (j, card) in cards.iter().enumerate() {
        let j = if card["key"] == "geo/capital" { 9 } else { j };
        assert_eq!(card["key"], key(j));
        assert_eq!(card["students"], 30, "{j}");
        let right = (0..STUDENTS).filter(|i| first_right(*i, j)).count();
        assert_eq!(card["first_right"], right, "{j}");
        assert_eq!(card["facility"].as_f64(), Some(right as f64 / 30.0), "{j}");
        // Discrimination: first attempt here against the share right on the
        // other nine cards.
        let xs: Vec<f64> = (0..STUDENTS)
            .map(|i| f64::from(u8::from(first_right(i, j))))
            .collect();
        let ys: Vec<f64> = (0..STUDENTS)
            .map(|i| (0..CARDS).filter(|k| *k != j && first_right(i, *k)).count() as f64 / 9.0)
            .collect();
        assert_eq!(card["discrimination"].as_f64(), pearson(&xs, &ys), "{j}");
        let forgotten = (0..STUDENTS)
            .filter(|i| first_right(*i, j) && !second_right(*i, j))
            .count();
        assert_eq!(card["forgotten"], forgotten, "{j}");
    }
    // Card q0: everyone right, so nothing to discriminate; the bad item
    // discriminates negatively, a good one positively.
    assert!(cards[0]["discrimination"].is_null());
    let capital = cards
        .iter()
        .find(|c| c["key"] == "geo/capital")
        .expect("capital");
    assert!(capital["discrimination"].as_f64().expect("d") < -0.5);
    assert!(cards[5]["discrimination"].as_f64().expect("d") > 0.5);
    // The options picked wrongly, counted over every wrong attempt.
    let mut kyoto = 0;
    let mut osaka = 0;
    for i in 0..STUDENTS {
        for (attempt, right) in [(0, first_right(i, 9)), (1, second_right(i, 9))] {
            if !right {
                match wrong_pick(i, attempt) {
                    "Kyoto" => kyoto += 1,
                    _ => osaka += 1,
                }
            }
        }
    }
    let wrong = capital["wrong_answers"].as_array().expect("wrong");
    let count = |name: &str| {
        wrong
            .iter()
            .find(|w| w["answer"] == name)
            .map(|w| w["count"].clone())
    };
    assert_eq!(count("Kyoto"), Some(kyoto.into()));
    assert_eq!(count("Osaka"), Some(osaka.into()));
    assert_eq!(count("Tokyo"), None, "right answers are not wrong options");
    // The most forgotten card comes first.
    let most = report["most_forgotten"].as_array().expect("most");
    let top = (0..CARDS)
        .max_by_key(|j| {
            let n = (0..STUDENTS)
                .filter(|i| first_right(*i, *j) && !second_right(*i, *j))
                .count();
            (n, std::cmp::Reverse(key(*j)))
        })
        .map(key);
    assert_eq!(most[0].as_str(), top.as_deref());
    // Per student.
    let students = report["per_student"].as_array().expect("students");
    assert_eq!(students.len(), 30);
    for (i, s) in students.iter().enumerate() {
        assert_eq!(s["name"], format!("student-{:02}", i + 1));
        assert_eq!(s["cards_seen"], 10);
        assert_eq!(s["reviews"], 20);
        let passed = (0..CARDS).filter(|j| second_right(i, *j)).count();
        assert_eq!(s["retention"].as_f64(), Some(passed as f64 / 10.0), "{i}");
        assert_eq!(s["cards_learned"], passed, "{i}");
        assert_eq!(s["minutes_studied"].as_f64(), Some(2.0));
        let first = (0..CARDS).filter(|j| first_right(i, *j)).count();
        assert_eq!(s["first_attempt_score"].as_f64(), Some(first as f64 / 10.0));
        assert_eq!(s["last_active"], format!("2026-11-04T10:09:{i:02}Z"));
    }
}

#[test]
fn the_table_csv_and_html_agree_and_fit_40_columns() {
    let dir = class();
    let table = kioku(dir.path())
        .args(["class", "report", "class"])
        .env("COLUMNS", "40")
        .output()
        .expect("run");
    assert!(table.status.success());
    let text = String::from_utf8(table.stdout).expect("utf-8");
    assert!(
        text.starts_with("Class report: 30 students, 10 cards"),
        "{text}"
    );
    for line in text.lines() {
        assert!(
            unicode_columns(line) <= 40,
            "a line wider than 40 columns: {line:?}"
        );
    }
    assert!(text.contains("options picked wrongly: Kyoto ×"), "{text}");
    let wide = kioku(dir.path())
        .args(["class", "report", "class"])
        .env("COLUMNS", "100")
        .output()
        .expect("run");
    let wide = String::from_utf8(wide.stdout).expect("utf-8");
    assert!(
        wide.contains("  geo/q1         30     27       90%      0.47       7\n"),
        "{wide}"
    );
    let csv = kioku(dir.path())
        .args(["class", "report", "class", "--csv"])
        .output()
        .expect("run");
    let csv = String::from_utf8(csv.stdout).expect("utf-8");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "card,deck,kind,students,first_right,facility,discrimination,forgotten,wrong_answers,question"
        )
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("geo/q0,geo,basic,30,30,1.0000,,"))
    );
    assert!(csv.contains("\nstudent,cards_seen,"));
    assert!(csv.contains("\nstudent-01,10,"));
    let page = dir.path().join("report.html");
    kioku(dir.path())
        .args(["class", "report", "class", "--html"])
        .arg(&page)
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote the report for 30 students"));
    let html = std::fs::read_to_string(&page).expect("page");
    assert!(html.contains("<svg id=\"facility\""));
    assert!(!html.contains("<script"), "no script, so nothing to fetch");
    assert!(!html.contains("src="), "nothing loaded from elsewhere");
    assert!(html.matches("<rect class=\"bar\"").count() >= 10);
    render_in_a_browser(&page);
}

fn unicode_columns(line: &str) -> usize {
    // Every character here is one column wide (the × and – included).
    line.chars().count()
}

/// Renders the page in headless Chromium where one is installed and checks
/// that the charts have a size; says so and returns where none is.
fn render_in_a_browser(page: &Path) {
    let browser = ["chromium", "chromium-browser", "google-chrome", "chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(browser) = browser else {
        eprintln!("skipped: no headless browser (chromium) is installed to render the HTML report");
        return;
    };
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run the browser");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("<svg id=\"facility\""), "{dom}");
    assert!(dom.contains("30 students"), "{dom}");
}

#[test]
fn an_anonymous_report_names_no_student() {
    let dir = class();
    let mut cmd = kioku(dir.path());
    cmd.args(["class", "report", "class", "--json", "--anonymous"]);
    let report = json(cmd);
    assert_eq!(report["students"], 30);
    assert_eq!(report["per_student"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["cards"][1]["facility"].as_f64(), Some(0.9));
    let text = serde_json::to_string(&report).expect("json");
    assert!(!text.contains("student-"), "{text}");
}

#[test]
fn a_class_repository_holds_one_file_per_student_pushed_by_sync() {
    let remote = tempfile::tempdir().expect("dir");
    let url = remote.path().join("class.git");
    assert!(
        std::process::Command::new("git")
            .args(["init", "-q", "--bare"])
            .arg(&url)
            .status()
            .expect("git")
            .success()
    );
    let url = url.display().to_string();
    let deck = class_deck();
    for (name, answer) in [("Ana", "Answer 0"), ("Ben", "wrong"), ("Chloé", "Answer 0")] {
        let dir = folder(&[
            ("decks/geo.toml", deck.as_str()),
            (
                "config.toml",
                &format!("name = \"{name}\"\nnew_per_day = 1\n"),
            ),
        ]);
        kioku(dir.path())
            .args(["study", "--plain"])
            .write_stdin(format!("{answer}\n\n"))
            .assert()
            .success();
        kioku(dir.path())
            .args(["sync", "--init", &url])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "kept as {}.log",
                name.to_lowercase()
            )));
    }
    let teacher = folder(&[("decks/geo.toml", deck.as_str())]);
    let mut cmd = kioku(teacher.path());
    cmd.args(["class", "report", &url, "--json"]);
    let report = json(cmd);
    assert_eq!(report["students"], 3);
    let names: Vec<&str> = report["per_student"]
        .as_array()
        .expect("students")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["ana", "ben", "chloé"]);
    let q0 = &report["cards"][0];
    assert_eq!(
        (q0["students"].clone(), q0["first_right"].clone()),
        (3.into(), 2.into())
    );
}

#[test]
fn quiz_results_name_the_student_and_count_once_with_the_log() {
    let deck = class_deck();
    let dir = folder(&[("decks/geo.toml", deck.as_str())]);
    // Ana answers q0 right, q1 wrong; the result is handed in as JSON and
    // also recorded in her log.
    let out = kioku(dir.path())
        .args([
            "quiz", "--json", "--as", "Ana", "--seed", "3", "--kind", "basic", "-n", "2",
        ])
        .env("KIOKU_PROGRESS", dir.path().join("class/ana.log"))
        .write_stdin("Answer 0\nAnswer 1\n")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(result["format"], "kioku-quiz 1");
    assert_eq!(result["name"], "Ana");
    assert_eq!(result["seed"], 3);
    assert!(result["date"].as_str().is_some_and(|d| d.ends_with('Z')));
    assert_eq!(result["decks"][0]["id"], "geo");
    assert_eq!(
        result["decks"][0]["version"].as_str().map(str::len),
        Some(8)
    );
    let questions = result["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 2);
    assert!(
        questions
            .iter()
            .all(|q| q["given"].is_string() && q["correct"].is_boolean())
    );
    std::fs::write(dir.path().join("class/ana.json"), &out.stdout).expect("save");
    let mut cmd = kioku(dir.path());
    cmd.args(["class", "report", "class", "--json"]);
    let report = json(cmd);
    assert_eq!(
        report["students"], 1,
        "the log and the result are one student"
    );
    let ana = &report["per_student"][0];
    assert_eq!(ana["name"], "Ana");
    assert_eq!(ana["reviews"], 2, "the quiz in the log is counted once");
    assert_eq!(ana["quizzes"], 1);
}

#[test]
fn the_option_picked_on_a_choice_card_is_in_the_log() {
    let deck = class_deck();
    let dir = folder(&[("decks/geo.toml", deck.as_str())]);
    kioku(dir.path())
        .args([
            "quiz", "--plain", "--kind", "choice", "-n", "1", "--seed", "1",
        ])
        .write_stdin("1\n")
        .assert()
        .success();
    let log = std::fs::read_to_string(dir.path().join("progress.log")).expect("log");
    let line = log
        .lines()
        .find(|l| l.contains(" review geo/capital "))
        .expect("review");
    let picked = ["\"Tokyo\"", "\"Kyoto\"", "\"Osaka\""];
    assert!(
        picked.iter().any(|p| line.ends_with(&format!(" quiz {p}"))),
        "{line}"
    );
    // Studying records it too.
    let choice_only = "[deck]\nid = \"geo\"\ntitle = \"G\"\nsource = \"Atlas\"\n\n[[card]]\nid = \"capital\"\nq = \"Capital of Japan?\"\na = \"Tokyo\"\nchoices = [\"Kyoto\", \"Osaka\"]\n";
    let dir = folder(&[("decks/geo.toml", choice_only)]);
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("2\n\n")
        .assert()
        .success();
    let log = std::fs::read_to_string(dir.path().join("progress.log")).expect("log");
    let line = log
        .lines()
        .find(|l| l.contains(" review geo/capital "))
        .expect("review");
    assert!(
        picked
            .iter()
            .any(|p| line.ends_with(&format!(" study {p}"))),
        "{line}"
    );
}

#[test]
fn bad_inputs_are_reported_by_file_and_student_and_never_changed() {
    let deck = class_deck();
    let good = log(20);
    let torn = format!("{}0000000000000001 2026-11-0", log(21));
    let garbage = log(22).replacen("review", "weview", 1);
    let other_name = log(23);
    let stale_result = r#"{"format":"kioku-quiz 1","name":"Dan","date":"2026-11-05T10:00:00Z","seed":1,"seconds":10,
        "decks":[{"id":"geo","version":"00000000"}],
        "questions":[{"card":"geo/q0","deck":"geo","tags":[],"question":"Question 0?","expected":"Answer 0","given":"Answer 0","correct":true,"answer_ms":3000}]}"#;
    let dir = folder(&[
        ("decks/geo.toml", deck.as_str()),
        ("class/ana.log", good.as_str()),
        ("class/ben.log", torn.as_str()),
        ("class/cara.log", garbage.as_str()),
        ("class/late/ana.log", other_name.as_str()),
        ("class/dan.json", stale_result),
        ("class/notes.json", "{\"hello\": 1}"),
    ]);
    let before: Vec<Vec<u8>> = ["ana.log", "ben.log", "cara.log", "late/ana.log", "dan.json"]
        .iter()
        .map(|f| std::fs::read(dir.path().join("class").join(f)).expect("read"))
        .collect();
    let out = kioku(dir.path())
        .args(["class", "report", "class", "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "unusable files make it exit 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // A torn last line: kept, with a warning naming the file and student.
    assert!(
        stderr.contains("class/ben.log (ben): the last line"),
        "{stderr}"
    );
    // A malformed line: left out, with the line.
    assert!(
        stderr.contains("class/cara.log (cara): line 2 of the progress log"),
        "{stderr}"
    );
    assert!(stderr.contains("left out of the report"), "{stderr}");
    // Two students called ana with nothing in common.
    assert!(
        stderr.contains("class/late/ana.log (ana): the name ana is also used by class/ana.log; reported as ana (2)"),
        "{stderr}"
    );
    // A quiz on another version of the deck.
    assert!(
        stderr.contains("class/dan.json (Dan): taken on another version of deck `geo`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("class/notes.json (notes): is not a `kioku quiz --json` result"),
        "{stderr}"
    );
    assert_eq!(report["students"], 4, "ana, ana (2), ben, Dan");
    let after: Vec<Vec<u8>> = ["ana.log", "ben.log", "cara.log", "late/ana.log", "dan.json"]
        .iter()
        .map(|f| std::fs::read(dir.path().join("class").join(f)).expect("read"))
        .collect();
    assert_eq!(before, after, "no input is ever changed");
}

const RENAMED_BEFORE: &str = r#"[deck]
id = "capitals"
title = "Capitals"
source = "Atlas"

[[card]]
id = "japan"
q = "Capital of Japan?"
a = "Tokyo"
typed = true
"#;

#[test]
fn a_renamed_card_keeps_its_history_and_doctor_finds_orphans() {
    let dir = folder(&[("decks/capitals.toml", RENAMED_BEFORE)]);
    kioku(dir.path())
        .args(["study", "--plain"])
        .write_stdin("Tokyo\n\n")
        .assert()
        .success();
    let log_before = std::fs::read(dir.path().join("progress.log")).expect("log");
    // The id changes without `was`: the history is orphaned, and doctor says
    // where it probably belongs.
    let renamed = RENAMED_BEFORE.replace("id = \"japan\"", "id = \"japan-capital\"");
    std::fs::write(dir.path().join("decks/capitals.toml"), &renamed).expect("edit");
    kioku(dir.path())
        .arg("doctor")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("capitals/japan: 1 review (last"))
        .stdout(predicate::str::contains(
            "probably capitals/japan-capital (\"Capital of Japan?\"",
        ))
        .stdout(predicate::str::contains("add was = [\"japan\"] to it"));
    let mut cmd = kioku(dir.path());
    cmd.args(["stats", "--card", "capitals/japan-capital", "--json"]);
    assert_eq!(json(cmd)["history"].as_array().map(Vec::len), Some(0));
    // With `was`, the history follows the card.
    let fixed = renamed.replace(
        "id = \"japan-capital\"\n",
        "id = \"japan-capital\"\nwas = [\"japan\"]\n",
    );
    std::fs::write(dir.path().join("decks/capitals.toml"), &fixed).expect("edit");
    kioku(dir.path())
        .args(["check", "decks"])
        .assert()
        .success();
    kioku(dir.path())
        .arg("doctor")
        .assert()
        .success()
        .stdout(predicate::str::contains("Every review"));
    let mut cmd = kioku(dir.path());
    cmd.args(["stats", "--card", "capitals/japan-capital", "--json"]);
    let card = json(cmd);
    assert_eq!(card["history"].as_array().map(Vec::len), Some(1));
    assert_eq!(card["state"], "review");
    let mut cmd = kioku(dir.path());
    cmd.args(["due", "--json"]);
    assert_eq!(json(cmd)[0]["new_available"], 0, "not new again");
    assert_eq!(
        std::fs::read(dir.path().join("progress.log")).expect("log"),
        log_before,
        "the log is never rewritten"
    );
}

#[test]
fn was_mistakes_are_reported_by_check() {
    let deck = r#"[deck]
id = "d"
title = "D"
source = "S"

[[card]]
id = "a"
q = "A?"
a = "a"
was = ["old", "Bad Id"]

[[card]]
id = "b"
q = "B?"
a = "b"
was = ["old"]
"#;
    let dir = folder(&[("d.toml", deck)]);
    kioku(dir.path())
        .args(["check", "d.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "card id `Bad Id` is not a valid id",
        ))
        .stdout(predicate::str::contains(
            "`d/old` is already claimed by `d/a` in `was`",
        ));
}

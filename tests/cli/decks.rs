//! The shipped decks in `decks/`: they must check clean, cite a source on
//! every card, and show every card kind.

use serde_json::Value;

use crate::support::{kioku, root};

#[test]
fn shipped_decks_have_no_problems_at_all() {
    let out = kioku(&root())
        .args(["check", "--json", "decks"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0, "{:#}", report["diagnostics"]);
    assert!(
        report["cards"].as_u64().unwrap_or(0) >= 200,
        "at least 200 cards"
    );
}

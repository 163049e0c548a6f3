//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz style, built on
//! stable with coverage flags: see fuzz/README.md), and the replay of their
//! corpus from `cargo test`, so CI exercises every saved input on stable.
//!
//! Each function takes arbitrary bytes, must never panic, and checks what
//! must hold for any input (an event reads back as itself once written).

use std::path::Path;

/// A deck file's bytes: parsed and checked, every diagnostic rendered.
pub fn deck(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let (parsed, diagnostics) = crate::deck::parse::parse_deck(Path::new("fuzz.toml"), &text);
    let paint = crate::paint::Paint::plain();
    for d in &diagnostics {
        let _ = d.render(&paint);
    }
    if let Some(parsed) = parsed {
        for card in &parsed.deck.cards {
            let _ = card.key();
        }
    }
}

/// A progress log's bytes: read as a whole, and every event it yields
/// written back and read again unchanged.
pub fn log(bytes: &[u8]) {
    let Ok(log) = crate::progress::store::parse(Path::new("fuzz.log"), bytes) else {
        return;
    };
    for event in &log.events {
        let line = event.to_line();
        assert_eq!(
            crate::progress::Event::parse(&line).as_ref(),
            Ok(event),
            "{line}"
        );
    }
}

/// A settings file's bytes: read, and when valid, edited as `optimize` and
/// `exam set` edit it; the edited text must read back with the edit.
pub fn settings(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(config) = crate::config::Config::from_toml(text) else {
        return;
    };
    let exam = crate::config::ExamConfig {
        name: None,
        date: "2030-01-02".into(),
        decks: vec!["d".into()],
        minutes_per_day: 5,
    };
    let parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
    let edited = crate::config::edit_text(text, |c| {
        c.parameters = parameters.clone();
        c.exams.retain(|e| e.date != exam.date);
        c.exams.push(exam.clone());
    });
    if let Ok(edited) = edited {
        let back = crate::config::Config::from_toml(&edited).expect("an edit reads back");
        assert_eq!(back.parameters, parameters);
        assert!(back.exams.contains(&exam));
        assert_eq!(back.new_per_day, config.new_per_day, "other keys are kept");
    }
}

#[cfg(test)]
mod tests {
    /// Every input in fuzz/corpus/TARGET, through its target.
    fn replay(target: &str, run: fn(&[u8])) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus")
            .join(target);
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).expect("the corpus is in the repository") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            run(&bytes);
            count += 1;
        }
        assert!(count > 0, "{} is empty", dir.display());
    }

    use std::path::Path;

    #[test]
    fn the_deck_corpus_replays() {
        replay("deck", super::deck);
    }

    #[test]
    fn the_log_corpus_replays() {
        replay("log", super::log);
    }

    #[test]
    fn the_settings_corpus_replays() {
        replay("settings", super::settings);
    }
}

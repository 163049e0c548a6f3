//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The kioku binary, with colour off, a private progress file and no
/// inherited NO_COLOR or KIOKU_* settings, run from `dir`.
pub fn kioku(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kioku").expect("kioku binary");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("KIOKU_PROGRESS")
        .env("KIOKU_PROGRESS", dir.join("progress.log"))
        // Tests must not share (or leave behind) a deck cache.
        .env("KIOKU_CACHE_DIR", "off");
    cmd
}

/// The repository root, where `decks/`, `examples/` and `tests/fixtures` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary folder with the given files written into it.
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

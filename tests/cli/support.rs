//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The kioku binary, with colour off, a private progress file and no
/// inherited NO_COLOR or KIOKU_* settings, run from `dir`.
pub(crate) fn kioku(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kioku").expect("kioku binary");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("KIOKU_PROGRESS")
        .env("KIOKU_PROGRESS", dir.join("progress.log"))
        .env("KIOKU_CONFIG", dir.join("config.toml"))
        // Tests must not share (or leave behind) a deck cache.
        .env("KIOKU_CACHE_DIR", "off");
    isolate(&mut cmd, dir);
    cmd
}

/// Points the platform folders (data, config, cache) into `dir`, so that a
/// test never reads or writes the real ones.
pub(crate) fn isolate(cmd: &mut Command, dir: &Path) {
    let home = dir.join(".home");
    cmd.env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"));
}

/// The repository root, where `decks/`, `examples/` and `tests/fixtures` are.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary folder with the given files written into it.
pub(crate) fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
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

/// A kioku process driven through pipes, as a script or a person would:
/// wait for a prompt, type a line.
pub(crate) struct Live {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    output: std::sync::mpsc::Receiver<Vec<u8>>,
    seen: String,
}

impl Live {
    pub(crate) fn spawn(dir: &Path, args: &[&str]) -> Live {
        use std::process::{Command, Stdio};
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("kioku"))
            .args(args)
            .current_dir(dir)
            .env_remove("NO_COLOR")
            .env("KIOKU_PROGRESS", dir.join("progress.log"))
            .env("KIOKU_CONFIG", dir.join("config.toml"))
            .env("KIOKU_CACHE_DIR", "off")
            .env("XDG_CONFIG_HOME", dir.join(".home/config"))
            .env("KIOKU_SEED", "7")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn kioku");
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            });
        }
        let stdin = child.stdin.take();
        Live {
            child,
            stdin,
            output: rx,
            seen: String::new(),
        }
    }

    /// Waits until the output so far contains `text` (30 s at most: a loaded machine is slow), and
    /// consumes everything up to it.
    pub(crate) fn expect(&mut self, text: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(at) = self.seen.find(text) {
                let upto = at + text.len();
                let before = self.seen[..upto].to_string();
                self.seen.drain(..upto);
                return before;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => self.seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(_) => panic!(
                    "timed out waiting for {text:?}; output so far: {:?}",
                    self.seen
                ),
            }
        }
    }

    /// Waits until the output contains every one of `texts`, in any order, and consumes
    /// everything up to the last of them. Standard output and standard error arrive on two
    /// pipes, so a warning and the next prompt can come in either order.
    pub(crate) fn expect_all(&mut self, texts: &[&str]) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let ends: Option<Vec<usize>> = texts
                .iter()
                .map(|t| self.seen.find(t).map(|at| at + t.len()))
                .collect();
            if let Some(upto) = ends.and_then(|e| e.into_iter().max()) {
                self.seen.drain(..upto);
                return;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => self.seen.push_str(&String::from_utf8_lossy(&chunk)),
                Err(_) => panic!(
                    "timed out waiting for all of {texts:?}; output so far: {:?}",
                    self.seen
                ),
            }
        }
    }

    pub(crate) fn send(&mut self, line: &str) {
        use std::io::Write;
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("type a line");
        stdin.flush().expect("flush");
    }

    /// SIGINT, as Ctrl-C in the terminal that started it would send.
    pub(crate) fn interrupt(&self) {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill -INT");
        assert!(status.success());
    }

    /// SIGKILL: no chance to clean up, as in a crash.
    pub(crate) fn kill(mut self) {
        self.child.kill().expect("kill");
        let _ = self.child.wait();
    }

    /// Closes stdin and waits for the exit code, returning the rest of the
    /// output.
    pub(crate) fn finish(mut self) -> (i32, String) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("wait");
        while let Ok(chunk) = self
            .output
            .recv_timeout(std::time::Duration::from_millis(300))
        {
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        (status.code().unwrap_or(-1), self.seen)
    }
}

use std::io::Read as _;

/// The review lines of a progress log.
pub(crate) fn reviews(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("progress.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(" review "))
        .map(str::to_string)
        .collect()
}

/// A small deck of typed cards with known answers, introduced in file order.
pub(crate) const TYPED_DECK: &str = r#"[deck]
id = "capitals"
title = "Capitals"
source = "Atlas"
# The scripted answers follow the file.
new_order = "file"

[[card]]
id = "japan"
q = "Capital of Japan?"
a = "Tokyo"
typed = true

[[card]]
id = "russia"
q = "Capital of Russia?"
a = "Moscow"
typed = true

[[card]]
id = "france"
q = "Capital of France?"
a = "Paris"
typed = true
"#;

/// Runs a kioku command that must succeed and prints JSON; returns the JSON.
pub(crate) fn json(mut cmd: assert_cmd::Command) -> serde_json::Value {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the command prints JSON")
}

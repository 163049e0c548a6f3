//! What `kioku class report` reads: students' progress logs (`*.log`) and
//! quiz results (`*.json`), named one by one, found in folders, or in a
//! class git repository (cloned to a temporary folder; nothing is written
//! back). A file that cannot be used is reported with its name and
//! student, and the report goes on without it. Nothing is ever written to
//! any input.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::result::{FORMAT, QuizResult};
use crate::error::Error;
use crate::progress::Event;

/// One student's file.
#[derive(Debug)]
pub(crate) struct Source {
    /// The file, as named to the user.
    pub file: String,
    pub student: String,
    pub data: Data,
}

#[derive(Debug)]
pub(crate) enum Data {
    Log(Vec<Event>),
    Quiz(Box<QuizResult>),
}

/// Something wrong with an input, said with the file and the student.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Problem {
    pub file: String,
    pub student: Option<String>,
    pub message: String,
    /// The file was left out of the report.
    pub skipped: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.student {
            write!(f, " ({s})")?;
        }
        write!(f, ": {}", self.message)?;
        if self.skipped {
            write!(f, "; left out of the report")?;
        }
        Ok(())
    }
}

/// Reads every input. Clones of class repositories live in temporary
/// folders that are gone when this returns.
pub(crate) fn gather(inputs: &[String]) -> Result<(Vec<Source>, Vec<Problem>), Error> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut clones = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if path.is_file() {
            files.push((path.to_path_buf(), input.clone()));
        } else if path.is_dir() && !is_bare_repository(path) {
            walk(path, &mut files);
        } else if path.is_dir() || looks_like_url(input) {
            let dir = clone(input)?;
            let mut found = Vec::new();
            walk(dir.path(), &mut found);
            for (file, _) in found {
                let inside = file.strip_prefix(dir.path()).unwrap_or(&file);
                let label = format!("{input}:{}", inside.display());
                files.push((file, label));
            }
            clones.push(dir);
        } else {
            return Err(Error::PathNotFound {
                path: path.to_path_buf(),
            });
        }
    }
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for (path, label) in files {
        read(&path, label, &mut sources, &mut problems);
    }
    Ok((sources, problems))
}

/// The student a file belongs to by its name: `ana.log`, or the folder of
/// `ana/progress.log`.
fn student_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if stem == "progress"
        && let Some(parent) = path.parent().and_then(Path::file_name)
    {
        return parent.to_string_lossy().to_string();
    }
    stem
}

fn read(path: &Path, file: String, sources: &mut Vec<Source>, problems: &mut Vec<Problem>) {
    let student = student_of(path);
    let problem = |student: Option<String>, message: String, skipped| Problem {
        file: file.clone(),
        student,
        message: crate::text::sanitize(&message, false),
        skipped,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(problem(Some(student), format!("cannot read it: {e}"), true));
            return;
        }
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("log") => match crate::progress::store::parse(path, &bytes) {
            Ok(log) => {
                if log.events.is_empty() {
                    problems.push(problem(Some(student), "holds no answers".into(), true));
                    return;
                }
                for w in log.warnings {
                    problems.push(problem(Some(student.clone()), w, false));
                }
                sources.push(Source {
                    file,
                    student,
                    data: Data::Log(log.events),
                });
            }
            Err(e) => problems.push(problem(Some(student), e.to_string(), true)),
        },
        Some("json") => match serde_json::from_slice::<QuizResult>(&bytes) {
            Ok(result) if result.format == FORMAT => {
                let student = result
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or(student);
                sources.push(Source {
                    file,
                    student,
                    data: Data::Quiz(Box::new(result)),
                });
            }
            Ok(result) => problems.push(problem(
                result.name,
                format!(
                    "is a quiz result in format `{}`; this kioku reads `{FORMAT}`",
                    result.format
                ),
                true,
            )),
            Err(e) => problems.push(problem(
                Some(student),
                format!("is not a `kioku quiz --json` result ({e})"),
                true,
            )),
        },
        _ => problems.push(problem(
            None,
            "is neither a progress log (*.log) nor a quiz result (*.json)".into(),
            true,
        )),
    }
}

/// `*.log` and `*.json` files under `dir`, skipping hidden folders (`.git`).
fn walk(dir: &Path, files: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let path = e.path();
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        if path.is_dir() {
            if !hidden {
                walk(&path, files);
            }
        } else if !hidden
            && matches!(
                path.extension().and_then(|x| x.to_str()),
                Some("log" | "json")
            )
        {
            let label = path.display().to_string();
            files.push((path, label));
        }
    }
}

fn is_bare_repository(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

fn looks_like_url(text: &str) -> bool {
    text.contains("://") || (text.contains('@') && text.contains(':'))
}

/// A shallow clone of a class repository, in a temporary folder.
fn clone(url: &str) -> Result<tempfile::TempDir, Error> {
    let dir = tempfile::tempdir().map_err(|e| Error::Class(format!("cannot clone {url}: {e}")))?;
    // `kioku sync` pushes to `main`; a repository whose HEAD names another
    // branch is cloned as it is.
    let run = |branch: &[&str]| {
        std::process::Command::new("git")
            .args(["clone", "-q", "--depth", "1"])
            .args(branch)
            .arg("--")
            .arg(url)
            .arg(dir.path())
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .output()
            .map_err(|e| Error::Class(format!("cannot run git to clone {url}: {e}")))
    };
    let mut out = run(&["--branch", "main"])?;
    if !out.status.success() {
        out = run(&[])?;
    }
    if !out.status.success() {
        let message = String::from_utf8_lossy(&out.stderr);
        let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(Error::Class(format!(
            "cannot clone the class repository {url}: {}",
            crate::text::sanitize(first, false)
        )));
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn students_are_named_by_file_or_folder() {
        assert_eq!(student_of(Path::new("class/ana.log")), "ana");
        assert_eq!(student_of(Path::new("class/ben/progress.log")), "ben");
        assert_eq!(student_of(Path::new("quiz-1.json")), "quiz-1");
    }
}

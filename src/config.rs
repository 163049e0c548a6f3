//! Settings, in `config.toml` (where: [`crate::paths::config`]). Every key is
//! optional; a missing file means the defaults.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What to do with a card that keeps being forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LeechAction {
    /// Mark it and report it, keep showing it.
    #[default]
    Flag,
    /// Mark it and stop showing it until unsuspended.
    Suspend,
}

/// An exam to revise for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamConfig {
    /// What the learner calls it (`exam set --name finals`); exams are
    /// found by name or by date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Deck ids the exam covers.
    pub decks: Vec<String>,
    pub minutes_per_day: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Share of cards you want to recall when they come due (0.7 to 0.99).
    pub desired_retention: f32,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    /// The local hour at which a new study day begins.
    pub day_starts_at: u8,
    pub maximum_interval_days: u32,
    /// Lapses after which a card is a leech.
    pub leech_threshold: u32,
    pub leech_action: LeechAction,
    /// FSRS parameters fitted by `kioku optimize`; empty for the defaults.
    pub parameters: Vec<f32>,
    #[serde(rename = "exam")]
    pub exams: Vec<ExamConfig>,
    /// The learner's name, in quiz results and class repositories.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            desired_retention: 0.9,
            new_per_day: 20,
            reviews_per_day: 200,
            day_starts_at: 4,
            maximum_interval_days: 36_500,
            leech_threshold: 8,
            leech_action: LeechAction::Flag,
            parameters: Vec::new(),
            exams: Vec::new(),
            name: None,
        }
    }
}

/// The largest settings file kioku reads: far more than any real one, and
/// small enough that a file linked to /dev/zero or a huge paste cannot
/// exhaust memory.
pub(crate) const MAX_SIZE: u64 = 1 << 20;

impl Config {
    /// Reads the settings; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config, Error> {
        match read_text(path)? {
            None => Ok(Config::default()),
            Some(text) => Config::from_toml(&text).map_err(|message| Error::Config {
                path: path.to_path_buf(),
                message,
            }),
        }
    }

    /// Parses and validates settings text; the error says what is wrong.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let config: Config =
            toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if !(0.7..=0.99).contains(&self.desired_retention) {
            return Err(format!(
                "desired_retention = {} is outside 0.7 to 0.99",
                self.desired_retention
            ));
        }
        if self.day_starts_at > 23 {
            return Err(format!(
                "day_starts_at = {} is not an hour (0 to 23)",
                self.day_starts_at
            ));
        }
        if self.maximum_interval_days == 0 {
            return Err("maximum_interval_days must be at least 1".into());
        }
        if !self.parameters.is_empty() && fsrs::FSRS::new(&self.parameters).is_err() {
            return Err("parameters are not a valid FSRS parameter set".into());
        }
        Ok(())
    }

    /// Changes the settings file at `path`: under a lock held from reading
    /// to writing (so two commands editing it at once both count), on the
    /// file as it is now (not as it was when the command started), keeping
    /// comments, key order, the file's mode and a symlink in its place.
    /// Returns the settings as saved.
    pub fn update(path: &Path, change: impl FnOnce(&mut Config)) -> Result<Config, Error> {
        let fail = |e: &dyn std::fmt::Display| Error::Config {
            path: path.to_path_buf(),
            message: format!("cannot save: {e}"),
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path(path))
            .map_err(|e| fail(&e))?;
        // Waits for another kioku editing the settings: edits take
        // milliseconds.
        lock.lock().map_err(|e| fail(&e))?;
        let text = read_text(path)?.unwrap_or_default();
        let edited = edit_text(&text, change).map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })?;
        write_in_place(path, &edited).map_err(|e| fail(&e))?;
        Config::from_toml(&edited).map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })
    }
}

/// The lock beside a settings file: `config.toml.lock`.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// The settings file's text, or None when there is none. Only a regular
/// file of at most [`MAX_SIZE`] is read: a FIFO would block forever and
/// /dev/zero never ends, so both are clear errors instead.
fn read_text(path: &Path) -> Result<Option<String>, Error> {
    use std::io::Read;
    let fail = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(e.to_string())),
        Ok(meta) if !meta.is_file() => {
            return Err(fail(
                "it is not a regular file (a folder, a FIFO or a device); settings are read only from a plain file".into(),
            ));
        }
        Ok(meta) if meta.len() > MAX_SIZE => {
            return Err(fail(format!(
                "it is {} bytes, and a settings file is at most {MAX_SIZE}",
                meta.len()
            )));
        }
        Ok(_) => {}
    }
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_SIZE {
        return Err(fail(format!(
            "it grew past {MAX_SIZE} bytes while being read"
        )));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| fail("it is not UTF-8 text".into()))
}

/// Applies `change` to the settings in `text` and returns the new text:
/// only the keys whose values changed are rewritten; comments, order and
/// every untouched key stay as they were, and `[[exam]]` tables that are
/// kept keep their comments.
pub(crate) fn edit_text(text: &str, change: impl FnOnce(&mut Config)) -> Result<String, String> {
    let before = Config::from_toml(text)?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    let mut after = before.clone();
    change(&mut after);
    let table = |c: &Config| {
        toml::Table::try_from(c)
            .map(|mut t| {
                t.iter_mut().for_each(|(_, v)| shortest_floats(v));
                t
            })
            .map_err(|e| e.to_string())
    };
    let (old, new) = (table(&before)?, table(&after)?);
    for key in old.keys().filter(|k| !new.contains_key(*k)) {
        doc.remove(key);
    }
    for (key, value) in &new {
        if old.get(key) == Some(value) {
            continue;
        }
        if key == "exam" {
            set_exams(&mut doc, &after.exams)?;
            continue;
        }
        let line = toml::to_string(&toml::Table::from_iter([(key.clone(), value.clone())]))
            .map_err(|e| e.to_string())?;
        let parsed: toml_edit::DocumentMut = line.parse().map_err(|e| format!("{e}"))?;
        let Some(mut item) = parsed.get(key).cloned() else {
            continue;
        };
        // A comment after the old value stays after the new one.
        if let (Some(new_value), Some(old_value)) = (
            item.as_value_mut(),
            doc.get(key).and_then(toml_edit::Item::as_value),
        ) {
            let decor = old_value.decor().clone();
            *new_value.decor_mut() = decor;
        }
        doc[key.as_str()] = item;
    }
    let edited = doc.to_string();
    // The edit must say exactly what was meant, or it is not saved.
    if Config::from_toml(&edited).as_ref() != Ok(&after) {
        return Err("kioku could not edit this file without changing its meaning; save a copy and delete it to start from the defaults".into());
    }
    Ok(edited)
}

/// Every float in the settings is an f32: written as the shortest decimal
/// that reads back as the same f32 (0.001, not 0.0010000000474974513).
fn shortest_floats(value: &mut toml::Value) {
    match value {
        toml::Value::Float(x) => {
            if let Ok(short) = (*x as f32).to_string().parse::<f64>() {
                *x = short;
            }
        }
        toml::Value::Array(items) => items.iter_mut().for_each(shortest_floats),
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| shortest_floats(v)),
        _ => {}
    }
}

/// Rewrites the `[[exam]]` tables as `exams`, reusing the tables of exams
/// that did not change.
fn set_exams(doc: &mut toml_edit::DocumentMut, exams: &[ExamConfig]) -> Result<(), String> {
    let existing: Vec<toml_edit::Table> = doc
        .get("exam")
        .and_then(toml_edit::Item::as_array_of_tables)
        .map(|a| a.iter().cloned().collect())
        .unwrap_or_default();
    let mut tables = toml_edit::ArrayOfTables::new();
    for exam in exams {
        let reused = existing
            .iter()
            .find(|t| toml::from_str::<ExamConfig>(&t.to_string()).ok().as_ref() == Some(exam));
        let table = match reused {
            Some(t) => t.clone(),
            None => {
                let text = toml::to_string(exam).map_err(|e| e.to_string())?;
                let parsed: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
                parsed.as_table().clone()
            }
        };
        tables.push(table);
    }
    doc.remove("exam");
    if !tables.is_empty() {
        doc.insert("exam", toml_edit::Item::ArrayOfTables(tables));
    }
    Ok(())
}

/// Replaces the file at `path` (or, through a symlink, the file it points
/// to) atomically: a crash leaves the old text or the new, never half of
/// each; the file keeps its permissions.
fn write_in_place(path: &Path, text: &str) -> std::io::Result<()> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = match std::fs::metadata(&target) {
        Ok(meta) => meta.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o644),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().set_permissions(permissions)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()
}

/// A warning when `TZ` names no time zone: days then roll over at UTC's
/// 4 am, not the user's, and they should know.
pub(crate) fn time_zone_warning() -> Option<String> {
    let tz = std::env::var_os("TZ")?;
    jiff::tz::TimeZone::try_system().err().map(|_| {
        format!(
            "TZ=`{}` is not a time zone kioku knows, so study days are counted in UTC",
            crate::text::truncate(&crate::text::sanitize(&tz.to_string_lossy(), false), 40)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_means_defaults_and_updating_round_trips() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        assert_eq!(Config::load(&path).expect("defaults"), Config::default());
        let exam = ExamConfig {
            name: None,
            date: "2026-12-20".into(),
            decks: vec!["treaties".into()],
            minutes_per_day: 15,
        };
        let saved = Config::update(&path, |c| {
            c.new_per_day = 5;
            c.exams.push(exam.clone());
        })
        .expect("update");
        assert_eq!(saved.exams, [exam]);
        assert_eq!(Config::load(&path).expect("load"), saved);
    }

    #[test]
    fn edits_keep_comments_order_mode_and_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let real = dir.path().join("real.toml");
        let text = "# my settings\nnew_per_day = 7   # a gentle pace\nparameters = []  # by optimize\n\n# the big one\n[[exam]]\ndate = \"2030-01-01\" # finals\ndecks = [\"a\"]\nminutes_per_day = 10\n";
        std::fs::write(&real, text).expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let path = dir.path().join("config.toml");
        std::os::unix::fs::symlink(&real, &path).expect("symlink");
        let w: Vec<f32> = fsrs::DEFAULT_PARAMETERS.to_vec();
        Config::update(&path, |c| {
            c.parameters = w.clone();
            c.exams.push(ExamConfig {
                name: None,
                date: "2031-01-01".into(),
                decks: vec!["b".into()],
                minutes_per_day: 5,
            });
        })
        .expect("update");
        assert!(
            std::fs::symlink_metadata(&path)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        let after = std::fs::read_to_string(&real).expect("read");
        for kept in [
            "# my settings",
            "# a gentle pace",
            "# by optimize",
            "# the big one",
            "# finals",
        ] {
            assert!(after.contains(kept), "{kept} in {after}");
        }
        assert!(
            after.find("new_per_day") < after.find("parameters"),
            "{after}"
        );
        let mode = std::fs::metadata(&real).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let loaded = Config::load(&path).expect("load");
        assert_eq!(loaded.parameters, w);
        assert_eq!(loaded.new_per_day, 7);
        assert_eq!(loaded.exams.len(), 2);
    }

    #[test]
    fn only_regular_files_of_sane_size_are_read() {
        let dir = tempfile::tempdir().expect("dir");
        let fifo = dir.path().join("config.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = Config::load(&fifo).expect_err("a FIFO").to_string();
            assert!(e.contains("not a regular file"), "{e}");
        }
        let e = Config::load(Path::new("/dev/zero"))
            .expect_err("a device")
            .to_string();
        assert!(e.contains("not a regular file"), "{e}");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; MAX_SIZE as usize + 1]).expect("write");
        let e = Config::load(&big).expect_err("too big").to_string();
        assert!(e.contains("at most"), "{e}");
    }

    #[test]
    fn mistakes_are_reported() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "new_per_dya = 5\n").expect("write");
        let e = Config::load(&path).expect_err("unknown key").to_string();
        assert!(e.contains("new_per_dya"), "{e}");
        std::fs::write(&path, "desired_retention = 1.2\n").expect("write");
        assert!(Config::load(&path).is_err());
    }
}

//! Settings, in `config.toml` (where: [`crate::paths::config`]). Every key is
//! optional; a missing file means the defaults.

use std::io::Write;
use std::path::Path;

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

impl Config {
    /// Reads the settings; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                });
            }
        };
        let config: Config = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        config.validate().map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })?;
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

    /// Writes the settings atomically: a crash leaves the old file or the
    /// new one, never half of each.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let fail = |e: &dyn std::fmt::Display| Error::Config {
            path: path.to_path_buf(),
            message: format!("cannot save: {e}"),
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let text = toml::to_string_pretty(self).map_err(|e| fail(&e))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
        tmp.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
        tmp.as_file().sync_all().map_err(|e| fail(&e))?;
        tmp.persist(path).map_err(|e| fail(&e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_means_defaults_and_saving_round_trips() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        assert_eq!(Config::load(&path).expect("defaults"), Config::default());
        let mut c = Config {
            new_per_day: 5,
            ..Config::default()
        };
        c.exams.push(ExamConfig {
            date: "2026-12-20".into(),
            decks: vec!["treaties".into()],
            minutes_per_day: 15,
        });
        c.save(&path).expect("save");
        assert_eq!(Config::load(&path).expect("load"), c);
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

//! The TOML configuration file and the platform directories.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;
use serde::Deserialize;

use crate::domain::revenue::StatusRules;
use crate::i18n::Lang;

/// Settings read from `config.toml`. Every field is optional; flags win over it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub lang: Option<Lang>,
    pub theme: Option<String>,
    /// Database file.
    pub db: Option<PathBuf>,
    /// Staff login to work as, when it differs from the system login: only on
    /// a demo database, or for root and the database file's owner (see
    /// `crate::identity`).
    pub user: Option<String>,
    /// Active tier preset (guangdong-score, shantou, letter-bands, shibei).
    pub tier_preset: Option<String>,
    /// Active visit standard (guangdong-letters, shantou, shanghai, class).
    pub visit_standard: Option<String>,
    /// Money shown in "yuan" (default) or "wan" (万元).
    pub money_unit: Option<MoneyUnit>,
    /// Customer status rules (see `domain::revenue::StatusRules`).
    pub status: Option<StatusRules>,
    /// The bureau's time zone, an IANA name (default Asia/Shanghai): times are
    /// recorded and shown in it whatever the user's `TZ` (see `crate::time`).
    pub zone: Option<String>,
}

/// How amounts are shown: yuan, or 万元 as the documents count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MoneyUnit {
    #[default]
    Yuan,
    Wan,
}

impl MoneyUnit {
    pub fn format(self, m: crate::domain::money::Money) -> String {
        match self {
            MoneyUnit::Yuan => m.format_yuan(),
            MoneyUnit::Wan => m.format_wan(),
        }
    }
    pub fn toggled(self) -> MoneyUnit {
        match self {
            MoneyUnit::Yuan => MoneyUnit::Wan,
            MoneyUnit::Wan => MoneyUnit::Yuan,
        }
    }
}

impl Config {
    /// The bureau's time zone: the configured one, else Asia/Shanghai.
    pub fn zone(&self) -> Result<chrono_tz::Tz, ConfigError> {
        match &self.zone {
            None => Ok(crate::time::DEFAULT_ZONE),
            Some(name) => crate::time::parse_zone(name).ok_or_else(|| ConfigError::Zone(name.clone())),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown time zone '{0}' in the configuration: use a name such as Asia/Shanghai")]
    Zone(String),
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: {reason}")]
    Parse { path: String, reason: String },
}

/// Where kam keeps its files on this platform.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Dirs {
    pub fn platform() -> Dirs {
        match ProjectDirs::from("", "", "kam") {
            Some(p) => Dirs { config: p.config_dir().to_path_buf(), data: p.data_dir().to_path_buf() },
            // No home directory (a bare service account): fall back to the working directory.
            None => Dirs { config: PathBuf::from("."), data: PathBuf::from(".") },
        }
    }
    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }
    pub fn themes(&self) -> PathBuf {
        self.config.join("themes")
    }
    pub fn keys_file(&self) -> PathBuf {
        self.config.join("keys.toml")
    }
    pub fn default_db(&self) -> PathBuf {
        self.data.join("kam.db")
    }
}

impl Config {
    /// This configuration, with `fallback`'s settings where it has none: the
    /// user's over the system's. The system's `user` is never taken (nobody is
    /// everybody).
    pub fn or(self, fallback: Config) -> Config {
        Config {
            lang: self.lang.or(fallback.lang),
            theme: self.theme.or(fallback.theme),
            db: self.db.or(fallback.db),
            user: self.user,
            tier_preset: self.tier_preset.or(fallback.tier_preset),
            visit_standard: self.visit_standard.or(fallback.visit_standard),
            money_unit: self.money_unit.or(fallback.money_unit),
            status: self.status.or(fallback.status),
            // The bureau's zone is the shared configuration's when it names one.
            zone: fallback.zone.or(self.zone),
        }
    }

    /// Reads the file if it exists; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Config::parse(&text).map_err(|reason| ConfigError::Parse { path: path.display().to_string(), reason })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError::Read { path: path.display().to_string(), reason: e.to_string() }),
        }
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

/// The 1-based line of byte `offset` in `text`: where a user's file (keys,
/// theme) says what was refused.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting_and_refuses_unknown_ones() {
        let c =
            Config::parse("lang = \"en\"\ntheme = \"light\"\ntier_preset = \"shantou\"\nuser = \"zhuguan\"\n").unwrap();
        assert_eq!(c.lang, Some(Lang::En));
        assert_eq!(c.tier_preset.as_deref(), Some("shantou"));
        assert!(Config::parse("colour = \"red\"").unwrap_err().contains("colour"));
        let c = Config::parse("money_unit = \"wan\"\n[status]\nwatch_fall_percent = 40\n").unwrap();
        assert_eq!(c.money_unit, Some(MoneyUnit::Wan));
        assert_eq!(c.status.unwrap().watch_fall_percent, 40);
        assert_eq!(c.status.unwrap().churned_empty_months, 3);
    }

    #[test]
    fn missing_file_is_empty_config() {
        assert_eq!(Config::load(Path::new("/nonexistent/kam/config.toml")).unwrap(), Config::default());
    }
}

//! Every UI string, in Simplified Chinese (default) and English. The `texts!`
//! table puts both languages on one line, so neither can be missing a string.

mod appraisal;
mod contract;
mod labels;
mod requests;
mod table;

pub use appraisal::*;
pub use contract::*;
pub use labels::*;
pub use requests::*;
pub use table::{Text, fill};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn text(self) -> &'static Text {
        match self {
            Lang::Zh => &table::ZH,
            Lang::En => &table::EN,
        }
    }
    /// Picks the string of this language from a (zh, en) pair.
    pub fn pick<'a>(self, pair: (&'a str, &'a str)) -> &'a str {
        match self {
            Lang::Zh => pair.0,
            Lang::En => pair.1,
        }
    }
}

/// A period of months as the offices name it: `2003年1-10月累计` (a year to
/// date), `2003年3-5月`, `2003年10月`, `2002年11月-2003年2月`; in English
/// `Jan–Oct 2003 (cumulative)`, `Mar–May 2003`, `Oct 2003`, `Nov 2002 – Feb 2003`.
/// A marketing plan's period: "2026年第2季度" / "2026 Q2", "2026年上半年" / "2026 H1", "2026年5月" / "2026-05".
pub fn plan_period_label(lang: Lang, period: crate::domain::plan::PlanPeriod) -> String {
    use crate::domain::plan::Cadence;
    use chrono::Datelike;
    let t = lang.text();
    let (year, month) = (period.first.year(), period.first.month());
    match period.cadence() {
        Cadence::Month => match lang {
            Lang::Zh => fill(t.plan_period_month, &[&year, &month]),
            _ => fill(t.plan_period_month, &[&year, &format!("{month:02}")]),
        },
        Cadence::Quarter => fill(t.plan_period_quarter, &[&year, &month.div_ceil(3)]),
        Cadence::HalfYear | Cadence::Year if month <= 6 => fill(t.plan_period_h1, &[&year]),
        Cadence::HalfYear | Cadence::Year => fill(t.plan_period_h2, &[&year]),
    }
}

pub fn period_label(lang: Lang, period: crate::domain::period::Period) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (a, b) = (period.first(), period.last());
    let en = |m: crate::domain::revenue::Month| MONTHS[(m.month() as usize + 11) % 12];
    match lang {
        Lang::Zh if a == b => format!("{}年{}月", a.year(), a.month()),
        Lang::Zh if a.year() != b.year() => format!("{}年{}月-{}年{}月", a.year(), a.month(), b.year(), b.month()),
        Lang::Zh if a.month() == 1 => format!("{}年{}-{}月累计", a.year(), a.month(), b.month()),
        Lang::Zh => format!("{}年{}-{}月", a.year(), a.month(), b.month()),
        Lang::En if a == b => format!("{} {}", en(a), a.year()),
        Lang::En if a.year() != b.year() => format!("{} {} – {} {}", en(a), a.year(), en(b), b.year()),
        Lang::En if a.month() == 1 => format!("{}–{} {} (cumulative)", en(a), en(b), a.year()),
        Lang::En => format!("{}–{} {}", en(a), en(b), a.year()),
    }
}

/// A file-permission warning in the user's language.
pub fn file_warning_text(lang: Lang, w: crate::db::file_access::FileWarning) -> &'static str {
    use crate::db::file_access::FileWarning;
    let t = lang.text();
    match w {
        FileWarning::OthersCanRead => t.warn_others_read,
        FileWarning::OthersCanWrite => t.warn_others_write,
        FileWarning::FolderOthersCanWrite => t.warn_folder_write,
    }
}

/// Why the user's key bindings file was refused, in the user's language:
/// the file, the line, and the names that would have been understood.
pub fn keymap_error_text(lang: Lang, e: &crate::keymap::KeymapError) -> String {
    use crate::keymap::{Command, KeymapError, Mode};
    use strum::VariantNames;
    let t = lang.text();
    let list = |names: &[&str]| names.join(if lang == Lang::Zh { "、" } else { ", " });
    match e {
        KeymapError::Read { file, reason } => fill(t.keys_err_read, &[file, reason]),
        KeymapError::Parse { file, line, .. } => fill(t.keys_err_parse, &[file, line]),
        KeymapError::UnknownMode { file, line, mode } => {
            fill(t.keys_err_mode, &[file, line, mode, &list(Mode::VARIANTS)])
        }
        KeymapError::UnknownCommand { file, line, mode, key, command } => {
            fill(t.keys_err_command, &[file, line, &mode.name(), key, command, &list(Command::VARIANTS)])
        }
        KeymapError::Key { file, line, mode, key } => fill(t.keys_err_key, &[file, line, &mode.name(), key]),
    }
}

/// Why the theme was refused, in the user's language: the file, the line,
/// and the names that would have been understood.
pub fn theme_error_text(lang: Lang, e: &crate::theme::ThemeError) -> String {
    use crate::theme::{Slot, ThemeError};
    use strum::VariantNames;
    let t = lang.text();
    let slots = Slot::VARIANTS.join(if lang == Lang::Zh { "、" } else { ", " });
    match e {
        ThemeError::Unknown(name) => fill(t.theme_err_unknown, &[name]),
        ThemeError::Read { file, reason } => fill(t.theme_err_read, &[file, reason]),
        ThemeError::Parse { file, line } => fill(t.theme_err_parse, &[file, line]),
        ThemeError::UnknownSlot { file, line, slot } => fill(t.theme_err_slot, &[file, line, slot, &slots]),
        ThemeError::UnknownInherit { file, line, slot, parent } => {
            fill(t.theme_err_inherit, &[file, line, &slot.name(), parent, &slots])
        }
        ThemeError::Colour { file, line, slot, colour } => {
            fill(t.theme_err_colour, &[file, line, &slot.name(), colour])
        }
        ThemeError::Loop { file, line, slot } => fill(t.theme_err_loop, &[file, line, &slot.name()]),
    }
}

/// Who made a change, as the history shows it: the staff member, or the
/// system account that acted for them ("管理员 root 代 张伟", "admin root for
/// 张伟"; the owner of a file that is not guarded: "wangfang 代 张伟").
pub fn history_who(lang: Lang, changed_by: &str, acted_by: Option<&str>) -> String {
    let t = lang.text();
    match acted_by {
        Some("root") => fill(t.history_root_acted_for, &[&"root", &changed_by]),
        Some(account) => fill(t.history_acted_for, &[&account, &changed_by]),
        None => changed_by.to_string(),
    }
}

/// Why a server's TLS refused the connection, in the user's language.
pub fn tls_reason(lang: Lang, failure: &crate::db::engine::TlsFailure) -> String {
    use crate::db::engine::TlsFailure as F;
    let t = lang.text();
    match failure {
        F::Untrusted { roots: Some(file) } => fill(t.tls_untrusted, &[file]),
        F::Untrusted { roots: None } => fill(t.tls_untrusted, &[&t.tls_system_roots]),
        F::NameMismatch { host, names } if names.is_empty() => fill(t.tls_name_mismatch, &[host]),
        F::NameMismatch { host, names } => fill(t.tls_name_mismatch_names, &[host, &names.join(", ")]),
        F::Expired => t.tls_expired.into(),
        F::ClientCertificateRefused { cert } => fill(t.tls_client_refused, &[cert]),
        F::ClientCertificateMissing => t.tls_client_missing.into(),
        F::ServerHasNoTls => t.tls_server_has_none.into(),
        F::ServerRequiresTls => t.tls_server_requires.into(),
        F::Other(what) => fill(t.tls_other, &[what]),
    }
}

/// Why a file is not a kam database, in the user's language: one line.
pub fn not_kam_text(lang: Lang, path: &str, why: &crate::db::NotKam) -> String {
    use crate::db::NotKam;
    use crate::db::file_kind::Foreign;
    let t = lang.text();
    match why {
        NotKam::Empty => fill(t.not_kam_empty, &[&path]),
        NotKam::Foreign(Foreign::NotSqlite) => fill(t.not_kam_not_sqlite, &[&path]),
        NotKam::Foreign(Foreign::OtherApplication(id)) => {
            let bytes = id.to_be_bytes();
            let shown = if bytes.iter().all(u8::is_ascii_alphanumeric) {
                format!("\"{}\"", bytes.escape_ascii())
            } else {
                format!("{id:#010x}")
            };
            fill(t.not_kam_other_app, &[&path, &shown])
        }
        NotKam::Foreign(Foreign::OtherTables(names)) => fill(t.not_kam_other_tables, &[&path, &names.join(", ")]),
        NotKam::Foreign(Foreign::OtherSchema) => fill(t.not_kam_other_schema, &[&path]),
    }
}

/// A development step's label (`domain::pipeline::Step`), numbered.
pub fn pipeline_step_label(lang: Lang, step: crate::domain::pipeline::Step) -> &'static str {
    use crate::domain::pipeline::Step;
    let t = lang.text();
    match step {
        Step::Survey => t.pipe_step_survey,
        Step::Segmentation => t.pipe_step_segmentation,
        Step::Prioritisation => t.pipe_step_prioritisation,
        Step::Positioning => t.pipe_step_positioning,
        Step::MarketingPlan => t.pipe_step_marketing_plan,
        Step::Expansion => t.pipe_step_expansion,
    }
}

/// How late a prospect's step is: "超期 3 天", "3 days late" ("1 day late").
pub fn pipeline_days_late(lang: Lang, days: i64) -> String {
    let t = lang.text();
    if days == 1 { t.pipe_day_late.to_string() } else { fill(t.pipe_days_late, &[&days]) }
}

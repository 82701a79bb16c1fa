//! `kam migrate --from FILE --to URL [--under CODE] [--dry-run]`: a
//! bureau's SQLite database into the province's PostgreSQL database, in one
//! transaction (the copy itself is `db::migrate`). Prints the rows per table
//! and the time taken; a refusal (clashing keys, a broken history chain)
//! lists what stands in the way and exits non-zero with nothing written.

use anyhow::{Result, anyhow};

use crate::db::Store;
use crate::db::migrate::{self, Clash, MigrateError, Options, Refusal, Report};
use crate::i18n::{Lang, fill, table_label, unit_level_label};
use crate::ui::widgets::text::text_table;

pub fn run(lang: Lang, source: &Store, target: &Store, options: &Options) -> Result<()> {
    match migrate::migrate(source, target, options) {
        Ok(report) => {
            crate::out!("{}", summary(lang, &report, source, target));
            Ok(())
        }
        Err(MigrateError::Refused(Refusal::Clashes(clashes))) => {
            crate::errln!("{}", lang.text().migrate_clashes);
            for clash in &clashes {
                crate::errln!("  {}", clash_text(lang, clash));
            }
            Err(anyhow!(fill(lang.text().migrate_refused_clashes, &[&clashes.len()])))
        }
        Err(MigrateError::Refused(refusal)) => Err(anyhow!(refusal_text(lang, &refusal, source, target))),
        Err(e) => Err(e.into()),
    }
}

/// The rows copied per table, then where from, where to and how long.
pub fn summary(lang: Lang, report: &Report, source: &Store, target: &Store) -> String {
    let t = lang.text();
    let rows: Vec<Vec<String>> = report
        .tables
        .iter()
        .map(|c| {
            let label = table_label(&c.table).map_or_else(|| c.table.clone(), |pair| lang.pick(pair).to_string());
            let merged = if c.merged > 0 { c.merged.to_string() } else { String::new() };
            vec![label, c.copied.to_string(), merged]
        })
        .collect();
    let mut out = text_table(&[t.migrate_col_table, t.migrate_col_rows, t.migrate_col_merged], &rows);
    for r in &report.renumbered {
        let text = if r.table == "service_request" { t.migrate_renumbered_requests } else { t.migrate_renumbered };
        out.push_str(&fill(text, &[&r.year, &r.count, &r.was.0, &r.was.1, &r.now.0, &r.now.1]));
        out.push('\n');
    }
    if let Some(first) = report.first_history_id {
        out.push_str(&fill(t.migrate_history_linked, &[&first]));
        out.push('\n');
    }
    if let Some(record) = report.record {
        out.push_str(&fill(t.migrate_recorded, &[&record, &report.source_sha256]));
        out.push('\n');
    }
    let secs = format!("{:.1}", report.elapsed.as_secs_f64());
    let done = if report.dry_run { t.migrate_dry_run } else { t.migrate_done };
    out.push_str(&fill(done, &[source.location(), target.location(), &secs]));
    out.push('\n');
    out
}

/// One clash, named the way a user knows the key.
pub fn clash_text(lang: Lang, clash: &Clash) -> String {
    let t = lang.text();
    match (clash.table.as_str(), clash.column.as_str(), &clash.values) {
        ("customer", "id", _) => fill(t.migrate_clash_customer, &[&clash.key]),
        ("org_unit", "code", _) => fill(t.migrate_clash_unit, &[&clash.key]),
        ("staff", "login", _) => fill(t.migrate_clash_login, &[&clash.key]),
        ("complaint", "number", _) => fill(t.migrate_clash_complaint, &[&clash.key]),
        (_, _, Some((province, file))) => fill(t.migrate_clash_setting, &[&clash.key, province, file]),
        (table, column, None) => {
            let table = table_label(table).map_or(table, |pair| lang.pick(pair));
            fill(t.migrate_clash_other, &[&table, &column, &clash.key])
        }
    }
}

fn refusal_text(lang: Lang, refusal: &Refusal, source: &Store, target: &Store) -> String {
    let t = lang.text();
    match refusal {
        Refusal::Clashes(clashes) => fill(t.migrate_refused_clashes, &[&clashes.len()]),
        Refusal::Chain(report) => {
            let rows: Vec<String> =
                report.broken.iter().chain(&report.unlinked).chain(&report.deleted).map(i64::to_string).collect();
            fill(t.migrate_refused_chain, &[source.location(), &rows.join(", ")])
        }
        Refusal::SchemaAltered => fill(t.migrate_refused_schema, &[source.location()]),
        Refusal::NotSuperuser(login) => fill(t.migrate_refused_superuser, &[login]),
        Refusal::NotServer => fill(t.migrate_to_not_server, &[target.location()]),
        Refusal::NotFile => fill(t.migrate_from_not_file, &[source.location()]),
        Refusal::UnknownUnder(code) => fill(t.migrate_unknown_under, &[code]),
        Refusal::UnderLevel { units, under } => units
            .iter()
            .map(|(code, level)| {
                fill(
                    t.migrate_under_level,
                    &[code, &lang.pick(unit_level_label(*level)), &lang.pick(unit_level_label(*under))],
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

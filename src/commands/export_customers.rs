//! `kam export customers --format csv|xlsx [filters] -o FILE`: the customer
//! list, with the list screen's filters, as a spreadsheet.
//!
//! Rows are read a page at a time (the list's own paged query) and streamed into
//! the file, so the export of a hundred thousand customers holds one page in
//! memory, never the table.

use std::path::Path;

use anyhow::{Context, Result, anyhow};

use super::CommandEnv;
use super::report::{file_format, unit_by_code};
use crate::cli::{ListFilterArgs, ListOrder, TableFormat};
use crate::db::customers::{self, CustomerFilter, CustomerQuery, CustomerRow, SortColumn};
use crate::domain::dossier::STATUSES;
use crate::domain::tier::Tier;
use crate::export::table::{Cell, FileFormat, RowStyle, TableFile};
use crate::i18n::{Lang, choice_label, field_label, fill, tier_label};
use crate::search::normalize_query;

/// Rows read per query. The list's query pages by OFFSET, which walks the rows
/// it skips, so a whole export costs about rows² / (2 × page) row steps: larger
/// pages keep 100,000 customers to about a second while one page stays a few MB.
const PAGE_ROWS: u64 = 10_000;

pub fn run(env: &CommandEnv, format: TableFormat, filter: &ListFilterArgs, output: &Path) -> Result<()> {
    // Everything is checked before the output file is touched.
    let query = query_of(env, filter)?;
    let written = export(env, file_format(format), &query, filter.archived, output, PAGE_ROWS)?;
    crate::errln!("{}", fill(env.lang.text().report_customers_written, &[&output.display(), &written]));
    Ok(())
}

/// Writes the customers `query` finds to `output`, `page_rows` at a time; with
/// `archived_only`, only the archived ones. Returns how many rows were written.
fn export(
    env: &CommandEnv,
    format: FileFormat,
    query: &CustomerQuery,
    archived_only: bool,
    output: &Path,
    page_rows: u64,
) -> Result<u64> {
    let t = env.lang.text();
    let conn = env.store.conn();
    // One read transaction: the pages are consistent with each other even while
    // others keep editing. (Dropping it ends it; nothing is written.)
    let snapshot = conn.snapshot()?;

    let mut file = TableFile::create(output, format).with_context(|| format!("{}", output.display()))?;
    file.section(t.screen_customers)?;
    let key = |k| env.lang.pick(field_label(k));
    file.headings(&[
        t.col_id,
        key("short_name"),
        key("full_name"),
        key("tier"),
        key("status"),
        key("registration"),
        key("industry_id"),
        key("owner_a"),
        key("unit_id"),
        t.report_col_update_due,
    ])?;
    let mut offset = 0;
    loop {
        let rows = customers::page(&snapshot, query, offset, page_rows)?;
        for row in &rows {
            // The list can only add archived customers to the live ones; the
            // export's --archived means the archived ones alone.
            if archived_only && !row.archived {
                continue;
            }
            file.row(RowStyle::Body, &cells(env, row))?;
        }
        offset += rows.len() as u64;
        if (rows.len() as u64) < page_rows {
            break;
        }
    }
    drop(snapshot);
    let written = file.body_rows();
    file.finish().with_context(|| format!("{}", output.display()))?;
    Ok(written)
}

/// The list query the flags describe, sorted by ID or by name (pinyin order).
pub fn query_of(env: &CommandEnv, args: &ListFilterArgs) -> Result<CustomerQuery> {
    let t = env.lang.text();
    let tier = match args.tier.as_deref() {
        None => None,
        Some(text) => Some(parse_tier(text).ok_or_else(|| {
            let codes: Vec<&str> = Tier::ALL.iter().map(|t| t.code()).collect();
            anyhow!(fill(t.report_unknown_tier, &[&text, &codes.join(", ")]))
        })?),
    };
    let status = match args.status.as_deref() {
        None => None,
        Some(text) => Some(
            parse_status(text)
                .ok_or_else(|| anyhow!(fill(t.report_unknown_status, &[&text, &STATUSES.join(", ")])))?
                .to_string(),
        ),
    };
    let unit = match args.unit.as_deref() {
        None => None,
        Some(code) => Some(unit_by_code(env, code)?.id),
    };
    Ok(CustomerQuery {
        search: args.search.as_deref().map(normalize_query).unwrap_or_default(),
        filter: CustomerFilter {
            tier,
            status,
            unit,
            mine_of: args.mine.then_some(env.actor.staff.id),
            pending_registration: args.pending,
            stale_on: args.stale.then_some(env.actor.at.date()),
            include_archived: args.archived,
            ..CustomerFilter::default()
        },
        sort: match args.sort {
            ListOrder::Id => SortColumn::Id,
            ListOrder::Name => SortColumn::ShortName,
        },
        ..CustomerQuery::default()
    })
}

/// A tier by its code or its label in either language: `diamond`, `钻石`, `Diamond`.
fn parse_tier(text: &str) -> Option<Tier> {
    let text = text.trim();
    Tier::ALL.into_iter().find(|tier| {
        let (zh, en) = tier_label(*tier);
        tier.code().eq_ignore_ascii_case(text) || zh == text || en.eq_ignore_ascii_case(text)
    })
}

/// A customer status code, given as the code or its label in either language.
fn parse_status(text: &str) -> Option<&'static str> {
    let text = text.trim();
    STATUSES.iter().copied().find(|code| {
        let (zh, en) = choice_label(code);
        code.eq_ignore_ascii_case(text) || zh == text || en.eq_ignore_ascii_case(text)
    })
}

fn cells(env: &CommandEnv, row: &CustomerRow) -> Vec<Cell> {
    let lang = env.lang;
    let industry = row
        .industry_id
        .and_then(|id| env.reference.industry(id))
        .map(|i| if lang == Lang::Zh { i.name_zh.clone() } else { i.name_en.clone() })
        .unwrap_or_default();
    let owner = env.reference.staff(row.owner_a).map(|s| s.name.clone()).unwrap_or_default();
    let unit = env.reference.unit(row.unit_id).map(|u| u.name.clone()).unwrap_or_default();
    vec![
        Cell::text(row.id.as_str()),
        Cell::text(row.short_name.as_str()),
        Cell::text(row.full_name.as_str()),
        Cell::text(lang.pick(tier_label(row.tier))),
        Cell::text(lang.pick(choice_label(&row.status))),
        Cell::text(lang.pick(choice_label(&row.registration))),
        Cell::Text(industry),
        Cell::Text(owner),
        Cell::Text(unit),
        Cell::Date(row.update_due_on),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Actor, Store, reference};
    use crate::demo::{DemoOptions, generate};
    use crate::domain::tier::TierPreset;

    fn demo_env(dir: &Path) -> CommandEnv {
        let mut store = Store::open(&dir.join("kam.db")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let options = DemoOptions {
            customers: 40,
            seed: 7,
            today,
            os_login: None,
            preset: TierPreset::GuangdongScore,
            visits: None,
            activity: true,
        };
        generate(&mut store, &options).unwrap();
        let staff = reference::staff_by_login(store.conn(), "guanli").unwrap().unwrap();
        CommandEnv {
            reference: reference::load(store.conn()).unwrap(),
            store,
            actor: Actor { staff, at: today.and_hms_opt(9, 0, 0).unwrap() },
            lang: Lang::Zh,
            preset: TierPreset::GuangdongScore,
            rules: Default::default(),
        }
    }

    #[test]
    fn every_row_once_whatever_the_page_size() {
        let dir = tempfile::TempDir::new().unwrap();
        let env = demo_env(dir.path());
        let query = CustomerQuery::default();
        let all = customers::count(env.store.conn(), &query).unwrap();
        assert!(all > 7);
        // Pages of one, uneven pages, a page exactly the size of the list, one page.
        for page_rows in [1, 7, all, all + 1] {
            let path = dir.path().join(format!("all-{page_rows}.csv"));
            assert_eq!(export(&env, FileFormat::Csv, &query, false, &path, page_rows).unwrap(), all);
            let bytes = std::fs::read(&path).unwrap();
            let ids: Vec<String> =
                csv::Reader::from_reader(&bytes[3..]).records().map(|r| r.unwrap()[0].to_string()).collect();
            assert_eq!(ids.len() as u64, all, "page size {page_rows}");
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted, none twice (page size {page_rows})");
        }
    }

    #[test]
    fn tiers_and_statuses_by_code_or_label() {
        assert_eq!(parse_tier("diamond"), Some(Tier::Diamond));
        assert_eq!(parse_tier("钻石"), Some(Tier::Diamond));
        assert_eq!(parse_tier(" VIP "), Some(Tier::Vip));
        assert_eq!(parse_tier("none"), Some(Tier::Unranked));
        assert_eq!(parse_tier("ruby"), None);
        assert_eq!(parse_status("watch"), Some("watch"));
        assert_eq!(parse_status("预警"), Some("warning"));
        assert_eq!(parse_status("lost"), None);
    }
}

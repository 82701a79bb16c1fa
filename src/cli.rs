//! Command-line flags and subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

/// kam — key-account management (大客户管理) for postal account managers.
///
/// Without a subcommand kam opens the terminal application on the database.
#[derive(Debug, Parser)]
#[command(name = "kam", version, about, long_about = None)]
pub struct Cli {
    /// Database file (default: kam.db in the platform data directory).
    #[arg(long, global = true, env = "KAM_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Open the demo database (created with generated data on first use).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Interface language: zh (简体中文, default) or en.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,

    /// Theme: dark, light, basic16, or the name of a file in the themes directory.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// Work as this staff login instead of your system login: on a demo
    /// database anyone may; on a real one only root or the database file's
    /// owner, and the history then records who acted for whom.
    #[arg(long, global = true, env = "KAM_USER", value_name = "LOGIN")]
    pub user: Option<String>,

    /// Tier preset: guangdong-score, shantou, letter-bands or shibei.
    #[arg(long, global = true, value_name = "NAME")]
    pub preset: Option<String>,

    /// Visit standard: guangdong-letters, shantou, shanghai or class.
    #[arg(long, global = true, value_name = "NAME")]
    pub standard: Option<String>,

    /// Configuration file (default: config.toml in the platform config directory).
    #[arg(long, global = true, env = "KAM_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// For measuring: draw the first frame, print how long start-up took, exit.
    #[arg(long, hide = true)]
    pub first_frame_exit: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// What-if tier calculator: which tier a revenue gives, and how far the next one is.
    Tier {
        /// Tier preset (default: the configured one).
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
        /// The customer's annual postal revenue in yuan (e.g. 850000, 85万).
        #[arg(long, value_name = "YUAN")]
        revenue: String,
        /// The responsible unit's annual revenue in yuan (score presets use the share).
        #[arg(long, value_name = "YUAN")]
        unit_revenue: Option<String>,
        /// Monthly payroll/pension paid through the post, in yuan (shibei preset).
        #[arg(long, value_name = "YUAN")]
        payroll: Option<String>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Build a demo database, e.g. a large one for measuring.
    Demo {
        /// How many customers to generate.
        #[arg(long, default_value_t = 300)]
        customers: usize,
        /// Visits in all, at least: the ones beyond the usual six weeks are
        /// done visits over the last two years (e.g. 1000000 for load tests).
        #[arg(long, value_name = "N")]
        visits: Option<usize>,
        /// Seed of the deterministic generator.
        #[arg(long, default_value_t = 20261123)]
        seed: u64,
        /// Replace the file if it is a demo (never anything else).
        #[arg(long)]
        force: bool,
    },
    /// Print the key bindings as a Markdown table.
    Keys,
    /// Print the day's review (today's visits, overdue, behind standard,
    /// occasions, stale dossiers) as plain text, e.g. for a morning mail.
    Agenda {
        /// The day to review (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// The month-end appraisal (SPEC §10) for payroll: each account manager's
    /// score sheet (items, points, reasons), fixed performance, achievement pay,
    /// completion rate, deductions and performance pay. A closed month as frozen,
    /// an open one as it stands. JSON schema kam-appraisal/1 (see README).
    Appraisal {
        /// The month, e.g. 2026-10.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Only the managers of this unit and the units below it.
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// Only this account manager.
        #[arg(long, value_name = "LOGIN")]
        login: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: crate::commands::appraisal::AppraisalFormat,
        /// Where to write (JSON goes to standard output without it).
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Print complaints as plain text (e.g. the overdue ones for a supervisor's daily mail).
    Complaints {
        /// Only open complaints past their deadline.
        #[arg(long)]
        overdue: bool,
    },
    /// Print service requests for a morning mail: the open ones overdue
    /// first, and yesterday's done or cancelled (met or late).
    Requests {
        /// Only open requests past their due day.
        #[arg(long)]
        overdue: bool,
        /// One JSON document (schema kam-requests/1) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The development pipeline (SPEC §13.5): your prospects (a manager's)
    /// or, with --unit or for anyone else, your unit's, counted by step with
    /// the overdue steps and the revenue expected; then the overdue steps.
    /// `--json` prints schema kam-pipeline/1 (see README).
    Pipeline {
        /// The unit's pipeline instead of your own prospects.
        #[arg(long)]
        unit: bool,
        /// One JSON document (schema kam-pipeline/1) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Contracts and agreements (SPEC §12) of the customers you answer for:
    /// those ending soon (renew or end them), those waiting for your
    /// approval, or every one not ended. `--json` prints schema
    /// kam-contracts/1 (see README). `--chains` prints the approval chains
    /// per tier; the administrator sets one with --tier and --step, e.g.
    /// --chains --tier gold --step "主管审核=supervisor@access_bureau"
    /// --step "分管领导审批=leader@access_bureau".
    Contracts {
        /// Only those in force ending within DAYS days (and those past their
        /// end that nobody ended), e.g. --ending 60.
        #[arg(long, value_name = "DAYS")]
        ending: Option<u32>,
        /// Only those waiting on a step of their approval you decide.
        #[arg(long, conflicts_with = "ending")]
        waiting: bool,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// The approval chains per tier instead of contracts.
        #[arg(long, conflicts_with_all = ["ending", "waiting", "json"])]
        chains: bool,
        /// With --chains: the tier whose chain to set (diamond, platinum, gold, silver, vip, general,
        /// district, company, branch, none).
        #[arg(long, value_name = "TIER", requires_all = ["chains", "step"])]
        tier: Option<String>,
        /// With --chains --tier: one step, in order: NAME=ROLE@BODY. ROLE: supervisor or leader; BODY:
        /// customer_unit, access_bureau, province or province_bureau.
        #[arg(long, value_name = "STEP", requires = "tier")]
        step: Vec<String>,
    },
    /// Write data out for other programs.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Import a CSV file as Excel saves it (UTF-8 with or without BOM, or GBK).
    /// A file with any bad row writes nothing and lists every bad row.
    Import {
        /// What the file holds.
        #[arg(value_enum)]
        kind: ImportKind,
        /// The CSV file.
        file: PathBuf,
        /// Check the file and report what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Monthly reports (SPEC §7) as CSV or XLSX.
    Report {
        #[command(subcommand)]
        what: ReportCommand,
    },
    /// Re-compute every tier from the last twelve months of revenue: shows what
    /// would change; --apply writes it, with history.
    Retier {
        /// Write the changes (customer administrator or supervisor).
        #[arg(long)]
        apply: bool,
    },
    /// Revenue not yet collected (应收未收) of a customer, for the month end's
    /// late money: list it, set what is unpaid of a month's service line, or
    /// record the day it was paid (`kam import receivables` for many).
    Receivable {
        /// The customer's 14-digit ID.
        #[arg(long, value_name = "ID")]
        customer: String,
        /// The revenue month, e.g. 2026-06 (without it: the customer's list).
        #[arg(long, value_name = "YYYY-MM", requires = "line")]
        month: Option<String>,
        /// The service line's code or Chinese name.
        #[arg(long, value_name = "CODE")]
        line: Option<String>,
        /// What is still unpaid, in yuan.
        #[arg(long, value_name = "YUAN")]
        unpaid: Option<String>,
        /// The day it was paid (with --unpaid: as recorded; alone: paid now in full).
        #[arg(long, value_name = "YYYY-MM-DD")]
        paid_on: Option<String>,
    },
    /// A unit's own total revenue (the denominator of the shares): list, or set
    /// for a year or a month.
    UnitRevenue {
        /// Unit code (see `kam unit-revenue` for the list).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// The period to set: a year (2026), a month (2026-10), or a period of
        /// months of one year known only as its total (2026-01..2026-10,
        /// 2026年1-10月累计), kept whole, never spread over the months.
        #[arg(long, value_name = "PERIOD", requires = "amount")]
        period: Option<String>,
        /// The amount in yuan (e.g. 120000000, 1.2亿 is not accepted; 12000万 is).
        #[arg(long, value_name = "YUAN", requires = "period")]
        amount: Option<String>,
    },
    /// A unit's goal indicators (目标指标, SPEC §15) for a period: revenue
    /// share, development and retention rates, dossier completeness, new key
    /// customers, plan progress and the time-limited service rate, each with
    /// what it was counted from, the year's target, whether it is met and the
    /// formula the bureau chose.
    Goals {
        /// Unit code (with the units below it).
        #[arg(long, value_name = "CODE")]
        unit: String,
        /// The first month (default: January of --to's year).
        #[arg(long, value_name = "YYYY-MM")]
        from: Option<String>,
        /// The last month (default: the current year to date, as far as the ledger goes).
        #[arg(long, value_name = "YYYY-MM")]
        to: Option<String>,
        /// text (aligned columns), json (for other programs; README) or csv.
        #[arg(long, value_enum, default_value = "text")]
        format: crate::commands::goals::GoalsFormat,
        /// Write to this file instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Set a unit's target for one goal indicator for a year (a supervisor of
    /// the unit or of a unit above it, or the administrator): a rise in points
    /// for revenue-share, a percentage for the rates, a count for
    /// new-key-customers, the yearly plan in yuan for plan-progress.
    GoalTarget {
        /// Unit code.
        #[arg(long, value_name = "CODE")]
        unit: String,
        /// The year, e.g. 2026.
        #[arg(long, value_name = "YYYY")]
        year: String,
        /// revenue-share, development-rate, retention-rate, dossier-completeness,
        /// new-key-customers, plan-progress or service-met-rate.
        #[arg(long, value_name = "CODE")]
        indicator: String,
        /// The target: 1.5 (points), 95 or 95% (a rate), 3 (customers), 1200万 (yuan).
        #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
        target: String,
    },
    /// The staff registry: list it, or (administrator) add or change a member of staff.
    Staff {
        #[command(subcommand)]
        what: Option<StaffCommand>,
    },
    /// The bureau's policies (stored in the database, enforced for everyone):
    /// show them, or (administrator) change one.
    Policy {
        /// Let account managers edit every customer of their own unit, not only
        /// the ones they own as A or B.
        #[arg(long, value_name = "on|off")]
        managers_edit_unit: Option<String>,
        /// What the 30% fluctuation rule compares month on month: revenue
        /// (the default) or volume (pieces).
        #[arg(long, value_name = "revenue|volume")]
        fluctuation_measure: Option<String>,
        /// Days without a pickup request after which a customer is due a
        /// proactive call (service requests; default 14).
        #[arg(long, value_name = "DAYS")]
        request_quiet_days: Option<i64>,
        /// How service requests' time limits count days: calendar (the
        /// default) or working (Monday to Friday).
        #[arg(long, value_name = "calendar|working")]
        request_days: Option<String>,
    },
    /// Print a customer's change history (who, when, old and new value), newest first.
    History {
        /// The customer's 14-digit ID.
        #[arg(long, value_name = "ID")]
        customer: String,
    },
    /// Check the database file: SQLite's integrity and foreign-key checks, the
    /// revenue totals kept by triggers, and the search keys and occasion days kam
    /// keeps. Exits non-zero when anything is wrong.
    Check {
        /// Rebuild the search keys and occasion days when they are all that is off
        /// (e.g. after another tool ran VACUUM on the file), in one transaction.
        #[arg(long)]
        repair: bool,
    },
    /// Who you are working as: login, name, role and unit (and whether the
    /// database is a demo).
    Whoami,
    /// Set up a guarded installation on a shared server (as root): the database
    /// belongs to a group nobody is in, and kam is installed set-group-id to it,
    /// so the file opens only through kam (README: Deployment). Idempotent.
    /// The database file is the global `--db PATH` (made by `kam init` if not
    /// there yet).
    SetupShared {
        /// The group that owns the database: a group no person is in (e.g. kamdb).
        #[arg(long, value_name = "NAME")]
        group: String,
        /// Where to install kam set-group-id (this program is copied there).
        #[arg(long, value_name = "PATH", default_value = "/usr/local/bin/kam")]
        install: PathBuf,
    },
    /// Copy the live database to FILE, consistently, while others keep working.
    Backup {
        /// The copy to write (must not exist).
        file: PathBuf,
    },
    /// Copy a bureau's SQLite database into the province's PostgreSQL
    /// database, in one transaction: units, staff, reference lists, customers
    /// and all that hangs off them, history included. Bureaus merge side by
    /// side; a customer ID, unit code or staff login the province has already
    /// is listed and nothing is written. Run as a PostgreSQL superuser.
    Migrate {
        /// The bureau's kam database file.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The province database: a PostgreSQL connection string (postgresql://…).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Put the bureau's top units under this unit of the province (its code);
        /// without it they stay at the top.
        #[arg(long, value_name = "CODE")]
        under: Option<String>,
        /// Do everything and report, then roll back: nothing is written.
        #[arg(long)]
        dry_run: bool,
    },
    /// The unit tree (province, city, district centres, bureaus, branches):
    /// list it, or (administrator) add, change, move, archive or restore a unit.
    Unit {
        #[command(subcommand)]
        what: Option<UnitCommand>,
    },
    /// The industries customers are filed under: list them, or (administrator)
    /// add, rename, archive or restore one.
    Industry {
        #[command(subcommand)]
        what: Option<ListCommand>,
    },
    /// The postal service lines revenue is counted in (letters, bill mail, …):
    /// list them, or (administrator) add, rename, archive or restore one.
    ServiceLine {
        #[command(subcommand)]
        what: Option<ListCommand>,
    },
    /// The reasons returned mail (退信) is counted under (地址不详, 查无此人, …):
    /// list them, or (administrator) add, rename, archive or restore one.
    ReturnReason {
        #[command(subcommand)]
        what: Option<ListCommand>,
    },
    /// Set up an empty database: the first unit and you as its administrator.
    Init {
        /// Name of the key-account centre, e.g. 广州市邮政局大客户中心.
        #[arg(long)]
        unit_name: String,
        /// Its 6-digit administrative-division code, e.g. 440100.
        #[arg(long)]
        division: String,
        /// Your name as staff.
        #[arg(long)]
        name: String,
        /// The unit's code, used by the other commands (e.g. GZ).
        #[arg(long, default_value = "HQ", value_name = "CODE")]
        unit_code: String,
        /// Its level: province, city, district, bureau or branch.
        #[arg(long, default_value = "city", value_name = "LEVEL")]
        level: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// The unit tree with codes, division codes and levels.
    List {
        /// Show archived units too.
        #[arg(long)]
        archived: bool,
    },
    /// Add a unit, e.g. `kam unit add --code TH --name 天河区大客户中心 --division 440106 --parent GZ`.
    Add {
        /// A short code of letters, digits, - or _ (unique), e.g. TH.
        #[arg(long)]
        code: String,
        /// The unit's name, e.g. 天河区大客户中心.
        #[arg(long)]
        name: String,
        /// Its 6-digit administrative-division code (default: the parent's).
        #[arg(long, value_name = "CODE")]
        division: Option<String>,
        /// The code of the unit above it (default: none, at the top).
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
        /// province, city, district, bureau or branch (default: the level below the parent's).
        #[arg(long)]
        level: Option<String>,
    },
    /// Rename a unit or change its division code.
    #[command(visible_alias = "edit")]
    Rename {
        /// The unit's code.
        code: String,
        /// The new name.
        #[arg(long, required_unless_present = "division")]
        name: Option<String>,
        /// A new 6-digit administrative-division code.
        #[arg(long, value_name = "CODE")]
        division: Option<String>,
    },
    /// Move a unit under another one (or to the top with --top).
    Move {
        /// The unit's code.
        code: String,
        /// The code of its new parent.
        #[arg(long, value_name = "CODE", required_unless_present = "top", conflicts_with = "top")]
        parent: Option<String>,
        /// Put it at the top of the tree.
        #[arg(long)]
        top: bool,
    },
    /// Archive a unit nobody works in any more (no customers, staff or units left in it).
    Archive { code: String },
    /// Bring an archived unit back.
    Restore { code: String },
    /// A unit's change history (who, when, old → new), newest first.
    History { code: String },
}

/// Commands for a list of codes and names (industries, service lines).
#[derive(Debug, Subcommand)]
pub enum ListCommand {
    /// The list with codes and names.
    List {
        /// Show archived entries too.
        #[arg(long)]
        archived: bool,
    },
    /// Add an entry.
    Add {
        /// A short code of letters, digits, - or _ (unique), e.g. finance.
        #[arg(long)]
        code: String,
        /// The name (Chinese).
        #[arg(long)]
        name: String,
        /// The English name (default: the same as --name).
        #[arg(long)]
        name_en: Option<String>,
    },
    /// Rename an entry.
    #[command(visible_alias = "edit")]
    Rename {
        code: String,
        /// The new (Chinese) name.
        #[arg(long, required_unless_present = "name_en")]
        name: Option<String>,
        /// The new English name.
        #[arg(long)]
        name_en: Option<String>,
    },
    /// Archive an entry: no longer offered for new records; records that have it keep it.
    Archive { code: String },
    /// Bring an archived entry back.
    Restore { code: String },
    /// An entry's change history (who, when, old → new), newest first.
    History { code: String },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Register a member of staff.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// Unit code.
        #[arg(long)]
        unit: String,
        /// manager, supervisor, admin or leader.
        #[arg(long)]
        role: String,
        #[arg(long)]
        phone: Option<String>,
    },
    /// Change a member of staff (by login); only the given fields change.
    Set {
        login: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        role: Option<String>,
        /// active, leave or left.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    /// Customers (客户档案): ID or name, names, unit, account manager…
    Customers,
    /// Key persons (相关重要人士) of existing customers.
    Persons,
    /// Monthly revenue per customer and service line.
    Revenue,
    /// Monthly volume (用邮量, pieces) per customer and service line.
    Volume,
    /// Monthly returned mail (退信) per customer: posted, returned, by reason.
    Returns,
    /// Units' own revenue (单位收入): a year, a month or a period total per row.
    UnitRevenue,
    /// Visits already made (拜访记录): customer, time, kind, account manager…
    Visits,
    /// Marketing-log entries already written (营销日志): customer, date,
    /// account manager, deal stage, content…
    Log,
    /// Revenue not yet collected (应收未收): customer, month, service line, unpaid, paid on.
    Receivables,
}

/// Formats of the analysis report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFileFormat {
    Docx,
    Xlsx,
}

/// Spreadsheet formats kam writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The monthly analysis report (经营分析报告, SPEC §13.4) of one unit: its
    /// seven parts, the figures as tables and the supervisor's text. A submitted
    /// report is written as submitted (its frozen figures); a draft with the
    /// ledger's figures as they stand.
    Analysis {
        /// The month the report covers, e.g. 2026-11.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Unit code (default: your own unit).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// The city centre's quarterly diamond and gold analysis (on a quarter's last month).
        #[arg(long)]
        quarterly: bool,
        /// docx (Word, as the offices circulate it) or xlsx.
        #[arg(long, value_enum, default_value = "docx")]
        format: ReportFileFormat,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// The month's two report forms: key-customer count and revenue by tier, and
    /// the key customers' revenue table (silver and above, or the top 10).
    Monthly {
        /// The month, e.g. 2026-10 (default: the latest month in the ledger).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        /// Unit code (with the units below it; default: all units).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// xlsx: one worksheet per form. csv (UTF-8 with BOM): the two forms one
        /// after the other, each under a title row, separated by a blank line.
        #[arg(long, value_enum, default_value = "xlsx")]
        format: TableFormat,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// A period of months (default: the year to date, 1-N月累计) against the
    /// same months last year: each key customer with the change (增减), its
    /// share of the unit's revenue and its tier and status, the total of all
    /// key customers and the like-for-like subtotal.
    Period {
        /// The first month, e.g. 2003-01 (default: January of --to's year).
        #[arg(long, value_name = "YYYY-MM")]
        from: Option<String>,
        /// The last month, e.g. 2003-10 (default: the latest month in the ledger).
        #[arg(long, value_name = "YYYY-MM")]
        to: Option<String>,
        /// Unit code (with the units below it; default: all units).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// Amounts in yuan or in 万元 (default: money_unit of the config, else yuan).
        #[arg(long, value_enum, value_name = "UNIT")]
        unit_of_money: Option<MoneyUnitArg>,
        /// xlsx (one worksheet) or csv (UTF-8 with BOM).
        #[arg(long, value_enum, default_value = "xlsx")]
        format: TableFormat,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// How the period report counts money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MoneyUnitArg {
    /// 元
    Yuan,
    /// 万元 (10,000 yuan), two decimals.
    Wan,
}

/// The customer list's filters, as flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ListFilterArgs {
    /// Search text (ID, name, pinyin or initials).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only this tier (diamond, platinum, gold, silver, vip, general, …).
    #[arg(long, value_name = "TIER")]
    pub tier: Option<String>,
    /// Only this status (normal, watch, warning, churned).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only my customers (A or B).
    #[arg(long)]
    pub mine: bool,
    /// Only customers of this unit code.
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// Only customers whose dossier is past its update date.
    #[arg(long)]
    pub stale: bool,
    /// Only pending registrations.
    #[arg(long)]
    pub pending: bool,
    /// Archived customers instead of live ones.
    #[arg(long)]
    pub archived: bool,
    /// Row order: by customer ID, or by short name in pinyin order.
    #[arg(long, value_enum, default_value = "id")]
    pub sort: ListOrder,
}

/// The orders a customer export can be written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ListOrder {
    #[default]
    Id,
    Name,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Planned visits as an iCalendar file for phone and desktop calendars.
    /// Re-exporting updates the same events (stable UIDs) instead of duplicating.
    Ics {
        /// First day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Last day (default: 90 days after the first).
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// The customer list, with the list's filters, as CSV or XLSX.
    Customers {
        #[arg(long, value_enum, default_value = "xlsx")]
        format: TableFormat,
        #[command(flatten)]
        filter: ListFilterArgs,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: std::path::PathBuf,
    },
}

//! From the command line to a running app: configuration, the database, the
//! current user, and the terminal.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use crate::app::{App, run_loop};
use crate::background::Reader;
use crate::cli::{Cli, Command, ExportCommand, ReportCommand};
use crate::commands::CommandEnv;
use crate::commands::goals;
use crate::commands::retier::PresetNews;
use crate::commands::tier::{TierQuestion, assess, to_json, to_text};
use crate::config::{Config, Dirs};
use crate::ctx::{Clock, Ctx};
use crate::db::file_access::FileWarning;
use crate::db::reference;
use crate::db::{Actor, DbError, DbKind, Location, Store};
use crate::demo::{DemoOptions, demo_db_path, ensure_demo, generate};
use crate::domain::staff::Staff;
use crate::domain::tier::TierPreset;
use crate::domain::visit_standard::StandardPreset;
use crate::event::Events;
use crate::i18n::{Lang, fill};
use crate::identity::{Account, Asked, Refused};
use crate::keymap::Keymap;
use crate::privilege::SetGid;
use crate::terminal::TerminalGuard;
use crate::theme::Theme;

/// Everything resolved from flags, environment and the config file.
struct Settings {
    dirs: Dirs,
    config: Config,
    /// The configuration file read (named when its `user =` is refused).
    config_path: PathBuf,
    lang: Lang,
    preset: TierPreset,
    standard: StandardPreset,
    /// kam runs set-group-id (a guarded installation): the group's privilege,
    /// held in the saved set-group-id until the database is open, then given
    /// up for good (see `crate::privilege`).
    privilege: Cell<Option<SetGid>>,
    guarded: bool,
    /// In a guarded installation, the shared database the system
    /// configuration names: the only file opened with the group's privilege.
    shared_db: Option<PathBuf>,
}

impl Settings {
    /// Opens with the group's privilege (`shared`) or with the user's own
    /// rights; either way the privilege is gone for good afterwards.
    fn open_with<T>(&self, shared: bool, open: impl FnOnce() -> T) -> Result<T> {
        let Some(privilege) = self.privilege.take() else { return Ok(open()) };
        let out = if shared { privilege.with_group(open)? } else { open() };
        privilege.renounce()?;
        Ok(out)
    }

    /// Gives the group's privilege up for good (before work on the user's own files).
    fn renounce(&self) -> Result<()> {
        if let Some(privilege) = self.privilege.take() {
            privilege.renounce()?;
        }
        Ok(())
    }
}

/// Who the demo opens as when the OS login is not a demo staff member.
const DEMO_LOGIN: &str = "jingli01";

/// The system configuration of a guarded installation, written by `kam
/// setup-shared`: it names the shared database. Read only by a set-group-id
/// kam, and only when root owns it and nobody else may write it.
pub const SYSTEM_CONFIG: &str = "/etc/kam/config.toml";

fn preset_from(name: &str) -> Result<TierPreset> {
    TierPreset::from_code(name)
        .ok_or_else(|| anyhow!("unknown tier preset '{name}': use guangdong-score, shantou, letter-bands or shibei"))
}

/// The system account running kam (see `crate::identity`): never the environment.
fn account(lang: Lang) -> Result<Account> {
    crate::identity::current_account().map_err(|e| anyhow!(fill(lang.text().start_no_login, &[&e])))
}

/// The system configuration, for a set-group-id kam: `None` when there is none.
fn system_config() -> Result<Option<Config>> {
    let path = Path::new(SYSTEM_CONFIG);
    if !path.exists() {
        return Ok(None);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let trusted = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.uid() == 0 && m.mode() & 0o022 == 0);
        if !path.ancestors().all(|p| p.as_os_str().is_empty() || trusted(p)) {
            bail!(fill(Lang::default().text().guard_config_untrusted, &[&path.display()]));
        }
    }
    Ok(Some(Config::load(path)?))
}

pub fn run(cli: &Cli) -> Result<()> {
    let started = Instant::now();
    let settings = settings(cli)?;
    let lang = settings.lang;
    run_command(cli, &settings, started).map_err(|e| in_words(lang, e))
}

/// A refusal, conflict or invalid value that ends a command, said in the
/// user's language as the screens say it (the error's own `Display` is the
/// English of logs and tests). Storage faults keep their error, whose causes
/// `main` reads for its hint.
fn in_words(lang: Lang, e: anyhow::Error) -> anyhow::Error {
    let Some(db) = e.chain().find_map(|c| c.downcast_ref::<DbError>()) else { return e };
    if !matches!(
        db,
        DbError::Refused(_) | DbError::Conflict(_) | DbError::Invalid(_) | DbError::Workflow(_) | DbError::Id(_)
    ) {
        return e;
    }
    let english = db.to_string();
    // What the command said around it (which row, which file), without the
    // English the wrappers repeat from the error itself.
    let around: Vec<String> = e
        .chain()
        .take_while(|c| c.downcast_ref::<DbError>().is_none())
        .map(|c| c.to_string().replace(&english, "").trim_end_matches([':', ' ']).to_string())
        .filter(|text| !text.is_empty())
        .collect();
    let words = crate::ui::db_error_text(lang, db);
    anyhow!(around.into_iter().chain([words]).collect::<Vec<_>>().join(": "))
}

fn run_command(cli: &Cli, settings: &Settings, started: Instant) -> Result<()> {
    let lang = settings.lang;
    match &cli.command {
        Some(Command::Tier { preset, revenue, unit_revenue, payroll, json }) => {
            let preset = match preset {
                Some(p) => preset_from(p)?,
                None => settings.preset,
            };
            let q =
                TierQuestion { preset, revenue, unit_revenue: unit_revenue.as_deref(), payroll: payroll.as_deref() };
            let (inputs, a) = assess(&q)?;
            if *json {
                crate::outln!("{}", to_json(&inputs, &a));
            } else {
                crate::out!("{}", to_text(lang, &inputs, &a));
            }
            Ok(())
        }
        Some(Command::Keys) => {
            crate::out!("{}", Keymap::default_map().markdown(lang));
            Ok(())
        }
        Some(Command::Demo { customers, visits, seed, force }) => {
            build_demo(cli, settings, *customers, *visits, *seed, *force)
        }
        Some(Command::Init { unit_name, division, name, unit_code, level }) => {
            init(cli, settings, unit_name, division, name, unit_code, level)
        }
        Some(Command::Unit { what }) => crate::commands::setup::unit(&mut command_env(cli, settings)?, what.as_ref()),
        Some(Command::Industry { what }) => crate::commands::setup::list(
            &mut command_env(cli, settings)?,
            crate::db::setup::RefList::Industry,
            what.as_ref(),
        ),
        Some(Command::ServiceLine { what }) => crate::commands::setup::list(
            &mut command_env(cli, settings)?,
            crate::db::setup::RefList::ServiceLine,
            what.as_ref(),
        ),
        Some(Command::ReturnReason { what }) => crate::commands::setup::list(
            &mut command_env(cli, settings)?,
            crate::db::setup::RefList::ReturnReason,
            what.as_ref(),
        ),
        Some(Command::Agenda { date }) => agenda(cli, settings, date.as_deref()),
        Some(command) if is_list(command) => lists(cli, settings, command),
        Some(Command::Export { what: ExportCommand::Ics { from, to, output } }) => {
            export_ics(cli, settings, from.as_deref(), to.as_deref(), output)
        }
        Some(Command::Export { what: ExportCommand::Customers { format, filter, output } }) => {
            crate::commands::export_customers::run(&command_env(cli, settings)?, *format, filter, output)
        }
        Some(Command::Import { kind, file, dry_run }) => {
            crate::commands::import::run(&mut command_env(cli, settings)?, *kind, file, *dry_run)
        }
        Some(Command::Report { what: ReportCommand::Monthly { month, unit, format, output } }) => {
            let env = command_env(cli, settings)?;
            crate::commands::report::monthly(&env, month.as_deref(), unit.as_deref(), *format, output)
        }
        Some(Command::Report { what: ReportCommand::Analysis { month, unit, quarterly, format, output } }) => {
            let env = command_env(cli, settings)?;
            crate::commands::analysis_report::run(&env, month, unit.as_deref(), *quarterly, *format, output)
        }
        Some(Command::Report { what: ReportCommand::Period { from, to, unit, unit_of_money, format, output } }) => {
            let env = command_env(cli, settings)?;
            let money = match unit_of_money {
                Some(crate::cli::MoneyUnitArg::Yuan) => crate::config::MoneyUnit::Yuan,
                Some(crate::cli::MoneyUnitArg::Wan) => crate::config::MoneyUnit::Wan,
                None => settings.config.money_unit.unwrap_or_default(),
            };
            let range = crate::commands::report_period::Range { from: from.as_deref(), to: to.as_deref() };
            crate::commands::report_period::run(&env, range, unit.as_deref(), money, *format, output)
        }
        Some(Command::UnitRevenue { unit, period, amount }) => crate::commands::unit_revenue::run(
            &mut command_env(cli, settings)?,
            unit.as_deref(),
            period.as_deref(),
            amount.as_deref(),
        ),
        Some(Command::Retier { apply }) => crate::commands::retier::run(&mut command_env(cli, settings)?, *apply),
        Some(Command::Staff { what }) => crate::commands::staff::run(&mut command_env(cli, settings)?, what.as_ref()),
        Some(command @ Command::Policy { .. }) => policy(cli, settings, command),
        Some(Command::History { customer }) => crate::commands::history::run(&command_env(cli, settings)?, customer),
        Some(Command::Whoami) => {
            let env = command_env(cli, settings)?;
            crate::out!("{}", crate::commands::whoami::text(&env, settings.guarded));
            Ok(())
        }
        Some(Command::SetupShared { group, install }) => {
            let db = cli.db.clone().context("kam setup-shared needs --db PATH (the shared database)")?;
            settings.renounce()?;
            crate::commands::setup_shared::run(lang, &db, group, install)
        }
        Some(Command::Check { repair }) => check(cli, settings, *repair),
        Some(Command::Backup { file }) => backup(cli, settings, file),
        Some(Command::Migrate { from, to, under, dry_run }) => migrate(settings, from, to, under.as_deref(), *dry_run),
        // kam goals, kam goal-target (a command no arm above takes is refused there).
        Some(c) => management_command(cli, settings, c),
        None => open_app(cli, settings, started),
    }
}

/// The settings every command reads: flags over the configuration file (and,
/// in a guarded installation, over the system's) over defaults. Gives a
/// set-group-id kam's privilege up first of all.
fn settings(cli: &Cli) -> Result<Settings> {
    // First of all: a set-group-id kam gives the group's privilege up at once.
    let privilege = crate::privilege::drop_at_start()?;
    let guarded = privilege.is_some();
    let system = if guarded { system_config()? } else { None };
    let dirs = Dirs::platform();
    let config_path = cli.config.clone().unwrap_or_else(|| dirs.config_file());
    let mut config = Config::load(&config_path)?;
    let shared_db = system.as_ref().and_then(|c| c.db.clone());
    if let Some(system) = system {
        config = config.or(system);
    }
    crate::time::set_zone(config.zone()?);
    let lang = cli.lang.or(config.lang).unwrap_or_default();
    let preset_name = cli.preset.clone().or(config.tier_preset.clone()).unwrap_or_else(|| "guangdong-score".into());
    let preset = preset_from(&preset_name)?;
    let standard_name =
        cli.standard.clone().or(config.visit_standard.clone()).unwrap_or_else(|| "guangdong-letters".into());
    let standard = StandardPreset::from_code(&standard_name).ok_or_else(|| {
        anyhow!("unknown visit standard '{standard_name}': use guangdong-letters, shantou, shanghai or class")
    })?;
    Ok(Settings {
        dirs,
        config,
        config_path,
        lang,
        preset,
        standard,
        privilege: Cell::new(privilege),
        guarded,
        shared_db,
    })
}

/// `kam complaints`: the complaints the user answers for, as text.
fn complaints(cli: &Cli, settings: &Settings, overdue: bool) -> Result<()> {
    let clock = Clock::System;
    let mut store = open_store(cli, settings, &clock, false)?.store;
    let user = resolve_user(cli, settings, &mut store)?;
    let reference = reference::load(store.conn())?;
    let text = crate::commands::complaints::complaints_text(
        store.conn(),
        &reference,
        &user,
        clock.now(),
        settings.lang,
        overdue,
    )?;
    crate::out!("{text}");
    Ok(())
}

/// `kam requests [--overdue] [--json]`: service requests for a morning mail.
fn requests(cli: &Cli, settings: &Settings, overdue: bool, json: bool) -> Result<()> {
    let clock = Clock::System;
    let mut store = open_store(cli, settings, &clock, false)?.store;
    let user = resolve_user(cli, settings, &mut store)?;
    let reference = reference::load(store.conn())?;
    let now = clock.now();
    let rows = crate::commands::requests::requests_for(store.conn(), &user, now, overdue)?;
    if json {
        let doc = crate::commands::requests::requests_json(&reference, &rows, now);
        crate::outln!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        crate::out!("{}", crate::commands::requests::requests_text(&reference, &rows, now, settings.lang, overdue));
    }
    Ok(())
}

/// `kam pipeline [--unit] [--json]`: the development pipeline by step.
fn pipeline(cli: &Cli, settings: &Settings, unit: bool, json: bool) -> Result<()> {
    use crate::commands::pipeline as p;
    let clock = Clock::System;
    let mut store = open_store(cli, settings, &clock, false)?.store;
    let user = resolve_user(cli, settings, &mut store)?;
    let today = clock.now().date();
    let scope = p::scope_of(&user, unit);
    let (rows, late) = p::pipeline_for(store.conn(), scope, today)?;
    if json {
        crate::outln!("{}", serde_json::to_string_pretty(&p::pipeline_json(scope, &rows, &late, today))?);
    } else {
        let whose = match scope {
            crate::db::pipeline::PipelineScope::Manager(_) => user.name.clone(),
            crate::db::pipeline::PipelineScope::Unit(id) => {
                crate::db::access::deciding_unit(store.conn(), id).map(|u| u.name).unwrap_or_default()
            }
        };
        crate::out!("{}", p::pipeline_text(settings.lang, &whose, &rows, &late, today));
    }
    Ok(())
}

/// The commands [`lists`] runs.
fn is_list(command: &Command) -> bool {
    matches!(
        command,
        Command::Complaints { .. } | Command::Contracts { .. } | Command::Requests { .. } | Command::Pipeline { .. }
    )
}

/// The lists for a morning mail (`kam complaints`, `kam requests`, `kam contracts`), and the
/// contracts' approval chains (`kam contracts --chains`).
fn lists(cli: &Cli, settings: &Settings, command: &Command) -> Result<()> {
    match command {
        Command::Complaints { overdue } => complaints(cli, settings, *overdue),
        Command::Requests { overdue, json } => requests(cli, settings, *overdue, *json),
        Command::Pipeline { unit, json } => pipeline(cli, settings, *unit, *json),
        Command::Contracts { chains: true, tier, step, .. } => {
            crate::commands::contracts::chains(&mut command_env(cli, settings)?, tier.as_deref(), step)
        }
        Command::Contracts { ending, waiting, json, .. } => contracts(cli, settings, *ending, *waiting, *json),
        _ => Ok(()),
    }
}

/// `kam contracts`: the contracts ending soon, waiting for the user, or live.
fn contracts(cli: &Cli, settings: &Settings, ending: Option<u32>, waiting: bool, json: bool) -> Result<()> {
    use crate::commands::contracts::{self, Which};
    let clock = Clock::System;
    let mut store = open_store(cli, settings, &clock, false)?.store;
    let user = resolve_user(cli, settings, &mut store)?;
    let reference = reference::load(store.conn())?;
    let which = match (ending, waiting) {
        (Some(days), _) => Which::Ending(days),
        (None, true) => Which::Waiting,
        (None, false) => Which::Live,
    };
    let today = clock.today();
    let rows = contracts::read(store.conn(), &user, today, which)?;
    if json {
        crate::outln!("{}", contracts::json(&reference, &rows, today, which)?);
    } else {
        crate::out!("{}", contracts::text(settings.lang, &reference, &rows, today, which));
    }
    Ok(())
}

/// `kam policy`: shows, or sets, the bureau's policies (whether account
/// managers may edit their unit's customers, the fluctuation rule's measure,
/// the service requests' proactive days and day count).
fn policy(cli: &Cli, settings: &Settings, command: &Command) -> Result<()> {
    let Command::Policy { managers_edit_unit, fluctuation_measure: measure, request_quiet_days, request_days } =
        command
    else {
        return Ok(());
    };
    let mut env = command_env(cli, settings)?;
    if let Some(value) = managers_edit_unit.as_deref() {
        let on = match value {
            "on" | "true" | "yes" => true,
            "off" | "false" | "no" => false,
            other => bail!("--managers-edit-unit: '{other}' is not on or off"),
        };
        crate::db::access::set_managers_edit_unit(&mut env.store, &env.actor, on)?;
    }
    if let Some(value) = measure {
        use crate::domain::volume::FluctuationMeasure;
        let measure = FluctuationMeasure::from_code(value.trim())
            .ok_or_else(|| anyhow::anyhow!("--fluctuation-measure: '{value}' is not revenue or volume"))?;
        crate::db::volume::set_fluctuation_measure(&mut env.store, &env.actor, measure)?;
    }
    if let Some(days) = *request_quiet_days {
        crate::db::requests::set_quiet_days(&mut env.store, &env.actor, days)?;
    }
    if let Some(value) = request_days {
        use crate::domain::request::DayCount;
        let count = DayCount::from_code(value.trim())
            .ok_or_else(|| anyhow::anyhow!("--request-days: '{value}' is not calendar or working"))?;
        crate::db::requests::set_day_count(&mut env.store, &env.actor, count)?;
    }
    let on = crate::db::access::managers_edit_unit(env.store.conn())?;
    crate::outln!("managers-edit-unit: {}", if on { "on" } else { "off" });
    crate::outln!("fluctuation-measure: {}", crate::db::volume::fluctuation_measure(env.store.conn())?.code());
    crate::outln!("request-quiet-days: {}", crate::db::requests::quiet_days_setting(env.store.conn())?);
    crate::outln!("request-days: {}", crate::db::requests::day_count(env.store.conn())?.code());
    Ok(())
}

/// `kam check [--repair]`: the file's integrity, totals, chain and schema.
fn check(cli: &Cli, settings: &Settings, repair: bool) -> Result<()> {
    let opened = open_store(cli, settings, &Clock::System, false)?;
    let mut store = opened.store;
    let mut report = crate::db::check::check(store.conn())?;
    if repair && report.repairable() {
        store.write(crate::db::check::rebuild_derived)?;
        crate::outln!("search keys and occasion days rebuilt");
        report = crate::db::check::check(store.conn())?;
    }
    crate::outln!("{}: schema version {}", store.location(), report.schema_version);
    for w in opened.warnings {
        crate::outln!("{}", crate::i18n::file_warning_text(settings.lang, w));
    }
    for line in &report.integrity {
        crate::outln!("integrity: {line}");
    }
    // A damaged file is not checked further (see `check::check`).
    if report.integrity.is_empty() {
        crate::outln!("foreign-key violations: {}", report.foreign_key_violations);
        crate::outln!("monthly revenue totals out of step: {}", report.month_totals_off);
        crate::outln!("unit revenue totals out of step: {}", report.unit_totals_off);
        crate::outln!("search keys out of step: {}", report.search_keys_off);
        crate::outln!("occasion days out of step: {}", report.occasion_days_off);
        print_tamper_findings(&report);
    }
    if store.location().file().is_none() {
        print_migrations(store.conn())?;
    }
    if report.repairable() {
        bail!("{}: only what kam derives is off; `kam check --repair` rebuilds it", store.location());
    }
    if !report.ok() {
        bail!("{} has problems (see above); restore from a backup (README: Backup and restore)", store.location());
    }
    crate::outln!("ok");
    Ok(())
}

/// On a server, the migrations `kam migrate` recorded there, one line each
/// (administrators and superusers only may read them).
fn print_migrations(conn: &crate::db::Conn) -> Result<()> {
    match crate::db::migrate::records(conn)? {
        None => crate::outln!("migrations recorded: readable by administrators only"),
        Some(records) if records.is_empty() => crate::outln!("migrations recorded: none"),
        Some(records) => {
            crate::outln!("migrations recorded: {}", records.len());
            for r in &records {
                let under = r.under.as_ref().map(|u| format!(", under {u}")).unwrap_or_default();
                let merged: u64 = r.tables.iter().map(|t| t.merged).sum();
                crate::outln!(
                    "  migration {}: {} by {} from {} (schema {}, sha256 {}{under}): {} rows copied, {merged} merged",
                    r.id,
                    r.run_at,
                    r.run_by,
                    r.source,
                    r.source_schema,
                    r.source_sha256,
                    r.copied()
                );
            }
        }
    }
    Ok(())
}

/// `kam demo --db FILE`: builds a demo in the user's own file, with their own
/// rights; `--force` replaces a demo and nothing else (never an office's
/// database, nor another program's file, nor a guarded installation's).
fn build_demo(cli: &Cli, s: &Settings, customers: usize, visits: Option<usize>, seed: u64, force: bool) -> Result<()> {
    let lang = s.lang;
    let path = explicit_db(cli, s).context("kam demo needs --db FILE (the file to build)")?;
    if s.guarded && s.shared_db.as_ref() == Some(&path) {
        bail!(fill(lang.text().guard_demo_bureau, &[&path.display()]));
    }
    s.renounce()?;
    let location = Location::parse(path.as_os_str());
    // On a server the demo goes into an empty database its administrator made
    // (`createdb`); the generator refuses one with staff in it.
    if location.file().is_some() && path.exists() {
        if !force {
            bail!("{} exists; add --force to replace it", path.display());
        }
        match crate::db::file_kind::classify(&path)? {
            crate::db::file_kind::Found::Kam(DbKind::Demo) => {}
            _ => bail!(fill(lang.text().demo_force_not_demo, &[&path.display()])),
        }
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
            }
        }
    }
    let mut store = Store::open_or_create_at(&location, DbKind::Demo).map_err(|e| open_error(lang, e))?;
    let t0 = Instant::now();
    let options = DemoOptions {
        customers,
        seed,
        today: Clock::System.today(),
        os_login: None,
        preset: s.preset,
        visits,
        activity: true,
    };
    let summary = generate(&mut store, &options)?;
    let secs = format!("{:.1}", t0.elapsed().as_secs_f64());
    let built = fill(
        lang.text().demo_built,
        &[
            &summary.customers,
            &summary.staff,
            &summary.visits,
            &summary.log_entries,
            &summary.complaints,
            &summary.revenue_cells,
            &secs,
            &location,
        ],
    );
    crate::errln!("{built}");
    Ok(())
}

/// `kam backup FILE`. A copy is the whole database, readable with any SQLite
/// tool by whoever owns it: from a guarded installation's shared database
/// only root and administrators make one, and never into a folder others can
/// read or write.
fn backup(cli: &Cli, s: &Settings, file: &Path) -> Result<()> {
    let (_, shared) = db_path(cli, s)?;
    let mut store = open_store(cli, s, &Clock::System, false)?.store;
    if shared {
        if account(s.lang)?.uid != 0 {
            let user = resolve_user(cli, s, &mut store)?;
            if user.role != crate::domain::staff::Role::Admin {
                bail!(s.lang.text().guard_backup_who);
            }
        }
        crate::commands::backup::refuse_open_folder(s.lang, file)?;
    }
    crate::commands::backup::run(&store, file)
}

/// `kam migrate`: opens the bureau's file and the province's database (its
/// schema brought up to date by the superuser the URL names), then copies.
fn migrate(s: &Settings, from: &Path, to: &str, under: Option<&str>, dry_run: bool) -> Result<()> {
    let t = s.lang.text();
    s.renounce()?;
    let target = Location::parse(std::ffi::OsStr::new(to));
    if target.file().is_some() {
        bail!(fill(t.migrate_to_not_server, &[&Location::redacted(to)]));
    }
    if Location::parse(from.as_os_str()).file().is_none() {
        bail!(fill(t.migrate_from_not_file, &[&Location::redacted(&from.display().to_string())]));
    }
    let source = Store::open_existing(from).map_err(|e| open_error(s.lang, e))?;
    let target = Store::open_existing_at(&target).map_err(|e| open_error(s.lang, e))?;
    let options = crate::db::migrate::Options {
        under: under.map(str::to_string),
        dry_run,
        ..crate::db::migrate::Options::default()
    };
    crate::commands::migrate::run(s.lang, &source, &target, &options)
}

/// What `kam check` found of the history chain, the schema and the roles,
/// each finding named.
fn print_tamper_findings(report: &crate::db::check::CheckReport) {
    let chain = &report.chain;
    let ids = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    crate::outln!("history rows checked in the hash chain: {}", chain.rows);
    if !chain.unlinked.is_empty() {
        crate::outln!("history rows written outside kam (no chain link): {}", ids(&chain.unlinked));
    }
    if !chain.broken.is_empty() {
        crate::outln!("history rows changed, or the chain broken before them: {}", ids(&chain.broken));
    }
    if !chain.deleted.is_empty() {
        crate::outln!("history rows deleted: {}", ids(&chain.deleted));
    }
    if let Some(head) = &chain.head {
        crate::outln!("chain head: {head} (note it: a later check should continue from it)");
    }
    for object in &report.schema.foreign {
        crate::outln!("schema: {object} was not created by kam");
    }
    for object in &report.schema.missing {
        crate::outln!("schema: {object} is missing");
    }
    for object in &report.schema.altered {
        crate::outln!("schema: {object} was changed");
    }
    for login in &report.roles_without_history {
        crate::outln!("staff {login}: role not recorded in the history (set outside kam)");
    }
}

/// The database, the user and the settings, for a subcommand.
fn command_env(cli: &Cli, s: &Settings) -> Result<CommandEnv> {
    let clock = Clock::System;
    let mut store = open_store(cli, s, &clock, false)?.store;
    let user = resolve_user(cli, s, &mut store)?;
    let reference = reference::load(store.conn())?;
    Ok(CommandEnv {
        store,
        actor: Actor { staff: user, at: clock.now() },
        reference,
        lang: s.lang,
        preset: s.preset,
        rules: s.config.status.unwrap_or_default(),
    })
}

/// `--db` as given on the command line or in `KAM_DB`; in a guarded
/// installation only as given on the command line (the environment is the
/// user's to set, and the shared database is the system configuration's).
fn explicit_db(cli: &Cli, s: &Settings) -> Option<PathBuf> {
    let from_env = std::env::var_os("KAM_DB").map(PathBuf::from);
    cli.db.clone().filter(|db| !(s.guarded && Some(db) == from_env.as_ref() && !on_command_line("--db")))
}

/// True when `flag` was typed (not taken from the environment).
fn on_command_line(flag: &str) -> bool {
    std::env::args_os().any(|a| a.to_str().is_some_and(|a| a == flag || a.starts_with(&format!("{flag}="))))
}

/// The database the flags name, and whether it is the shared database of a
/// guarded installation (opened with the group's privilege). There, `--db`
/// naming another file opens that file with the user's own rights, and
/// `KAM_DB` and a configuration's `db` do not move kam off the shared one.
fn db_path(cli: &Cli, s: &Settings) -> Result<(PathBuf, bool)> {
    if !s.guarded {
        return Ok((cli.db.clone().or(s.config.db.clone()).unwrap_or_else(|| s.dirs.default_db()), false));
    }
    match (explicit_db(cli, s), &s.shared_db) {
        (Some(db), shared) if Some(&db) != shared.as_ref() => Ok((db, false)),
        (_, Some(shared)) => Ok((shared.clone(), true)),
        (_, None) => bail!(fill(s.lang.text().guard_no_config, &[&SYSTEM_CONFIG])),
    }
}

/// A refused open, in the user's language.
fn open_error(lang: Lang, e: DbError) -> anyhow::Error {
    match e {
        DbError::Missing { path } => anyhow!(fill(lang.text().start_no_database, &[&path])),
        DbError::NotKam { path, why } => anyhow!(crate::i18n::not_kam_text(lang, &path, &why)),
        DbError::Tls { path, failure } => {
            anyhow!(fill(lang.text().err_open, &[&path, &crate::i18n::tls_reason(lang, &failure)]))
        }
        other => other.into(),
    }
}

fn init(
    cli: &Cli,
    s: &Settings,
    unit_name: &str,
    division: &str,
    name: &str,
    unit_code: &str,
    level: &str,
) -> Result<()> {
    let (path, shared) = db_path(cli, s)?;
    let t = s.lang.text();
    let account = crate::identity::current_account().map_err(|e| anyhow!(fill(t.init_no_login, &[&e])))?;
    // Whoever sets up the shared database is its first administrator's maker:
    // not a job for anyone who can run kam.
    if shared && account.uid != 0 {
        bail!(fill(t.guard_init_root, &[&path.display()]));
    }
    let location = Location::parse(path.as_os_str());
    let mut store = s
        .open_with(shared, || Store::open_or_create_at(&location, crate::db::DbKind::Real))?
        .map_err(|e| open_error(s.lang, e))?;
    // On a server, who runs init is the database's login.
    let account = store.server_account()?.unwrap_or(account);
    // The administrator is the account running init, or (root, or the file's
    // owner: whoever made it just now) the login --user names.
    let signed = crate::identity::decide(store.kind(), &account, store.owner(), asked_for(cli, s))
        .map_err(|r| refused(s.lang, &r))?;
    store.set_acting(signed.acting.as_deref())?;
    // The commands kam suggests next must reach the same file, as the same person.
    let mut flags = String::new();
    let from_env = std::env::var_os("KAM_DB").map(PathBuf::from);
    if cli.db.is_some() && cli.db != from_env && !shared {
        flags.push_str(&format!(" --db {}", crate::commands::init::quote(&path.display().to_string())));
    }
    if signed.login != account.login {
        flags.push_str(&format!(" --user {}", crate::commands::init::quote(&signed.login)));
    }
    let args =
        crate::commands::init::InitArgs { unit_code, unit_name, level, division, name, login: signed.login, flags };
    crate::out!("{}", crate::commands::init::run(&mut store, s.lang, &args, Clock::System.now())?);
    Ok(())
}

/// An open database, with what was found about its file while it was opened.
struct Opened {
    store: Store,
    /// The reader thread's connection, when asked for (the interface).
    reader: Option<Store>,
    warnings: Vec<FileWarning>,
}

/// The database the flags name: the demo (created on first use) or a file.
/// In a guarded installation the shared database is opened with the group's
/// privilege, the reader's connection with it (`with_reader`), and then the
/// privilege is given up for good; any other file is opened with the user's
/// own rights.
fn open_store(cli: &Cli, s: &Settings, clock: &Clock, with_reader: bool) -> Result<Opened> {
    let (path, shared) = if cli.demo {
        let path = explicit_db(cli, s).unwrap_or_else(|| demo_db_path(&s.dirs.data));
        if s.guarded && s.shared_db.as_ref() == Some(&path) {
            bail!(fill(s.lang.text().guard_demo_bureau, &[&path.display()]));
        }
        (path, false)
    } else {
        db_path(cli, s)?
    };
    let open = || -> Result<Opened, DbError> {
        let store = if cli.demo {
            let options = DemoOptions {
                customers: 300,
                seed: 20261123,
                today: clock.today(),
                // The demo's logins are fixed (jingli01…), whoever generated it.
                os_login: None,
                preset: s.preset,
                visits: None,
                activity: true,
            };
            // A kam file from before application ids in the demo's own place was made by --demo.
            ensure_demo(&path, &options, explicit_db(cli, s).is_none())?
        } else {
            Store::open_existing_at(&Location::parse(path.as_os_str()))?
        };
        // The reader thread opens its own connection, so that the first frame does
        // not wait for it; with the group's privilege, it must be opened now.
        let reader = if with_reader && shared { Store::open_reader(&path).ok() } else { None };
        let warnings = match store.location().file() {
            Some(file) => crate::db::file_access::warnings(file),
            None => Vec::new(),
        };
        Ok(Opened { store, reader, warnings })
    };
    let opened = s.open_with(shared, open)?.map_err(|e| match e {
        DbError::Invalid(crate::db::Invalid::Demo(_)) if cli.demo => {
            anyhow!(fill(s.lang.text().demo_flag_not_demo, &[&path.display()]))
        }
        other => open_error(s.lang, other),
    })?;
    if opened.store.marked_now() {
        crate::errln!("{}", fill(s.lang.text().db_marked, &[&path.display()]));
    }
    Ok(opened)
}

/// What the caller asked to work as, and where it came from.
fn asked_for(cli: &Cli, s: &Settings) -> Option<Asked> {
    if let Some(login) = cli.user.clone() {
        let from_env = std::env::var("KAM_USER").is_ok_and(|e| e == login) && !on_command_line("--user");
        return Some(if from_env { Asked::Env(login) } else { Asked::Flag(login) });
    }
    let file = s.config_path.display().to_string();
    s.config.user.clone().map(|login| Asked::Config { login, file })
}

/// A refused request to work as someone else, in the user's language.
fn refused(lang: Lang, r: &Refused) -> anyhow::Error {
    let t = lang.text();
    anyhow!(match &r.asked {
        Asked::Flag(_) => fill(t.ident_user_demo_only, &[&r.signed_in_as]),
        Asked::Env(_) => fill(t.ident_env_demo_only, &[&r.signed_in_as]),
        Asked::Config { file, .. } => fill(t.ident_config_demo_only, &[file, &r.signed_in_as]),
    })
}

/// The staff member working (see `crate::identity`): the system account's
/// login; on a demo, or for root and the file's owner, the one asked for.
fn resolve_user(cli: &Cli, s: &Settings, store: &mut Store) -> Result<Staff> {
    let account = match store.server_account()? {
        Some(account) => account,
        None => account(s.lang)?,
    };
    let asked = asked_for(cli, s);
    let asked_nothing = asked.is_none();
    let signed =
        crate::identity::decide(store.kind(), &account, store.owner(), asked).map_err(|r| refused(s.lang, &r))?;
    let mut login = signed.login;
    // In a demo, someone whose login is not among the demo staff works as the
    // first account manager.
    if store.kind() == DbKind::Demo && asked_nothing && reference::staff_by_login(store.conn(), &login)?.is_none() {
        login = DEMO_LOGIN.to_string();
    }
    store.set_acting(signed.acting.as_deref())?;
    match reference::staff_by_login(store.conn(), &login)? {
        Some(u) => Ok(u),
        None if reference::staff_count(store.conn())? == 0 => {
            bail!(fill(s.lang.text().start_no_staff, &[&store.location()]))
        }
        None => bail!(fill(s.lang.text().start_unknown_login, &[&login, &store.location(), &login])),
    }
}

fn day_arg(text: Option<&str>, flag: &str, default: NaiveDate) -> Result<NaiveDate> {
    match text {
        Some(t) => crate::domain::validate::date(t).map_err(|_| anyhow!("--{flag}: '{t}' is not a date (YYYY-MM-DD)")),
        None => Ok(default),
    }
}

/// The bureau's management commands (issue 17): the month-end appraisal, the
/// goal indicators and their targets.
fn management_command(cli: &Cli, s: &Settings, command: &Command) -> Result<()> {
    match command {
        Command::Appraisal { .. } => appraisal(cli, s, command),
        Command::Receivable { customer, month, line, unpaid, paid_on } => {
            let ask = crate::commands::receivable::Ask {
                customer,
                month: month.as_deref(),
                line: line.as_deref(),
                unpaid: unpaid.as_deref(),
                paid_on: paid_on.as_deref(),
            };
            crate::commands::receivable::run(&mut command_env(cli, s)?, &ask)
        }
        _ => goals::dispatch(&mut command_env(cli, s)?, command),
    }
}

fn appraisal(cli: &Cli, s: &Settings, command: &Command) -> Result<()> {
    let Command::Appraisal { month, unit, login, format, output } = command else { return Ok(()) };
    let ask = crate::commands::appraisal::Ask { month, unit: unit.as_deref(), login: login.as_deref() };
    let env = command_env(cli, s)?;
    let today = env.actor.today();
    crate::commands::appraisal::run(&env, &ask, *format, output.as_deref(), today, s.standard)
}

fn agenda(cli: &Cli, s: &Settings, date: Option<&str>) -> Result<()> {
    let clock = Clock::System;
    let mut store = open_store(cli, s, &clock, false)?.store;
    let user = resolve_user(cli, s, &mut store)?;
    let day = day_arg(date, "date", clock.today())?;
    let reference = reference::load(store.conn())?;
    let now = crate::commands::agenda::review_moment(day, clock.now());
    crate::out!("{}", crate::commands::agenda::agenda_text(store.conn(), &reference, &user, now, s.lang, s.standard)?);
    Ok(())
}

fn export_ics(cli: &Cli, s: &Settings, from: Option<&str>, to: Option<&str>, output: &std::path::Path) -> Result<()> {
    let clock = Clock::System;
    let mut store = open_store(cli, s, &clock, false)?.store;
    let user = resolve_user(cli, s, &mut store)?;
    let from = day_arg(from, "from", clock.today())?;
    let to = day_arg(to, "to", from + chrono::Days::new(90))?;
    if to < from {
        bail!("--to is before --from");
    }
    let scope = crate::db::visits::VisitScope::Staff(user.id);
    let start = from.and_time(chrono::NaiveTime::MIN);
    let end = (to + chrono::Days::new(1)).and_time(chrono::NaiveTime::MIN);
    let visits: Vec<_> = crate::db::visits::between(store.conn(), &scope, start, end)?
        .into_iter()
        .filter(|v| v.state != crate::domain::visit::VisitState::Done)
        .collect();
    let lang = s.lang;
    let label = move |k: crate::domain::visit::VisitKind| lang.pick(crate::i18n::visit_kind_label(k)).to_string();
    let host = whoami::fallible::hostname().unwrap_or_else(|_| "kam".into());
    let name = format!("{} · {}", lang.text().app_name, user.name);
    let text = crate::export::ics::visits_to_ics(&visits, &name, &host, label);
    crate::export::ics::write_ics_file(output, &text).with_context(|| format!("writing {}", output.display()))?;
    crate::errln!("{}", fill(lang.text().ics_written, &[&visits.len(), &output.display()]));
    Ok(())
}

/// The theme and key bindings with the user's files, read before the
/// database is opened: a file naming a slot, mode or key kam does not know
/// is refused at once, saying where.
fn look_and_keys(cli: &Cli, s: &Settings) -> Result<(Theme, Keymap)> {
    // What the terminal shows decides the colours sent: 24-bit, 256 or 16 (or none).
    let depth = crate::theme::ColorDepth::from_env();
    let theme_name = cli.theme.clone().or(s.config.theme.clone()).unwrap_or_else(|| "dark".into());
    let theme = Theme::load_for(&theme_name, Some(&s.dirs.themes()), depth)
        .map_err(|e| anyhow!(crate::i18n::theme_error_text(s.lang, &e)))?;
    let keymap = Keymap::load(&s.dirs.keys_file()).map_err(|e| anyhow!(crate::i18n::keymap_error_text(s.lang, &e)))?;
    Ok((theme, keymap))
}

fn open_app(cli: &Cli, s: &Settings, started: Instant) -> Result<()> {
    let (theme, keymap) = look_and_keys(cli, s)?;
    let clock = Clock::System;
    let opened = open_store(cli, s, &clock, true)?;
    let mut store = opened.store;
    let user = resolve_user(cli, s, &mut store)?;
    // Tiers are cached per customer; when the configured preset changed, those
    // who may re-tier recompute them once, the others keep working under the
    // stored preset and are told who can apply the new one.
    let actor = Actor { staff: user.clone(), at: clock.now() };
    let (preset, preset_news) = crate::commands::retier::on_start(&mut store, &actor, s.preset, s.lang)?;
    let reference = reference::load(store.conn())?;
    let ctx = Ctx {
        store,
        reference,
        user,
        lang: s.lang,
        theme,
        keymap,
        clock,
        preset,
        standard: s.standard,
        money_unit: s.config.money_unit.unwrap_or_default(),
        status_rules: s.config.status.unwrap_or_default(),
        reader: Default::default(),
        notices: match &preset_news {
            Some(PresetNews::Pending(text)) => vec![text.clone()],
            _ => Vec::new(),
        },
    };
    let warnings = opened.warnings;
    let schema_altered = ctx.store.schema_altered();
    let mut app = App::new(ctx);
    match preset_news {
        Some(PresetNews::Pending(text)) => app.warn(text),
        Some(PresetNews::Applied(text)) => app.inform(text),
        None => {}
    }
    if let Some(w) = warnings.first() {
        app.warn(crate::i18n::file_warning_text(s.lang, *w).to_string());
    }
    if schema_altered {
        app.warn(s.lang.text().warn_schema_altered.to_string());
    }

    let mut guard = TerminalGuard::enter().context("cannot start the terminal interface")?;
    if cli.first_frame_exit {
        guard.terminal.draw(|f| app.draw(f))?;
        let elapsed = started.elapsed();
        drop(guard);
        crate::outln!("first frame after {:.1} ms", elapsed.as_secs_f64() * 1000.0);
        return Ok(());
    }
    let (events, notifier) = Events::start(Duration::from_secs(30)).context("cannot read the terminal")?;
    app.ctx.reader = Reader::start_with(app.ctx.store.location().clone(), opened.reader, notifier);
    run_loop(&mut guard.terminal, &mut app, events)?;
    Ok(())
}

//! From the command line to a running app: configuration, the database, the
//! current user, and the terminal.

use std::path::PathBuf;

use chrono::NaiveDate;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use crate::app::{App, Clock, Ctx, run_loop};
use crate::background::Reader;
use crate::cli::{Cli, Command, ExportCommand, ReportCommand};
use crate::commands::CommandEnv;
use crate::commands::tier::{TierQuestion, assess, to_json, to_text};
use crate::config::{Config, Dirs};
use crate::db::reference;
use crate::db::{Actor, DbError, Store, customers};
use crate::demo::{DemoOptions, demo_db_path, ensure_demo, generate};
use crate::domain::staff::Staff;
use crate::domain::tier::TierPreset;
use crate::domain::visit_standard::StandardPreset;
use crate::event::Events;
use crate::i18n::{Lang, fill};
use crate::keymap::Keymap;
use crate::terminal::TerminalGuard;
use crate::theme::Theme;

/// Everything resolved from flags, environment and the config file.
struct Settings {
    dirs: Dirs,
    config: Config,
    lang: Lang,
    preset: TierPreset,
    standard: StandardPreset,
}

/// Who the demo opens as when the OS login is not a demo staff member.
const DEMO_LOGIN: &str = "jingli01";

fn preset_from(name: &str) -> Result<TierPreset> {
    TierPreset::from_code(name)
        .ok_or_else(|| anyhow!("unknown tier preset '{name}': use guangdong-score, shantou, letter-bands or shibei"))
}

/// The OS login: from the environment, else from the system's user database
/// (a tmux or cron environment may not set USER).
fn os_login() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(|| whoami::fallible::username().ok().filter(|s| !s.is_empty()))
}

pub fn run(cli: Cli) -> Result<()> {
    let started = Instant::now();
    let dirs = Dirs::platform();
    let config_path = cli.config.clone().unwrap_or_else(|| dirs.config_file());
    let config = Config::load(&config_path)?;
    let lang = cli.lang.or(config.lang).unwrap_or_default();
    let preset_name = cli.preset.clone().or(config.tier_preset.clone()).unwrap_or_else(|| "guangdong-score".into());
    let preset = preset_from(&preset_name)?;
    let standard_name =
        cli.standard.clone().or(config.visit_standard.clone()).unwrap_or_else(|| "guangdong-letters".into());
    let standard = StandardPreset::from_code(&standard_name).ok_or_else(|| {
        anyhow!("unknown visit standard '{standard_name}': use guangdong-letters, shantou, shanghai or class")
    })?;
    let settings = Settings { dirs, config, lang, preset, standard };

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
                println!("{}", to_json(&inputs, &a));
            } else {
                print!("{}", to_text(lang, &inputs, &a));
            }
            Ok(())
        }
        Some(Command::Keys) => {
            print!("{}", Keymap::default_map().markdown(lang));
            Ok(())
        }
        Some(Command::Demo { customers, visits, seed, force }) => {
            let path = cli.db.clone().context("kam demo needs --db FILE (the file to build)")?;
            if path.exists() {
                if !force {
                    bail!("{} exists; add --force to replace it", path.display());
                }
                for suffix in ["", "-wal", "-shm"] {
                    let p = PathBuf::from(format!("{}{suffix}", path.display()));
                    if p.exists() {
                        std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
                    }
                }
            }
            let mut store = Store::open(&path)?;
            let t0 = Instant::now();
            let options = DemoOptions {
                customers: *customers,
                seed: *seed,
                today: Clock::System.today(),
                os_login: None,
                preset,
                visits: *visits,
                activity: true,
            };
            let summary = generate(&mut store, &options)?;
            eprintln!("{summary:?} in {:.1} s → {}", t0.elapsed().as_secs_f64(), path.display());
            Ok(())
        }
        Some(Command::Init { unit_name, division, name, unit_code, level }) => {
            init(&cli, &settings, unit_name, division, name, unit_code, level)
        }
        Some(Command::Unit { what }) => crate::commands::setup::unit(&mut command_env(&cli, &settings)?, what.as_ref()),
        Some(Command::Industry { what }) => crate::commands::setup::list(
            &mut command_env(&cli, &settings)?,
            crate::db::setup::RefList::Industry,
            what.as_ref(),
        ),
        Some(Command::ServiceLine { what }) => crate::commands::setup::list(
            &mut command_env(&cli, &settings)?,
            crate::db::setup::RefList::ServiceLine,
            what.as_ref(),
        ),
        Some(Command::Agenda { date }) => agenda(&cli, &settings, date.as_deref()),
        Some(Command::Complaints { overdue }) => {
            let clock = Clock::System;
            let store = open_store(&cli, &settings, &clock)?;
            let user = resolve_user(&cli, &settings, &store)?;
            let reference = reference::load(store.conn())?;
            let text = crate::commands::complaints::complaints_text(
                store.conn(),
                &reference,
                &user,
                clock.now(),
                settings.lang,
                *overdue,
            )?;
            print!("{text}");
            Ok(())
        }
        Some(Command::Export { what: ExportCommand::Ics { from, to, output } }) => {
            export_ics(&cli, &settings, from.as_deref(), to.as_deref(), output)
        }
        Some(Command::Export { what: ExportCommand::Customers { format, filter, output } }) => {
            crate::commands::export_customers::run(&command_env(&cli, &settings)?, *format, filter, output)
        }
        Some(Command::Import { kind, file, dry_run }) => {
            crate::commands::import::run(&mut command_env(&cli, &settings)?, *kind, file, *dry_run)
        }
        Some(Command::Report { what: ReportCommand::Monthly { month, unit, format, output } }) => {
            let env = command_env(&cli, &settings)?;
            crate::commands::report::monthly(&env, month.as_deref(), unit.as_deref(), *format, output)
        }
        Some(Command::UnitRevenue { unit, period, amount }) => crate::commands::unit_revenue::run(
            &mut command_env(&cli, &settings)?,
            unit.as_deref(),
            period.as_deref(),
            amount.as_deref(),
        ),
        Some(Command::Retier { apply }) => crate::commands::retier::run(&mut command_env(&cli, &settings)?, *apply),
        Some(Command::Staff { what }) => crate::commands::staff::run(&mut command_env(&cli, &settings)?, what.as_ref()),
        Some(Command::Policy { managers_edit_unit }) => {
            let mut env = command_env(&cli, &settings)?;
            if let Some(value) = managers_edit_unit {
                let on = match value.as_str() {
                    "on" | "true" | "yes" => true,
                    "off" | "false" | "no" => false,
                    other => bail!("--managers-edit-unit: '{other}' is not on or off"),
                };
                crate::db::access::set_managers_edit_unit(&mut env.store, &env.actor, on)?;
            }
            let on = crate::db::access::managers_edit_unit(env.store.conn())?;
            println!("managers-edit-unit: {}", if on { "on" } else { "off" });
            Ok(())
        }
        Some(Command::History { customer }) => crate::commands::history::run(&command_env(&cli, &settings)?, customer),
        Some(Command::Check { repair }) => {
            let mut store = open_store(&cli, &settings, &Clock::System)?;
            let mut report = crate::db::check::check(store.conn())?;
            if *repair && report.repairable() {
                store.write(crate::db::check::rebuild_derived)?;
                println!("search keys and occasion days rebuilt");
                report = crate::db::check::check(store.conn())?;
            }
            println!("{}: schema version {}", store.path().display(), report.schema_version);
            for w in crate::db::file_access::warnings(store.path()) {
                println!("{}", crate::i18n::file_warning_text(settings.lang, w));
            }
            for line in &report.integrity {
                println!("integrity: {line}");
            }
            // A damaged file is not checked further (see `check::check`).
            if report.integrity.is_empty() {
                println!("foreign-key violations: {}", report.foreign_key_violations);
                println!("monthly revenue totals out of step: {}", report.month_totals_off);
                println!("unit revenue totals out of step: {}", report.unit_totals_off);
                println!("search keys out of step: {}", report.search_keys_off);
                println!("occasion days out of step: {}", report.occasion_days_off);
                print_tamper_findings(&report);
            }
            if report.repairable() {
                bail!("{}: only what kam derives is off; `kam check --repair` rebuilds it", store.path().display());
            }
            if !report.ok() {
                bail!(
                    "{} has problems (see above); restore from a backup (README: Backup and restore)",
                    store.path().display()
                );
            }
            println!("ok");
            Ok(())
        }
        Some(Command::Backup { file }) => {
            let store = open_store(&cli, &settings, &Clock::System)?;
            crate::commands::backup::run(&store, file)
        }
        None => open_app(&cli, &settings, started),
    }
}

/// What `kam check` found of the history chain, the schema and the roles,
/// each finding named.
fn print_tamper_findings(report: &crate::db::check::CheckReport) {
    let chain = &report.chain;
    let ids = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    println!("history rows checked in the hash chain: {}", chain.rows);
    if !chain.unlinked.is_empty() {
        println!("history rows written outside kam (no chain link): {}", ids(&chain.unlinked));
    }
    if !chain.broken.is_empty() {
        println!("history rows changed, or the chain broken before them: {}", ids(&chain.broken));
    }
    if !chain.deleted.is_empty() {
        println!("history rows deleted: {}", ids(&chain.deleted));
    }
    if let Some(head) = &chain.head {
        println!("chain head: {head} (note it: a later check should continue from it)");
    }
    for object in &report.schema.foreign {
        println!("schema: {object} was not created by kam");
    }
    for object in &report.schema.missing {
        println!("schema: {object} is missing");
    }
    for object in &report.schema.altered {
        println!("schema: {object} was changed");
    }
    for login in &report.roles_without_history {
        println!("staff {login}: role not recorded in the history (set outside kam)");
    }
}

/// The database, the user and the settings, for a subcommand.
fn command_env(cli: &Cli, s: &Settings) -> Result<CommandEnv> {
    let clock = Clock::System;
    let store = open_store(cli, s, &clock)?;
    let user = resolve_user(cli, s, &store)?;
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

fn db_path(cli: &Cli, s: &Settings) -> PathBuf {
    cli.db.clone().or(s.config.db.clone()).unwrap_or_else(|| s.dirs.default_db())
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
    let path = db_path(cli, s);
    let os = os_login();
    let login = cli.user.clone().or(os.clone());
    // The commands kam suggests next must reach the same file, as the same person.
    let mut flags = String::new();
    let from_env = std::env::var_os("KAM_DB").map(PathBuf::from);
    if cli.db.is_some() && cli.db != from_env {
        flags.push_str(&format!(" --db {}", crate::commands::init::quote(&path.display().to_string())));
    }
    let inherited = |u: &str| {
        Some(u) == os.as_deref()
            || s.config.user.as_deref() == Some(u)
            || std::env::var("KAM_USER").is_ok_and(|e| e == u)
    };
    if let Some(user) = cli.user.as_deref().filter(|u| !inherited(u)) {
        flags.push_str(&format!(" --user {}", crate::commands::init::quote(user)));
    }
    let args = crate::commands::init::InitArgs { unit_code, unit_name, level, division, name, login, flags };
    print!("{}", crate::commands::init::run(&path, s.lang, &args, Clock::System.now())?);
    Ok(())
}

/// The database the flags name: the demo (created on first use) or a file.
fn open_store(cli: &Cli, s: &Settings, clock: &Clock) -> Result<Store> {
    if cli.demo {
        let path = cli.db.clone().unwrap_or_else(|| demo_db_path(&s.dirs.data));
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
        Ok(ensure_demo(&path, &options)?)
    } else {
        let path = db_path(cli, s);
        Store::open_existing(&path).map_err(|e| match e {
            DbError::Missing { .. } => anyhow!(fill(s.lang.text().start_no_database, &[&path.display()])),
            other => other.into(),
        })
    }
}

/// The staff member working: --user, the config's user, or the OS login.
fn resolve_user(cli: &Cli, s: &Settings, store: &Store) -> Result<Staff> {
    let mut login = cli.user.clone().or(s.config.user.clone()).or(os_login()).context(s.lang.text().start_no_login)?;
    // In the demo, someone whose login is not among the demo staff works as the
    // first account manager.
    if cli.demo && cli.user.is_none() && reference::staff_by_login(store.conn(), &login)?.is_none() {
        login = DEMO_LOGIN.to_string();
    }
    match reference::staff_by_login(store.conn(), &login)? {
        Some(u) => Ok(u),
        None if reference::staff_count(store.conn())? == 0 => {
            bail!(fill(s.lang.text().start_no_staff, &[&store.path().display()]))
        }
        None => bail!(fill(s.lang.text().start_unknown_login, &[&login, &store.path().display()])),
    }
}

fn day_arg(text: Option<&str>, flag: &str, default: NaiveDate) -> Result<NaiveDate> {
    match text {
        Some(t) => crate::domain::validate::date(t).map_err(|_| anyhow!("--{flag}: '{t}' is not a date (YYYY-MM-DD)")),
        None => Ok(default),
    }
}

fn agenda(cli: &Cli, s: &Settings, date: Option<&str>) -> Result<()> {
    let clock = Clock::System;
    let store = open_store(cli, s, &clock)?;
    let user = resolve_user(cli, s, &store)?;
    let day = day_arg(date, "date", clock.today())?;
    let reference = reference::load(store.conn())?;
    let now = crate::commands::agenda::review_moment(day, clock.now());
    print!("{}", crate::commands::agenda::agenda_text(store.conn(), &reference, &user, now, s.lang, s.standard)?);
    Ok(())
}

fn export_ics(cli: &Cli, s: &Settings, from: Option<&str>, to: Option<&str>, output: &std::path::Path) -> Result<()> {
    let clock = Clock::System;
    let store = open_store(cli, s, &clock)?;
    let user = resolve_user(cli, s, &store)?;
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
    eprintln!("{}", fill(lang.text().ics_written, &[&visits.len(), &output.display()]));
    Ok(())
}

fn open_app(cli: &Cli, s: &Settings, started: Instant) -> Result<()> {
    let clock = Clock::System;
    let mut store = open_store(cli, s, &clock)?;
    let user = resolve_user(cli, s, &store)?;
    // Tiers are cached per customer; when the configured preset changed, recompute them once.
    if !store.schema_altered()
        && customers::stored_preset(store.conn())?.is_some_and(|stored| stored != s.preset.code())
    {
        let actor = Actor { staff: user.clone(), at: clock.now() };
        let changed = customers::retier_all(&mut store, &actor, s.preset)?;
        eprintln!("{}", fill(s.lang.text().preset_changed, &[&s.preset.code(), &changed]));
    }
    // What the terminal shows decides the colours sent: 24-bit, 256 or 16 (or none).
    let depth = crate::theme::ColorDepth::from_env();
    let theme_name = cli.theme.clone().or(s.config.theme.clone()).unwrap_or_else(|| "dark".into());
    let theme = Theme::load_for(&theme_name, Some(&s.dirs.themes()), depth)?;
    let keys_file = s.dirs.keys_file();
    let user_keys = std::fs::read_to_string(&keys_file).ok();
    let keys_name = keys_file.display().to_string();
    let keymap =
        Keymap::from_toml(include_str!("keymap/default.toml"), user_keys.as_deref().map(|t| (keys_name.as_str(), t)))
            .map_err(|e| anyhow!(crate::i18n::keymap_error_text(s.lang, &e)))?;
    let reference = reference::load(store.conn())?;
    let ctx = Ctx {
        store,
        reference,
        user,
        lang: s.lang,
        theme,
        keymap,
        clock,
        preset: s.preset,
        standard: s.standard,
        money_unit: s.config.money_unit.unwrap_or_default(),
        status_rules: s.config.status.unwrap_or_default(),
        reader: Default::default(),
    };
    let warnings = crate::db::file_access::warnings(ctx.store.path());
    let schema_altered = ctx.store.schema_altered();
    let mut app = App::new(ctx);
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
        println!("first frame after {:.1} ms", elapsed.as_secs_f64() * 1000.0);
        return Ok(());
    }
    let (events, notifier) = Events::start(Duration::from_secs(30)).context("cannot read the terminal")?;
    app.ctx.reader = Reader::start(app.ctx.store.path().to_path_buf(), notifier);
    run_loop(&mut guard.terminal, &mut app, events)?;
    Ok(())
}

//! `kam` commands on a server, each member of staff connected with their own
//! login (row-level security in force), against the same commands on a demo
//! file as the same person (`--user`): the demo on both, every command's
//! output, exit status and written file the same. Writes run in the same
//! order on both, so the two databases stay alike from command to command.

use std::path::Path;
use std::process::Command;

use crate::pg_cluster::{SUPERUSER, cluster};

/// Runs kam on `db` (a file or a URL) as `user` (a file only); the exit
/// status and the output, stdout then stderr, with what differs by nature
/// made alike: the database named, the files written, the clock (history on
/// a server takes the server's time), the schema version and chain head.
fn kam(db: &str, user: Option<&str>, args: &[String], home: &Path) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kam"));
    cmd.arg("--db").arg(db).args(args).env("HOME", home).env_remove("KAM_DB").env_remove("KAM_USER");
    cmd.env("XDG_CONFIG_HOME", home.join("config")).env("XDG_DATA_HOME", home.join("data"));
    if let Some(user) = user {
        cmd.arg("--user").arg(user);
    }
    let out = cmd.output().expect("run kam");
    let text = format!(
        "{}\n{}{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.replace(db, "DB")
        .replace(&home.display().to_string(), "HOME")
        .lines()
        // What a server alone keeps: kam migrate's record of itself (the demo
        // on a server is moved in by it).
        .filter(|line| !line.starts_with("migrations recorded") && !line.starts_with("  migration "))
        .map(|line| {
            let line = line.strip_prefix(line.get(..21).filter(|p| is_stamp(p)).unwrap_or_default()).unwrap_or(line);
            if line.contains("schema version") || line.starts_with("chain head") || line.contains("用时") {
                "(varies)".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `2026-12-03 15:45:00  `: a history line's time.
fn is_stamp(prefix: &str) -> bool {
    let b = prefix.as_bytes();
    b.len() == 21 && b[4] == b'-' && b[10] == b' ' && b[13] == b':' && prefix.ends_with("  ")
}

fn commands(files: &Path, inputs: &Path) -> Vec<Vec<String>> {
    let f = |name: &str| files.join(name).display().to_string();
    let i = |name: &str| inputs.join(name).display().to_string();
    let lines = [
        "whoami".to_string(),
        "staff".into(),
        "unit list".into(),
        "agenda".into(),
        "complaints".into(),
        "history --customer 44010600001000".into(),
        format!("export customers --format csv -o {}", f("customers.csv")),
        format!("export customers --format csv --mine -o {}", f("mine.csv")),
        format!("export ics -o {}", f("calendar.ics")),
        format!("report monthly --format csv -o {}", f("monthly.csv")),
        "retier".into(),
        "unit-revenue".into(),
        "policy".into(),
        format!("import revenue {} --dry-run", i("revenue_new.csv")),
        format!("import revenue {}", i("revenue_new.csv")),
        format!("import customers {}", i("customers.csv")),
        format!("import persons {}", i("persons.csv")),
        "staff add --login cli_ceshi --name 测试员 --unit GZ-TH --role manager".into(),
        "unit add --code GZ-TH-T9 --name 测试支局 --parent GZ-TH --level branch".into(),
        "industry add --code cli_ceshi --name 测试行业".into(),
        "unit-revenue --unit GZ-TH --period 2026-11 --amount 10000".into(),
        "policy --managers-edit-unit on".into(),
        "retier --apply".into(),
        "check".into(),
        format!("export customers --format csv -o {}", f("customers_after.csv")),
        "history --customer 44010300001000".into(),
    ];
    lines.iter().map(|l| l.split(' ').map(str::to_string).collect()).collect()
}

/// This month, after the demo's ledger (which ends last month): every
/// customer's window moves.
fn revenue_new() -> String {
    let month = chrono::Utc::now().format("%Y-%m");
    format!("客户编号,月份,业务种类,收入(元)\n44010600001000,{month},函件,1000\n44010300001000,{month},函件,2000\n")
}
const CUSTOMERS: &str =
    "客户编号,简称,全称,责任单位,客户经理,行业,预估年收入\n,测试乙,广州测试乙有限公司,GZ-YX,jingli04,电信运营,100000\n";
const PERSONS: &str = "客户编号,姓名\n44010600001000,林测试\n";

#[test]
fn every_role_sees_and_writes_the_same_on_a_server_with_its_own_login_as_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(inputs.join("revenue_new.csv"), revenue_new()).unwrap();
    std::fs::write(inputs.join("customers.csv"), CUSTOMERS).unwrap();
    std::fs::write(inputs.join("persons.csv"), PERSONS).unwrap();

    let file = dir.path().join("demo.db").display().to_string();
    let database = cluster().fresh_database("roles_cli");
    let server = cluster().url(&database, SUPERUSER);
    for db in [&file, &server] {
        let built = kam(db, None, &["demo".to_string()], &home);
        assert!(built.starts_with("0\n"), "kam demo --db {db}: {built}");
    }
    let mut differences = Vec::new();
    for login in ["jingli01", "zhuguan", "guanli", "lingdao"] {
        let own = cluster().url(&database, login);
        let (on_file, on_server) =
            (dir.path().join(format!("{login}-file")), dir.path().join(format!("{login}-server")));
        std::fs::create_dir_all(&on_file).unwrap();
        std::fs::create_dir_all(&on_server).unwrap();
        for (args_file, args_server) in commands(&on_file, &inputs).into_iter().zip(commands(&on_server, &inputs)) {
            let a = kam(&file, Some(login), &args_file, &home).replace(&on_file.display().to_string(), "OUT");
            let b = kam(&own, None, &args_server, &home).replace(&on_server.display().to_string(), "OUT");
            if a != b {
                differences.push(format!("{login}: kam {}\n-- file:\n{a}\n-- server:\n{b}", args_file.join(" ")));
            }
        }
        for name in ["customers.csv", "mine.csv", "monthly.csv", "customers_after.csv", "calendar.ics"] {
            let read = |d: &Path| {
                std::fs::read_to_string(d.join(name))
                    .map(|t| t.lines().filter(|l| !l.starts_with("DTSTAMP")).collect::<Vec<_>>().join("\n"))
                    .ok()
            };
            if read(&on_file) != read(&on_server) {
                differences.push(format!("{login}: {name} differs"));
            }
        }
    }
    assert!(differences.is_empty(), "{} differences:\n{}", differences.len(), differences.join("\n\n"));
}

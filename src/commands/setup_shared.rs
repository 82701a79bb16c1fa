//! `kam setup-shared --db PATH --group NAME [--install PATH]`, as root: the
//! guarded installation of README's Deployment section (see
//! `crate::privilege`). The database and its folder belong to a group no
//! person is in; the `kam` binary is installed set-group-id to that group; the
//! system configuration names the database. Each step says what it found or
//! did; running it again changes nothing that is already right.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use crate::i18n::{Lang, fill};

/// Folder: owner and group rwx, set-group-id (new files, `-wal` and `-shm`
/// included, belong to the group).
const FOLDER_MODE: u32 = 0o2770;
/// The database and its side files: read and write for the group.
const FILE_MODE: u32 = 0o660;
/// The program: anyone runs it, with the group's rights.
const BINARY_MODE: u32 = 0o2755;

#[cfg(not(unix))]
pub fn run(_lang: Lang, _db: &Path, _group: &str, _install: &Path) -> Result<()> {
    bail!("kam setup-shared is for Unix servers")
}

#[cfg(unix)]
pub fn run(lang: Lang, db: &Path, group: &str, install: &Path) -> Result<()> {
    use nix::unistd::{Group, Uid};
    let t = lang.text();
    if !Uid::current().is_root() || !Uid::effective().is_root() {
        bail!(t.setup_not_root);
    }
    if !valid_group_name(group) {
        bail!("--group '{group}': a group name is lower-case letters, digits, - and _ (e.g. kamdb)");
    }
    let db = absolute(db)?;
    let folder = db.parent().map(Path::to_path_buf).context("--db names no file")?;

    // 1. The group, with nobody in it.
    let found = Group::from_name(group).map_err(|e| anyhow!("reading the group database: {e}"))?;
    let (gid, status) = match found {
        Some(g) => {
            let members = members_of(&g);
            if !members.is_empty() {
                bail!(fill(t.setup_group_has_members, &[&group, &members.join(", ")]));
            }
            (g.gid.as_raw(), t.setup_already)
        }
        None => {
            let out = std::process::Command::new("groupadd")
                .args(["--system", group])
                .output()
                .context("running groupadd")?;
            if !out.status.success() {
                bail!("groupadd {group}: {}", String::from_utf8_lossy(&out.stderr).trim());
            }
            let g = Group::from_name(group)
                .map_err(|e| anyhow!("reading the group database: {e}"))?
                .with_context(|| format!("groupadd made no group {group}"))?;
            (g.gid.as_raw(), t.setup_created)
        }
    };
    step(&fill(t.setup_step_group, &[&group]), status, &format!("gid {gid}"));

    // 2. The folder.
    let created = !folder.exists();
    if created {
        std::fs::create_dir_all(&folder).with_context(|| folder.display().to_string())?;
    }
    let changed = set_owner_and_mode(&folder, gid, FOLDER_MODE)?;
    let status = if created {
        t.setup_created
    } else if changed {
        t.setup_set
    } else {
        t.setup_already
    };
    step(&fill(t.setup_step_folder, &[&folder.display()]), status, &format!("2770 root:{group}"));

    // 3. The database and its side files, if it is there (and kam's).
    if db.exists() {
        use crate::db::file_kind::{Found, classify};
        if let Found::Foreign(why) = classify(&db)? {
            bail!("{} is not a kam database: {why}; kam leaves it as it is", db.display());
        }
        let mut changed = false;
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", db.display()));
            if file.exists() {
                changed |= set_owner_and_mode(&file, gid, FILE_MODE)?;
            }
        }
        let status = if changed { t.setup_set } else { t.setup_already };
        step(&fill(t.setup_step_file, &[&db.display()]), status, &format!("660 root:{group}"));
    } else {
        println!("  {}", t.setup_no_database);
    }

    // 4. The system configuration: the database a set-group-id kam opens.
    let config = Path::new(crate::startup::SYSTEM_CONFIG);
    let status = write_system_config(lang, config, &db)?;
    step(&fill(t.setup_step_config, &[&config.display()]), status, &format!("db = {}", db.display()));

    // 5. The program, set-group-id.
    let status = install_binary(lang, install, gid)?;
    step(&fill(t.setup_step_binary, &[&install.display()]), status, &format!("2755 root:{group}"));

    println!("{}", fill(t.setup_done, &[&install.display(), &group]));
    Ok(())
}

fn step(what: &str, status: &str, detail: &str) {
    println!("  {what}: {status} ({detail})");
}

fn valid_group_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && name.len() <= 32
}

/// The database path made absolute (its folder may not exist yet).
fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| path.display().to_string())
}

/// Everyone in the group: its listed members, and the accounts whose primary
/// group it is (from /etc/passwd; accounts from a directory service are not
/// seen here).
#[cfg(unix)]
fn members_of(group: &nix::unistd::Group) -> Vec<String> {
    let mut members = group.mem.clone();
    if let Ok(passwd) = std::fs::read_to_string("/etc/passwd") {
        for line in passwd.lines() {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.len() > 3 && fields[3].parse::<u32>().is_ok_and(|g| g == group.gid.as_raw()) {
                members.push(fields[0].to_string());
            }
        }
    }
    members.sort();
    members.dedup();
    members
}

/// Makes `path` root's, of group `gid`, with `mode`; true when anything changed.
/// (chown first: it clears the set-group-id bit.)
#[cfg(unix)]
fn set_owner_and_mode(path: &Path, gid: u32, mode: u32) -> Result<bool> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = std::fs::symlink_metadata(path).with_context(|| path.display().to_string())?;
    if meta.file_type().is_symlink() {
        bail!("{} is a symbolic link: name the real file or folder", path.display());
    }
    let right = meta.uid() == 0 && meta.gid() == gid && meta.mode() & 0o7777 == mode;
    if !right {
        std::os::unix::fs::chown(path, Some(0), Some(gid)).with_context(|| format!("chown {}", path.display()))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("chmod {}", path.display()))?;
    }
    Ok(!right)
}

/// Writes `db = PATH` into the system configuration, keeping its other
/// settings; the file is root's and readable by all (it holds no secret).
#[cfg(unix)]
fn write_system_config(lang: Lang, config: &Path, db: &Path) -> Result<&'static str> {
    use std::os::unix::fs::PermissionsExt;
    let t = lang.text();
    let old = match std::fs::read_to_string(config) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow!("{}: {e}", config.display())),
    };
    let mut table: toml::Table = match &old {
        Some(text) => text.parse().map_err(|e| anyhow!("{}: {e}", config.display()))?,
        None => toml::Table::new(),
    };
    let db_text = db.to_str().with_context(|| format!("{}: not UTF-8", db.display()))?;
    table.insert("db".into(), toml::Value::String(db_text.into()));
    let text = toml::to_string(&table)?;
    crate::config::Config::parse(&text).map_err(|e| anyhow!("{}: {e}", config.display()))?;
    if old.as_deref() == Some(text.as_str()) {
        return Ok(t.setup_already);
    }
    if let Some(dir) = config.parent() {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
    }
    std::fs::write(config, &text).with_context(|| config.display().to_string())?;
    std::os::unix::fs::chown(config, Some(0), Some(0))?;
    std::fs::set_permissions(config, std::fs::Permissions::from_mode(0o644))?;
    Ok(if old.is_some() { t.setup_set } else { t.setup_created })
}

/// Copies this program to `install` (unless it runs from there) and makes it
/// root's, of the group, set-group-id.
#[cfg(unix)]
fn install_binary(lang: Lang, install: &Path, gid: u32) -> Result<&'static str> {
    use std::os::unix::fs::PermissionsExt;
    let t = lang.text();
    let me = std::env::current_exe().context("finding this program")?;
    let same = std::fs::canonicalize(install).is_ok_and(|i| std::fs::canonicalize(&me).is_ok_and(|m| m == i));
    let mut copied = false;
    if !same {
        let bytes = std::fs::read(&me).with_context(|| me.display().to_string())?;
        if std::fs::read(install).ok().as_deref() != Some(bytes.as_slice()) {
            let dir = install.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
            // Beside it, then renamed over it: a running kam keeps its old copy.
            let staged = dir.join(format!(".kam-install-{}", std::process::id()));
            std::fs::write(&staged, &bytes).with_context(|| staged.display().to_string())?;
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o700))?;
            std::fs::rename(&staged, install).with_context(|| install.display().to_string())?;
            copied = true;
        }
    }
    let changed = set_owner_and_mode(install, gid, BINARY_MODE)?;
    Ok(if copied {
        t.setup_created
    } else if changed {
        t.setup_set
    } else {
        t.setup_already
    })
}

#[cfg(test)]
mod tests {
    use super::valid_group_name;

    #[test]
    fn group_names_are_plain() {
        assert!(valid_group_name("kamdb"));
        assert!(valid_group_name("kam_db-1"));
        assert!(!valid_group_name("Kam"));
        assert!(!valid_group_name("-kam"));
        assert!(!valid_group_name("kam db"));
        assert!(!valid_group_name(""));
    }
}

//! `kam backup FILE`: a consistent copy of the live database, made while
//! others keep working (the copy itself is `db::backup`).

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::db::Store;

pub fn run(store: &Store, target: &Path) -> Result<()> {
    if target.exists() {
        bail!("{} exists: kam backup never overwrites a file", target.display());
    }
    create_private(target).with_context(|| format!("creating {}", target.display()))?;
    let problems =
        crate::db::backup::copy_to(store, target).with_context(|| format!("copying to {}", target.display()))?;
    if !problems.is_empty() {
        bail!("the copy in {} failed its integrity check: {}", target.display(), problems.join("; "));
    }
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    crate::errln!("{} → {} ({:.1} MB, integrity ok)", store.location(), target.display(), size as f64 / 1e6);
    Ok(())
}

/// Refuses a backup target whose folder other users can read or write (a
/// guarded installation's rule: the copy must not hand the file away).
pub fn refuse_open_folder(lang: crate::i18n::Lang, target: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mode = std::fs::metadata(dir).with_context(|| dir.display().to_string())?.permissions().mode();
        if mode & 0o006 != 0 {
            bail!(crate::i18n::fill(lang.text().guard_backup_place, &[&target.display()]));
        }
    }
    #[cfg(not(unix))]
    let _ = (lang, target);
    Ok(())
}

/// The copy is as confidential as the original: created owner read/write only,
/// before a single page is written.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

//! Who else can read the database file. SQLite has no users of its own: anyone
//! who can read the file (or its -wal companion) can read every dossier, so kam
//! checks the permissions at start and warns when they are wider than a shared
//! server needs (see README: Deployment).

use std::path::Path;

/// A permission wider than it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileWarning {
    /// Every user of the machine can read the confidential file.
    OthersCanRead,
    /// Every user of the machine can change it, bypassing kam entirely.
    OthersCanWrite,
    /// Every user can create or replace files in its folder (e.g. swap the database).
    FolderOthersCanWrite,
}

/// Warnings for the database at `path` (none on platforms without Unix modes).
pub fn warnings(path: &Path) -> Vec<FileWarning> {
    let mut out = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o004 != 0 {
                out.push(FileWarning::OthersCanRead);
            }
            if mode & 0o002 != 0 {
                out.push(FileWarning::OthersCanWrite);
            }
        }
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if let Ok(meta) = std::fs::metadata(dir) {
            let mode = meta.permissions().mode();
            // A sticky, world-writable folder (/tmp) keeps others from replacing our file.
            if mode & 0o002 != 0 && mode & 0o1000 == 0 {
                out.push(FileWarning::FolderOthersCanWrite);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn wide_permissions_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kam.db");
        std::fs::write(&file, b"").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o750)).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o660)).unwrap();
        assert_eq!(warnings(&file), []);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(warnings(&file), [FileWarning::OthersCanRead, FileWarning::OthersCanWrite]);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        assert_eq!(warnings(&file), [FileWarning::FolderOthersCanWrite]);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
        assert_eq!(warnings(&file), []);
    }
}

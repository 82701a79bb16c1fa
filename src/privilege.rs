//! The group privilege of a guarded installation (README: Deployment).
//!
//! On a shared server the database and its folder belong to a group that no
//! person is in, and the `kam` binary is installed set-group-id to that group
//! (`kam setup-shared`). Nobody can open the file with `sqlite3`; everybody
//! can open it through kam, and then kam's rules hold for everyone.
//!
//! kam is then a program with a privilege that its user can steer (flags,
//! environment, configuration), so it holds the privilege as briefly as it
//! can and only for the one file the system configuration names:
//!
//! 1. First thing, [`drop_at_start`] makes the effective group the user's own
//!    again (`setegid(real gid)`); the kam group stays only in the saved
//!    set-group-id. From here on every file kam touches it touches with the
//!    user's own rights: their configuration, themes and keys, an export or
//!    report they write (so it belongs to them and their group, not to kam's
//!    group), an import file, a backup target.
//! 2. To open the database, [`SetGid::with_group`] makes the kam group
//!    effective again (from the saved set-group-id) for that call only. In it
//!    kam opens the main connection *and* the reader thread's, and each runs
//!    a query: SQLite opens the `-wal` and `-shm` files lazily, at the first
//!    read, and then keeps them open for the life of the connection, so after
//!    this every file SQLite needs is an open descriptor and no later open
//!    needs the group. (SQLite's temporary files are in memory:
//!    `temp_store = MEMORY`.)
//! 3. Then [`SetGid::renounce`] sets the real, effective and saved group ids
//!    all to the user's (`setresgid`): the privilege is gone for good, and no
//!    later bug can take it back. Whatever SQLite might still want to open by
//!    name after that fails with "permission denied" instead of succeeding
//!    with the group's rights. On exit SQLite cannot delete the `-wal` and
//!    `-shm` files in the folder it no longer may write; it has checkpointed
//!    and truncated the log (`Store::drop`), and the next kam reuses both.
//!
//! The other design, keeping the group effective and dropping it around each
//! user file, fails open: any file access someone forgets to wrap (a new
//! export, a theme read) would run with the group's rights, and an export
//! named `/srv/kam/kam.db` would overwrite the database. Dropping first and
//! raising once fails closed.
//!
//! A set-group-id process is not dumpable: its user cannot attach a debugger
//! to it or read its memory or open descriptors through `/proc`.

/// A process running set-group-id: the user's own group and the one the
/// binary carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetGid {
    /// The real group id: the user's.
    pub real: u32,
    /// The group the binary is installed with (kam's).
    pub group: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum PrivilegeError {
    #[error("cannot change the effective group id: {0}")]
    Switch(String),
}

/// Gives the group privilege up at once when kam runs set-group-id (its
/// effective group differs from the real one), keeping it in the saved
/// set-group-id for [`SetGid::with_group`]. `None` when kam is not
/// set-group-id.
#[cfg(unix)]
pub fn drop_at_start() -> Result<Option<SetGid>, PrivilegeError> {
    use nix::unistd::{getresgid, setegid};
    let ids = getresgid().map_err(|e| PrivilegeError::Switch(e.to_string()))?;
    if ids.effective == ids.real {
        return Ok(None);
    }
    let privilege = SetGid { real: ids.real.as_raw(), group: ids.effective.as_raw() };
    setegid(ids.real).map_err(|e| PrivilegeError::Switch(e.to_string()))?;
    Ok(Some(privilege))
}

#[cfg(not(unix))]
pub fn drop_at_start() -> Result<Option<SetGid>, PrivilegeError> {
    Ok(None)
}

impl SetGid {
    /// Runs `open` with kam's group effective, then gives it up again
    /// (effective group = real group) whatever `open` returned.
    #[cfg(unix)]
    pub fn with_group<T>(&self, open: impl FnOnce() -> T) -> Result<T, PrivilegeError> {
        use nix::unistd::{Gid, setegid};
        setegid(Gid::from_raw(self.group)).map_err(|e| PrivilegeError::Switch(e.to_string()))?;
        let out = open();
        setegid(Gid::from_raw(self.real)).map_err(|e| PrivilegeError::Switch(e.to_string()))?;
        Ok(out)
    }

    #[cfg(not(unix))]
    pub fn with_group<T>(&self, open: impl FnOnce() -> T) -> Result<T, PrivilegeError> {
        Ok(open())
    }

    /// Gives the group up for good: real, effective and saved group ids all
    /// the user's.
    #[cfg(unix)]
    pub fn renounce(self) -> Result<(), PrivilegeError> {
        use nix::unistd::{Gid, setresgid};
        let real = Gid::from_raw(self.real);
        setresgid(real, real, real).map_err(|e| PrivilegeError::Switch(e.to_string()))
    }

    #[cfg(not(unix))]
    pub fn renounce(self) -> Result<(), PrivilegeError> {
        Ok(())
    }
}

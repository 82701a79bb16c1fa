//! Who is working. Visit counts and log entries decide an account manager's
//! pay, so the name on a record must be the person who made it.
//!
//! The login is the system account of the process's *real* user id (the
//! passwd entry of `getuid()`), never an environment variable (`USER`,
//! `LOGNAME` and `KAM_USER` are the caller's to set) nor a flag. `--user`,
//! `KAM_USER` and a configuration's `user =` name someone else; they are
//! honoured:
//! - on a demo database, for anyone (it is generated data, and trying each
//!   role is what a demo is for);
//! - on a real database, for root and for the owner of the database file
//!   (both could change the file directly anyway): the records are written as
//!   the staff member named, and every history row says who acted for them;
//! - for nobody else: they are refused with the login they are signed in as.

use crate::db::DbKind;

/// The system account running kam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub uid: u32,
    pub login: String,
}

/// Why the system account is unknown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("user id {0} has no name in the system's user database")]
    NoName(u32),
    #[error("the system's user database could not be read: {0}")]
    Lookup(String),
}

/// The account of the process's real user id, from the system's user
/// database (never from the environment).
#[cfg(unix)]
pub fn current_account() -> Result<Account, AccountError> {
    use nix::unistd::{User, getuid};
    let uid = getuid();
    match User::from_uid(uid) {
        Ok(Some(user)) if !user.name.is_empty() => Ok(Account { uid: uid.as_raw(), login: user.name }),
        Ok(_) => Err(AccountError::NoName(uid.as_raw())),
        Err(e) => Err(AccountError::Lookup(e.to_string())),
    }
}

/// Elsewhere, the system's name for the signed-in account (a system call,
/// not the environment).
#[cfg(not(unix))]
pub fn current_account() -> Result<Account, AccountError> {
    whoami::fallible::username()
        .map(|login| Account { uid: u32::MAX, login })
        .map_err(|e| AccountError::Lookup(e.to_string()))
}

/// Where a request to work as someone else came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// `--user LOGIN` on the command line.
    Flag(String),
    /// The `KAM_USER` environment variable.
    Env(String),
    /// `user =` in the configuration file at this path.
    Config { login: String, file: String },
}

impl Asked {
    pub fn login(&self) -> &str {
        match self {
            Asked::Flag(l) | Asked::Env(l) | Asked::Config { login: l, .. } => l,
        }
    }
}

/// Who works, as decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The staff login the records are written as.
    pub login: String,
    /// The system account acting for that login, when it is someone else's
    /// (root or the file's owner on a real database): history records it.
    pub acting: Option<String>,
}

/// A request to work as someone else, refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub asked: Asked,
    /// The login the caller is signed in as.
    pub signed_in_as: String,
}

/// Decides who works on a database of `kind` whose file `owner` owns, for
/// `account`, which `asked` (if anything) to work as someone else.
pub fn decide(kind: DbKind, account: &Account, owner: Option<u32>, asked: Option<Asked>) -> Result<Signed, Refused> {
    let Some(asked) = asked.filter(|a| a.login() != account.login) else {
        return Ok(Signed { login: account.login.clone(), acting: None });
    };
    match kind {
        DbKind::Demo => Ok(Signed { login: asked.login().to_string(), acting: None }),
        DbKind::Real if account.uid == 0 || owner == Some(account.uid) => {
            Ok(Signed { login: asked.login().to_string(), acting: Some(account.login.clone()) })
        }
        DbKind::Real => Err(Refused { asked, signed_in_as: account.login.clone() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mgr() -> Account {
        Account { uid: 1001, login: "zhangwei".into() }
    }

    #[test]
    fn the_login_is_the_account_unless_someone_else_is_asked_for() {
        let own = Signed { login: "zhangwei".into(), acting: None };
        assert_eq!(decide(DbKind::Real, &mgr(), Some(0), None), Ok(own.clone()));
        // Asking for oneself is no request at all.
        assert_eq!(decide(DbKind::Real, &mgr(), Some(0), Some(Asked::Flag("zhangwei".into()))), Ok(own));
    }

    #[test]
    fn on_a_real_database_only_root_and_the_owner_act_for_others() {
        for asked in [
            Asked::Flag("guanli".into()),
            Asked::Env("guanli".into()),
            Asked::Config { login: "guanli".into(), file: "/home/zhangwei/.config/kam/config.toml".into() },
        ] {
            let refused = decide(DbKind::Real, &mgr(), Some(0), Some(asked.clone())).unwrap_err();
            assert_eq!(refused, Refused { asked: asked.clone(), signed_in_as: "zhangwei".into() });
            let root = Account { uid: 0, login: "root".into() };
            assert_eq!(
                decide(DbKind::Real, &root, Some(1001), Some(asked.clone())),
                Ok(Signed { login: "guanli".into(), acting: Some("root".into()) })
            );
            assert_eq!(
                decide(DbKind::Real, &mgr(), Some(1001), Some(asked.clone())),
                Ok(Signed { login: "guanli".into(), acting: Some("zhangwei".into()) })
            );
            // Unknown owner: only root.
            assert!(decide(DbKind::Real, &mgr(), None, Some(asked)).is_err());
        }
    }

    #[test]
    fn on_a_demo_anyone_works_as_anyone_and_nothing_is_noted() {
        assert_eq!(
            decide(DbKind::Demo, &mgr(), Some(0), Some(Asked::Env("guanli".into()))),
            Ok(Signed { login: "guanli".into(), acting: None })
        );
    }
}

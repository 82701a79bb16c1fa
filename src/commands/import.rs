//! `kam import customers|persons|revenue FILE [--dry-run]`.

use std::path::Path;

use anyhow::{Result, bail};

use super::CommandEnv;
use crate::cli::ImportKind;

pub fn run(_env: &mut CommandEnv, _kind: ImportKind, _file: &Path, _dry_run: bool) -> Result<()> {
    bail!("import is being written")
}

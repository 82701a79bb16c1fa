//! `kam export customers --format csv|xlsx [filters] -o FILE`.

use std::path::Path;

use anyhow::{Result, bail};

use super::CommandEnv;
use crate::cli::{ListFilterArgs, TableFormat};

pub fn run(_env: &CommandEnv, _format: TableFormat, _filter: &ListFilterArgs, _output: &Path) -> Result<()> {
    bail!("the customer export is being written")
}

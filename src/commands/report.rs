//! `kam report monthly --month YYYY-MM [--unit CODE] --format csv|xlsx -o FILE`.

use std::path::Path;

use anyhow::{Result, bail};

use super::CommandEnv;
use crate::cli::TableFormat;

pub fn monthly(
    _env: &CommandEnv,
    _month: Option<&str>,
    _unit: Option<&str>,
    _format: TableFormat,
    _output: &Path,
) -> Result<()> {
    bail!("the monthly report is being written")
}

//! Reading the project's tab-separated data files, with errors that name the
//! file and the line.

use crate::error::{Error, Result};

/// One data row: its cells by column name, and where it came from.
pub struct Row<'h, 'a> {
    pub file: &'a str,
    pub line: usize,
    header: &'h [&'a str],
    cells: Vec<&'a str>,
}

impl<'a> Row<'_, 'a> {
    /// A cell by column name; empty when the column is absent or blank.
    pub fn get(&self, column: &str) -> &'a str {
        self.header
            .iter()
            .position(|h| *h == column)
            .and_then(|i| self.cells.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    /// A required cell.
    pub fn req(&self, column: &str) -> Result<&'a str> {
        let v = self.get(column);
        if v.is_empty() {
            Err(self.error(format!("column '{column}' is empty")))
        } else {
            Ok(v)
        }
    }

    /// An optional cell, `None` when blank.
    pub fn opt(&self, column: &str) -> Option<&'a str> {
        Some(self.get(column)).filter(|s| !s.is_empty())
    }

    /// A cell parsed with `FromStr`, `None` when blank.
    pub fn parse<T: std::str::FromStr>(&self, column: &str) -> Result<Option<T>>
    where
        T::Err: std::fmt::Display,
    {
        match self.opt(column) {
            None => Ok(None),
            Some(v) => v
                .parse::<T>()
                .map(Some)
                .map_err(|e| self.error(format!("column '{column}': cannot read '{v}': {e}"))),
        }
    }

    /// A `|`-separated multi-valued cell.
    pub fn list(&self, column: &str) -> Vec<&'a str> {
        self.get(column)
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }

    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::ReferenceData {
            file: self.file.to_string(),
            line: self.line,
            message: message.into(),
        }
    }
}

/// Calls `f` on every data row of a TSV file (header first; `#` lines and
/// blank lines skipped).
pub fn for_each_row<'a>(
    file: &'a str,
    contents: &'a str,
    mut f: impl FnMut(Row<'_, 'a>) -> Result<()>,
) -> Result<()> {
    let mut header: Option<Vec<&'a str>> = None;
    for (n, line) in contents.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&'a str> = line.split('\t').collect();
        match &header {
            None => header = Some(cells.iter().map(|c| c.trim()).collect()),
            Some(h) => {
                f(Row {
                    file,
                    line: n + 1,
                    header: h.as_slice(),
                    cells,
                })?;
            }
        }
    }
    Ok(())
}

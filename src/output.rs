//! Writing result tables as a terminal table, CSV, JSON or Markdown.

use crate::db::{Cell, Table};
use clap::ValueEnum;
use comfy_table::presets::{ASCII_MARKDOWN, UTF8_FULL_CONDENSED};
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TableFormat {
    /// Aligned columns for reading in a terminal.
    #[default]
    Table,
    /// Comma-separated values with a header row.
    Csv,
    /// A JSON array with one object per row.
    Json,
    /// A Markdown table.
    Markdown,
}

fn comfy(t: &Table, preset: &str) -> comfy_table::Table {
    let mut ct = comfy_table::Table::new();
    ct.load_preset(preset);
    ct.set_header(t.columns.clone());
    for r in &t.rows {
        ct.add_row(r.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    }
    ct
}

fn json_value(v: &Cell) -> serde_json::Value {
    match v {
        Cell::Null => serde_json::Value::Null,
        Cell::Int(i) => (*i).into(),
        Cell::Real(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Cell::Text(s) => s.clone().into(),
        Cell::Blob(_) => v.to_string().into(),
    }
}

/// Writes rows as they come, for results too large to hold (CSV, JSON,
/// Markdown; the terminal table needs every row to size its columns).
pub struct RowWriter<'a> {
    format: TableFormat,
    out: &'a mut dyn Write,
    columns: Vec<String>,
    rows: usize,
}

impl<'a> RowWriter<'a> {
    pub fn new(format: TableFormat, out: &'a mut dyn Write) -> RowWriter<'a> {
        RowWriter {
            format,
            out,
            columns: Vec::new(),
            rows: 0,
        }
    }

    pub fn columns(&mut self, columns: Vec<String>) -> io::Result<()> {
        self.columns = columns;
        match self.format {
            TableFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut *self.out);
                w.write_record(&self.columns)?;
                w.flush()
            }
            TableFormat::Markdown => {
                writeln!(
                    self.out,
                    "| {} |",
                    self.columns
                        .iter()
                        .map(|c| md_escape(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )?;
                writeln!(
                    self.out,
                    "|{}|",
                    self.columns
                        .iter()
                        .map(|_| "---")
                        .collect::<Vec<_>>()
                        .join("|")
                )
            }
            TableFormat::Json => write!(self.out, "["),
            TableFormat::Table => Ok(()),
        }
    }

    pub fn row(&mut self, row: &[Cell]) -> io::Result<()> {
        match self.format {
            TableFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut *self.out);
                w.write_record(row.iter().map(|c| c.to_string()))?;
                w.flush()?;
            }
            TableFormat::Markdown => {
                writeln!(
                    self.out,
                    "| {} |",
                    row.iter()
                        .map(|c| md_escape(&c.to_string()))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )?;
            }
            TableFormat::Json => {
                let obj: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .cloned()
                    .zip(row.iter().map(json_value))
                    .collect();
                if self.rows > 0 {
                    write!(self.out, ",")?;
                }
                write!(self.out, "\n  ")?;
                serde_json::to_writer(&mut *self.out, &obj)?;
            }
            TableFormat::Table => {}
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        match self.format {
            TableFormat::Json => writeln!(self.out, "{}]", if self.rows > 0 { "\n" } else { "" }),
            _ => self.out.flush(),
        }
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn write_table(t: &Table, format: TableFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        TableFormat::Table => writeln!(out, "{}", comfy(t, UTF8_FULL_CONDENSED)),
        TableFormat::Markdown => writeln!(out, "{}", comfy(t, ASCII_MARKDOWN)),
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&t.columns)?;
            for r in &t.rows {
                w.write_record(r.iter().map(|c| c.to_string()))?;
            }
            w.flush()
        }
        TableFormat::Json => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = t
                .rows
                .iter()
                .map(|r| {
                    t.columns
                        .iter()
                        .zip(r)
                        .map(|(c, v)| (c.clone(), json_value(v)))
                        .collect()
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(vec!["location", "killed"]);
        t.rows
            .push(vec![Cell::Text("Alep, \"centre\"".into()), Cell::Int(155)]);
        t.rows.push(vec![Cell::Null, Cell::Real(1.5)]);
        t
    }

    fn render(f: TableFormat) -> String {
        let mut v = Vec::new();
        write_table(&sample(), f, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn csv_quotes_and_keeps_the_header() {
        assert_eq!(
            render(TableFormat::Csv),
            "location,killed\n\"Alep, \"\"centre\"\"\",155\n,1.5\n"
        );
    }

    #[test]
    fn json_keeps_types_and_column_order() {
        let v: serde_json::Value = serde_json::from_str(&render(TableFormat::Json)).unwrap();
        assert_eq!(v[0]["killed"], 155);
        assert!(v[1]["location"].is_null());
        assert!(
            render(TableFormat::Json).find("location").unwrap()
                < render(TableFormat::Json).find("killed").unwrap()
        );
    }

    #[test]
    fn markdown_has_a_separator_row() {
        let m = render(TableFormat::Markdown);
        assert!(m.lines().nth(1).unwrap().contains("---"), "{m}");
    }
}

//! `conflictdb extract`: print what would be stored, without a database.

use super::{report_input_error, InputArgs, Outcome};
use crate::input::{discover, read_input};
use crate::knowledge::Knowledge;
use crate::pipeline::extract;
use clap::{Args, ValueEnum};
use std::io::Write;

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum ExtractFormat {
    /// One JSON object per article, one per line.
    #[default]
    Jsonl,
    /// One JSON array of all articles, indented.
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  conflictdb extract samples/almanar-hanano.txt\n  conflictdb extract --format json articles/ | less\n  cat article.txt | conflictdb extract - --published 2024-04-26T02:48:00+03:00"
)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ExtractFormat,
}

pub fn run(args: &ExtractArgs) -> anyhow::Result<Outcome> {
    let k = Knowledge::embedded()?;
    let overrides = args.inputs.overrides()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut outcome = Outcome::default();
    let mut all = Vec::new();
    for input in discover(&args.inputs.paths) {
        let input = match input {
            Ok(i) => i,
            Err(e) => {
                report_input_error(&e, &mut outcome);
                continue;
            }
        };
        for article in read_input(&input, &overrides) {
            match article {
                Ok(a) => {
                    let x = extract(&a, k);
                    outcome.articles += 1;
                    match args.format {
                        ExtractFormat::Jsonl => {
                            serde_json::to_writer(&mut out, &x)?;
                            out.write_all(b"\n")?;
                        }
                        ExtractFormat::Json => all.push(x),
                    }
                }
                Err(e) => report_input_error(&e, &mut outcome),
            }
        }
    }
    if let ExtractFormat::Json = args.format {
        serde_json::to_writer_pretty(&mut out, &all)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(outcome)
}

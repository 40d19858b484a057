//! `conflictdb extract`: print what would be stored, without a database.

use super::{report_input_error, InputArgs, Outcome};
use crate::batch::{articles, run_in_order};
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
    after_help = "Articles are extracted on every core; the output keeps the order of the inputs.\n\n\
Examples:\n  conflictdb extract samples/almanar-hanano.txt\n  conflictdb extract --format json articles/ | less\n  cat article.txt | conflictdb extract - --published 2024-04-26T02:48:00+03:00"
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
    let json_lines = matches!(args.format, ExtractFormat::Jsonl);
    if !json_lines {
        out.write_all(b"[")?;
    }
    let mut io_error = None;
    run_in_order(
        articles(&args.inputs.paths, &overrides),
        // Serialising is done by the workers too.
        |a| {
            let x = extract(&a, k);
            if json_lines {
                serde_json::to_string(&x)
            } else {
                serde_json::to_string_pretty(&x)
            }
        },
        |r| {
            match r {
                Ok(Ok(json)) => {
                    let sep: &[u8] = if json_lines || outcome.articles == 0 {
                        b""
                    } else {
                        b",\n"
                    };
                    let end: &[u8] = if json_lines { b"\n" } else { b"" };
                    if let Err(e) = out
                        .write_all(sep)
                        .and_then(|_| out.write_all(json.as_bytes()))
                        .and_then(|_| out.write_all(end))
                    {
                        io_error = Some(e);
                        return Err(crate::Error::Query("writing the output failed".into()));
                    }
                    outcome.articles += 1;
                }
                Ok(Err(e)) => return Err(crate::Error::Query(format!("serialising: {e}"))),
                Err(e) => report_input_error(&e, &mut outcome),
            }
            Ok(())
        },
    )
    .map_err(|e| match io_error.take() {
        Some(io) => anyhow::Error::new(io),
        None => anyhow::Error::new(e),
    })?;
    if !json_lines {
        out.write_all(b"]\n")?;
    }
    out.flush()?;
    Ok(outcome)
}

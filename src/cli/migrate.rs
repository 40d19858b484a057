//! `conflictdb migrate`: bring the schema up to date, or show where it stands.

use super::{runtime, DbArgs, Outcome};
use crate::db::Db;
use crate::output::{write_table, TableFormat};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
#[command(after_help = "Migrations also run by themselves whenever a command opens the database.")]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub action: Option<MigrateAction>,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply pending migrations (the default).
    Run,
    /// List every migration and whether it is applied, without changing anything.
    Status {
        #[arg(long, value_enum, default_value_t)]
        format: TableFormat,
    },
}

pub fn run(args: &MigrateArgs) -> anyhow::Result<Outcome> {
    runtime()?.block_on(async {
        match &args.action {
            None | Some(MigrateAction::Run) => {
                let db = Db::connect_unmigrated(&args.db.database_url).await?;
                let n = db.migrate().await?;
                eprintln!(
                    "conflictdb: {n} migration(s) applied to {}; the schema is up to date",
                    db.url()
                );
                db.close().await;
            }
            Some(MigrateAction::Status { format }) => {
                let db = Db::connect_unmigrated(&args.db.database_url).await?;
                let t = db.migration_status().await?;
                write_table(&t, *format, &mut std::io::stdout().lock())?;
                db.close().await;
            }
        }
        Ok(Outcome::default())
    })
}

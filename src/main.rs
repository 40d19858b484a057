//! The `conflictdb` binary: parses the command line, runs it, maps the
//! outcome to an exit code (0 all good, 1 some inputs failed, 2 could not run).

fn main() -> std::process::ExitCode {
    conflictdb::cli::run()
}

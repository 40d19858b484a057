//! Running the pipeline over many inputs on every core, in input order.
//!
//! A reader thread reads and parses inputs (one at a time, streaming JSON
//! Lines) into chunks; each chunk is extracted in parallel (rayon); results
//! come back in the order of the inputs. Memory is bounded by a few chunks,
//! whatever the corpus size.

use crate::error::Result;
use crate::input::{discover, read_input, Overrides};
use crate::model::Article;
use rayon::prelude::*;
use std::sync::mpsc::sync_channel;

/// Articles per chunk: enough to keep both cores busy, small enough to stream.
pub const CHUNK: usize = 128;

/// Threads for extraction that give way to the others of the process: in
/// `ingest`, extraction fills both cores while the writer and SQLite's
/// thread, which every batch waits for, were left waiting for a core at
/// each hand-over (both cores: 159 % busy, storing 10 % slower). Their
/// priority is lowered (`nice` 10, Linux: per thread), which changes
/// nothing on an idle machine.
pub fn yielding_pool() -> std::result::Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("extract-{i}"))
        .start_handler(|_| lower_this_threads_priority())
        .build()
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // SAFETY: setpriority only reads its integer arguments; on Linux, `who`
    // 0 with PRIO_PROCESS is the calling thread. A failure leaves the
    // priority as it was, which is harmless.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

/// Every article of the inputs named on the command line, in order; a bad
/// input is an `Err` in its place.
pub fn articles<'a>(
    paths: &'a [String],
    overrides: &'a Overrides,
) -> impl Iterator<Item = Result<Article>> + Send + 'a {
    discover(paths).into_iter().flat_map(
        move |input| -> Box<dyn Iterator<Item = Result<Article>> + Send + 'a> {
            match input {
                Err(e) => Box::new(std::iter::once(Err(e))),
                Ok(i) => read_input(i, overrides),
            }
        },
    )
}

/// Runs `work` on every article in parallel and hands each result (or the
/// input's error) to `sink` in input order. `sink` returning an error stops
/// the run.
pub fn run_in_order<T, W, S>(
    articles: impl Iterator<Item = Result<Article>> + Send,
    work: W,
    mut sink: S,
) -> Result<()>
where
    T: Send,
    W: Fn(Article) -> T + Sync,
    S: FnMut(Result<T>) -> Result<()>,
{
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Vec<Result<Article>>>(2);
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            for a in articles {
                chunk.push(a);
                if chunk.len() == CHUNK
                    && tx
                        .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                        .is_err()
                {
                    return;
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(chunk);
            }
        });
        for chunk in rx {
            let results: Vec<Result<T>> = chunk.into_par_iter().map(|a| a.map(&work)).collect();
            for r in results {
                sink(r)?;
            }
        }
        Ok(())
    })
}

//! conflictdb: turn news articles about armed conflict into a normalised,
//! queryable database of events, places, armed groups, sources and casualty
//! figures, every fact traceable to the sentence it was read from.
//!
//! The pipeline (see `DESIGN.md` of the project):
//! [`input`] reads files into [`model::Article`]s; [`pipeline::extract`]
//! turns an article into a [`model::Extraction`] using the embedded
//! [`knowledge::Knowledge`]; [`db`] stores extractions and runs reports.

pub mod batch;
pub mod chart;
pub mod cli;
pub mod db;
pub mod error;
pub mod html_map;
pub mod input;
pub mod knowledge;
pub mod merge;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod text;

pub use error::{Error, Result};

/// Version of the extraction rules, stored with every ingested article.
pub const EXTRACTOR_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+rules.1");

//! Embeds every reference-data file under `data/` into the binary, so that
//! `conflictdb` runs anywhere without its source tree, and the data's content
//! hash (stored in the database) changes whenever a file does.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    // A file added to a sub-folder changes that folder, not its parents.
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "tsv") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let data = root.join("data");
    let samples = root.join("samples");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=samples");
    // sqlx::migrate! embeds migrations/ at compile time; without this a new
    // migration file is missed by an incremental build.
    println!("cargo:rerun-if-changed=migrations");
    let mut files = Vec::new();
    collect(&data, &mut files);
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let mut f = fs::File::create(out).unwrap();
    writeln!(
        f,
        "/// Reference-data files: (path relative to data/, contents)."
    )
    .unwrap();
    writeln!(f, "pub static DATA_FILES: &[(&str, &str)] = &[").unwrap();
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let rel = p
            .strip_prefix(&data)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            f,
            "    ({:?}, include_str!({:?})),",
            rel,
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
    let mut sample_files = Vec::new();
    if let Ok(entries) = fs::read_dir(&samples) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file()
                && p.extension()
                    .is_some_and(|x| x == "txt" || x == "json" || x == "html" || x == "jsonl")
            {
                sample_files.push(p);
            }
        }
    }
    sample_files.sort();
    writeln!(f, "/// Bundled example articles: (file name, contents).").unwrap();
    writeln!(f, "pub static SAMPLE_ARTICLES: &[(&str, &str)] = &[").unwrap();
    for p in &sample_files {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        writeln!(
            f,
            "    ({:?}, include_str!({:?})),",
            name,
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}

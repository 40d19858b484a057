//! Times loading the embedded knowledge (a development aid).
fn main() {
    let t = std::time::Instant::now();
    let k = conflictdb::knowledge::Knowledge::load(conflictdb::knowledge::DATA_FILES).unwrap();
    eprintln!(
        "load: {:?} ({} places, {} groups, {} sources)",
        t.elapsed(),
        k.places.len(),
        k.groups.len(),
        k.sources.len()
    );
    let aliases: usize = k.places.iter().map(|p| p.aliases.len()).sum();
    eprintln!("place aliases: {aliases}");
}

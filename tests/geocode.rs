//! Geocoding coverage: the gazetteer must put the places conflict coders
//! code where they are. The check lists in tests/data/ were compiled
//! independently of data/places (see tests/data/README.md).

use conflictdb::knowledge::Knowledge;

/// Great-circle distance in km.
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

struct Check {
    name: String,
    country: String,
    point: (f64, f64),
}

fn load(file: &str) -> Vec<Check> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Check {
                name: c[0].to_string(),
                country: c[1].to_string(),
                point: (c[2].parse().unwrap(), c[3].parse().unwrap()),
            }
        })
        .collect()
}

/// Share of places geocoded within `radius` km, and the misses.
fn coverage(checks: &[Check], radius: f64) -> (f64, Vec<String>) {
    let k = Knowledge::embedded().unwrap();
    let mut misses = Vec::new();
    for c in checks {
        let found = k.geocode(&c.name, Some(&c.country)).map(|p| &k.places[p]);
        match found.and_then(|p| Some((p.lat?, p.lon?, p))) {
            Some((lat, lon, p)) => {
                let d = km((lat, lon), c.point);
                if d > radius {
                    misses.push(format!(
                        "{} ({}): {} is {:.1} km away",
                        c.name, c.country, p.name, d
                    ));
                }
            }
            None => misses.push(format!("{} ({}): not found", c.name, c.country)),
        }
    }
    let share = 1.0 - misses.len() as f64 / checks.len() as f64;
    (share, misses)
}

#[test]
fn places_coders_code_are_within_25_km() {
    let checks = load("geocode_check.tsv");
    assert!(checks.len() >= 300);
    let (share, misses) = coverage(&checks, 25.0);
    eprintln!(
        "{:.1}% of {} places within 25 km; misses:\n{}",
        share * 100.0,
        checks.len(),
        misses.join("\n")
    );
    assert!(share >= 0.85, "only {:.1}% within 25 km", share * 100.0);
}

#[test]
fn aleppo_neighbourhoods_are_within_3_km() {
    let checks = load("aleppo_neighbourhoods_check.tsv");
    assert!(checks.len() >= 40);
    let (share, misses) = coverage(&checks, 3.0);
    eprintln!(
        "{:.1}% of {} neighbourhoods within 3 km; misses:\n{}",
        share * 100.0,
        checks.len(),
        misses.join("\n")
    );
    assert!(share >= 0.90, "only {:.1}% within 3 km", share * 100.0);
}

#[test]
fn every_place_of_the_dev_gold_resolves() {
    // Places the dev set's coders required, as written in the articles.
    let k = Knowledge::embedded().unwrap();
    let names = [
        ("Alep", "SY"),
        ("caserne Hanano", "SY"),
        ("Mayçaloune", "SY"),
        ("Sayed Ali", "SY"),
        ("al-Maïdane", "SY"),
        ("Aziziyyé", "SY"),
        ("Jamiliyyé", "SY"),
        ("Alep al-Jadidé", "SY"),
        ("seïf el-dawlé", "SY"),
        ("Mokambo", "SY"),
        ("Homs", "SY"),
        ("Soukhna", "SY"),
        ("Deir Ezzor", "SY"),
        ("Daraa", "SY"),
        ("Damas", "SY"),
        ("Harasta", "SY"),
        ("Bab Touma", "SY"),
        ("Tartous", "SY"),
        ("Jabléh", "SY"),
        ("al-Qusayr", "SY"),
        ("Ersal", "LB"),
        ("Tripoli", "LB"),
        ("Bab al-Tabbaneh", "LB"),
        ("Jabal Mohsen", "LB"),
        ("Mossoul", "IQ"),
        ("Taëz", "YE"),
        ("Jérusalem", "IL"),
        ("Sderot", "IL"),
    ];
    let missing: Vec<&str> = names
        .iter()
        .filter(|(n, c)| k.geocode(n, Some(c)).is_none())
        .map(|(n, _)| *n)
        .collect();
    assert!(missing.is_empty(), "not in the gazetteer: {missing:?}");
}

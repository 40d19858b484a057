//! The binary as a user runs it: on the bundled articles, against a
//! temporary SQLite file (never a developer's own database).

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_conflictdb");

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn sample(name: &str) -> String {
    samples().join(name).to_str().unwrap().to_string()
}

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("test.db").display())
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p.to_str().unwrap().to_string()
    }

    /// Runs the binary in the sandbox against its own database; no DATABASE_URL leaks in.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .args(args);
        if !matches!(args.first(), Some(&"extract")) && !args.contains(&"--list") {
            cmd.arg("--database-url").arg(self.url());
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
        stdout(&out)
    }

    fn query(&self, sql: &str) -> Vec<Value> {
        let out = self.ok(&["query", sql, "--format", "json"]);
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn scalar(&self, sql: &str) -> Value {
        let rows = self.query(sql);
        rows[0]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .clone()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn extract(path: &str) -> Value {
    let out = Command::new(BIN).args(["extract", path]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap()
}

/// (kind, count, qualifier, category) of every figure that is not a restatement.
fn figures(x: &Value) -> Vec<(String, Option<u64>, String, String)> {
    x["casualties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("duplicate_of").is_none())
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (
                s("kind"),
                c["count"].as_u64(),
                s("qualifier"),
                s("category"),
            )
        })
        .collect()
}

#[test]
fn extract_reads_the_reference_article() {
    let x = extract(&sample("almanar-hanano.txt"));
    assert_eq!(x["article"]["published"], "2024-04-26T02:48:00+03:00");
    assert_eq!(x["article"]["language"], "fr");
    let f = figures(&x);
    for (kind, count, qualifier, category) in [
        ("killed", 50, "exact", "civilian"),
        ("wounded", 200, "more_than", "civilian"),
        ("killed", 150, "at_least", "combatant"),
        ("killed", 5, "exact", "security_forces"),
        ("killed", 6, "exact", "unknown"),
    ] {
        assert!(
            f.iter().any(|(k, c, q, cat)| k == kind
                && *c == Some(count)
                && q == qualifier
                && cat == category),
            "{kind} {count} {qualifier} {category} missing from {f:?}"
        );
    }
    // "trois explosions", "des centaines de miliciens", "les 14 qui ont photographiés" are not figures.
    assert!(
        !f.iter().any(|(_, c, _, _)| matches!(c, Some(3) | Some(14))),
        "{f:?}"
    );
    let canonical: Vec<&str> = x["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["canonical"].as_str().unwrap())
        .collect();
    for place in ["Aleppo", "Hanano Barracks", "Saif al-Dawla", "Maysaloun"] {
        assert!(
            canonical.contains(&place),
            "{place} missing from {canonical:?}"
        );
    }
    let types: Vec<&str> = x["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"battles") && types.contains(&"explosions_remote_violence"),
        "{types:?}"
    );
    let sources: Vec<&str> = x["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["canonical"].as_str().unwrap())
        .collect();
    for s in ["As-Safir", "Al-Akhbar (Lebanon)", "Tahtel-mijhar"] {
        assert!(sources.contains(&s), "{s} missing from {sources:?}");
    }
}

#[test]
fn spans_point_at_the_words_they_stand_for() {
    let path = sample("almanar-hanano.txt");
    let x = extract(&path);
    // The text spans index into: the title, a blank line, the body (header and repeated title dropped).
    let raw = std::fs::read_to_string(&path).unwrap();
    let title = x["article"]["title"].as_str().unwrap();
    let body = raw[raw.find("Ce fut").unwrap()..].trim();
    let text: Vec<char> = format!("{title}\n\n{body}").chars().collect();
    assert_eq!(
        text.len() as u64,
        x["article"]["text_chars"].as_u64().unwrap()
    );
    let at = |s: &Value| -> String {
        text[s[0].as_u64().unwrap() as usize..s[1].as_u64().unwrap() as usize]
            .iter()
            .collect()
    };
    for l in x["locations"].as_array().unwrap() {
        if let Some(first) = l["spans"].as_array().unwrap().first() {
            assert_eq!(at(first), l["name"].as_str().unwrap());
        }
    }
    for c in x["casualties"].as_array().unwrap() {
        let words = at(&c["span"]);
        let sentence = at(&c["sentence"]);
        assert!(sentence.contains(&words), "{words:?} not in {sentence:?}");
        if let Some(n) = c["count"].as_u64() {
            let written = words.to_lowercase();
            let as_word = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six"]
                .get(n as usize)
                .copied()
                .unwrap_or("");
            assert!(
                written.contains(&n.to_string())
                    || (!as_word.is_empty() && written.contains(as_word))
                    || n == 0,
                "{n} not written in {words:?}"
            );
        }
    }
}

#[test]
fn every_input_format_reads() {
    let html = extract(&sample("en-mosul-roadside-bomb.html"));
    assert_eq!(html["article"]["published"], "2018-10-04T09:30:00+03:00");
    assert_eq!(
        html["article"]["title"],
        "Roadside bomb kills three Iraqi soldiers near Mosul"
    );
    assert!(figures(&html).contains(&(
        "killed".into(),
        Some(3),
        "exact".into(),
        "security_forces".into()
    )));
    assert!(figures(&html)
        .iter()
        .any(|f| f.0 == "arrested" && f.1 == Some(5)));
    // The script and the navigation are not the article.
    assert!(!html["locations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["canonical"] == "Syria"));

    let json = extract(&sample("fr-benghazi-voiture-piegee.json"));
    assert_eq!(json["article"]["published"], "2017-08-23T18:40:00+00:00");
    assert!(figures(&json)
        .iter()
        .any(|f| f.0 == "kidnapped" && f.1 == Some(2)));

    let txt = extract(&sample("en-gaza-air-strike.txt"));
    assert_eq!(
        txt["article"]["title"],
        "Air strike kills family of five in Gaza"
    );
    assert!(txt["article"]["published"].is_null());
    // No publication date: "Sunday" cannot be resolved, and no date is invented.
    assert!(txt["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["date"].is_null()));
}

#[test]
fn json_lines_and_standard_input() {
    let sb = Sandbox::new();
    let feed = sb.write(
        "feed.jsonl",
        "{\"title\":\"Clashes in Homs\",\"maintext\":\"Five soldiers were killed in clashes in Homs.\"}\n\n{\"title\":\"Shelling in Idlib\",\"maintext\":\"Two children were wounded by shelling in Idlib.\"}\n",
    );
    let out = sb.run(&["extract", &feed]);
    assert!(out.status.success(), "{}", stderr(&out));
    let inputs: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["input"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(inputs, vec![format!("{feed}:1"), format!("{feed}:3")]);

    let mut child = sb
        .cmd(&[
            "extract",
            "-",
            "--published",
            "2024-04-26T02:48:00+03:00",
            "--language",
            "fr",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Bilan\n\nCinq soldats ont été tués jeudi à Alep.".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let x: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(x["input"], "-");
    assert_eq!(x["events"][0]["date"], "2024-04-25");
}

#[test]
fn a_folder_is_read_recursively_in_order() {
    let sb = Sandbox::new();
    sb.write("in/b.txt", "Second\n\nTrois civils ont été tués à Homs.");
    sb.write(
        "in/a/first.txt",
        "First\n\nDeux soldats ont été blessés à Hama.",
    );
    sb.write("in/notes.md", "not an article");
    let out = sb.ok(&["extract", "in"]);
    let inputs: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["input"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(inputs, vec!["in/a/first.txt", "in/b.txt"]);
}

#[test]
fn ingesting_twice_is_a_no_op_and_force_replaces() {
    let sb = Sandbox::new();
    let hanano = sample("almanar-hanano.txt");
    let first = sb.run(&["ingest", &hanano]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("1 new"), "{}", stderr(&first));
    // The summary ends with the phases; only an empty database defers its
    // indexes, so only the first ingest has an indexing phase.
    let phases = |o: &Output| {
        let err = stderr(o);
        let took = err
            .rsplit_once("; took ")
            .map(|(_, t)| t.trim().to_string());
        took.unwrap_or_else(|| panic!("no phases in {err}"))
    };
    let took = phases(&first);
    assert!(
        took.contains(" s (extracting and storing ")
            && took.contains(" s, indexing ")
            && took.ends_with(" s)"),
        "{took}"
    );
    let counts = |sb: &Sandbox| {
        (
            sb.scalar("SELECT count(*) FROM articles"),
            sb.scalar("SELECT count(*) FROM events"),
            sb.scalar("SELECT count(*) FROM casualty_figures"),
        )
    };
    let before = counts(&sb);
    let second = sb.run(&["ingest", &hanano]);
    assert!(
        stderr(&second).contains("0 new, 1 unchanged"),
        "{}",
        stderr(&second)
    );
    assert_eq!(counts(&sb), before);
    assert!(!phases(&second).contains("indexing"), "{}", phases(&second));
    let forced = sb.run(&["ingest", "--force", &hanano]);
    assert!(
        stderr(&forced).contains("1 replaced"),
        "{}",
        stderr(&forced)
    );
    assert_eq!(counts(&sb), before);
}

#[test]
fn a_bad_input_beside_good_ones_is_named_and_the_others_go_in() {
    let sb = Sandbox::new();
    let bad = sb.write("bad.json", "{\"title\": \"unterminated");
    let feed = sb.write(
        "feed.jsonl",
        "{\"title\":\"Homs\",\"maintext\":\"Five soldiers were killed in Homs.\"}\n{not json}\n",
    );
    let out = sb.run(&[
        "ingest",
        &sample("almanar-hanano.txt"),
        &bad,
        &feed,
        "missing.txt",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("{bad}: malformed JSON")), "{err}");
    assert!(err.contains(&format!("{feed}:2: malformed JSON")), "{err}");
    assert!(err.contains("missing.txt"), "{err}");
    assert_eq!(sb.scalar("SELECT count(*) FROM articles"), 2);
}

#[test]
fn every_report_runs_in_every_format() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", samples().to_str().unwrap()]);
    let list = sb.ok(&["report", "--list", "--format", "csv"]);
    let names: Vec<&str> = list
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    for required in [
        "summary",
        "casualties-by-location",
        "casualties-by-month",
        "events-by-type",
        "events-by-group",
        "sources",
        "timeline",
        "top-events",
        "groups",
        "precision",
    ] {
        assert!(names.contains(&required), "{required} not in {names:?}");
    }
    for name in &names {
        for format in ["table", "csv", "json", "markdown"] {
            let out = sb.ok(&["report", name, "--format", format]);
            assert!(!out.trim().is_empty(), "{name} {format} printed nothing");
        }
    }
    let unknown = sb.run(&["report", "no-such-report"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("report --list"));
}

#[test]
fn totals_count_each_event_once() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", &sample("almanar-hanano.txt")]);
    let summary: Value =
        serde_json::from_str(&sb.ok(&["report", "summary", "--format", "json"])).unwrap();
    let killed = summary[0]["killed"].as_i64().unwrap();
    // 150 fighters + 5 soldiers + 50 civilians (stated twice) + 6 young men.
    assert_eq!(killed, 211);
    let sum_of_events = sb
        .scalar("SELECT sum(fatalities_best) FROM incidents")
        .as_i64()
        .unwrap();
    assert_eq!(killed, sum_of_events);
    let sum_of_figures = sb
        .scalar("SELECT sum(count) FROM casualty_figures WHERE kind = 'killed'")
        .as_i64()
        .unwrap();
    assert!(
        sum_of_figures > killed,
        "restated figures must not be added up"
    );
}

#[test]
fn report_filters_are_bound_parameters() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", samples().to_str().unwrap()]);
    let json = |args: &[&str]| -> Vec<Value> {
        serde_json::from_str::<Value>(&sb.ok(args))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let all = json(&["report", "summary", "--format", "json"]);
    let aleppo = json(&[
        "report",
        "summary",
        "--format",
        "json",
        "--location",
        "Alep",
    ]);
    // Aleppo's neighbourhoods and barracks are inside Aleppo.
    assert_eq!(aleppo[0]["killed"], 211);
    assert!(all[0]["killed"].as_i64() > aleppo[0]["killed"].as_i64());
    let syria = json(&["report", "summary", "--format", "json", "--country", "sy"]);
    assert!(syria[0]["events"].as_i64().unwrap() >= 3);
    let dated = json(&[
        "report",
        "summary",
        "--format",
        "json",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    ]);
    assert_eq!(dated[0]["killed"], 211);
    let quoted = json(&[
        "report",
        "summary",
        "--format",
        "json",
        "--location",
        "Alep' OR '1'='1",
    ]);
    assert_eq!(quoted[0]["events"], 0);
    let group = json(&[
        "report",
        "events-by-group",
        "--format",
        "json",
        "--group",
        "Front al-Nosra",
    ]);
    assert!(
        group.iter().any(|r| r["group"] == "Jabhat al-Nusra"),
        "{group:?}"
    );
    let bad_date = sb.run(&["report", "summary", "--from", "yesterday"]);
    assert_eq!(bad_date.status.code(), Some(2));
}

#[test]
fn query_is_read_only() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", &sample("almanar-hanano.txt")]);
    for sql in [
        "DELETE FROM events",
        "INSERT INTO meta VALUES ('a', 'b')",
        "DROP TABLE events",
        "ATTACH 'other.db' AS o",
        "SELECT load_extension('mod_spatialite')",
        "VACUUM INTO 'copy.db'",
        "PRAGMA query_only = OFF; DELETE FROM events",
    ] {
        let out = sb.run(&["query", sql]);
        assert_eq!(out.status.code(), Some(2), "{sql} was not refused");
        assert!(
            stderr(&out).contains("refused") || stderr(&out).contains("SQL error"),
            "{sql}: {}",
            stderr(&out)
        );
    }
    assert!(sb.scalar("SELECT count(*) FROM events").as_i64().unwrap() > 0);
    assert!(!sb.dir.path().join("other.db").exists() && !sb.dir.path().join("copy.db").exists());
    // The views make the usual questions one line.
    let rows =
        sb.query("SELECT wording, source, evidence FROM figure_view WHERE source = 'As-Safir'");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["evidence"]
        .as_str()
        .unwrap()
        .contains(r["wording"].as_str().unwrap())));
    let sql_file = sb.write(
        "q.sql",
        "SELECT type, location, killed FROM event_view ORDER BY killed DESC",
    );
    let csv = sb.ok(&["query", "--file", &sql_file, "--format", "csv"]);
    assert!(csv.starts_with("type,location,killed\n"), "{csv}");
}

#[test]
fn migrations_run_on_an_empty_database_and_report_their_status() {
    let sb = Sandbox::new();
    let status = sb.ok(&["migrate", "status", "--format", "csv"]);
    assert!(status.contains(",no,"), "{status}");
    let out = sb.run(&["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let status = sb.ok(&["migrate", "status", "--format", "csv"]);
    assert!(
        status.contains(",yes,") && !status.contains(",no,"),
        "{status}"
    );
    // The reference data is loaded with the schema.
    assert!(
        sb.scalar("SELECT count(*) FROM locations WHERE from_reference = 1")
            .as_i64()
            .unwrap()
            > 1000
    );
    assert!(
        sb.scalar("SELECT count(*) FROM groups WHERE ref_key = 'jabhat-al-nusra'")
            .as_i64()
            .unwrap()
            == 1
    );
}

#[test]
fn the_database_url_comes_from_the_environment_or_the_default() {
    let sb = Sandbox::new();
    let out = Command::new(BIN)
        .current_dir(sb.dir.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", sb.dir.path().join("env.db").display()),
        )
        .args(["migrate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sb.dir.path().join("env.db").exists());
    let out = Command::new(BIN)
        .current_dir(sb.dir.path())
        .env_remove("DATABASE_URL")
        .args(["migrate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sb.dir.path().join("conflict.db").exists());
}

#[test]
fn demo_ingests_the_bundled_articles_and_reports() {
    let sb = Sandbox::new();
    let out = sb.run(&["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("summary:") && stdout(&out).contains("casualties-by-location:"));
    assert!(stderr(&out).contains("5 new"), "{}", stderr(&out));
    assert_eq!(sb.scalar("SELECT count(*) FROM articles"), 5);
}

#[test]
fn help_teaches() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = stdout(&out);
    for cmd in ["demo", "ingest", "extract", "report", "query", "migrate"] {
        assert!(help.contains(cmd), "{cmd} missing from --help");
    }
    let out = Command::new(BIN)
        .args(["report", "--help"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("Examples:"));
}

/// The reports are written for speed (covering indexes, denormalised
/// per-group figures, filters skipped when none is given): they must agree
/// with the plain SQL they replace, and a filter that keeps every event must
/// change nothing.
#[test]
fn fast_reports_agree_with_plain_sql_and_with_their_filtered_path() {
    let sb = Sandbox::new();
    // One sample has no date of its own; a publication date dates all events.
    sb.ok(&[
        "ingest",
        "--published",
        "2024-05-01",
        samples().to_str().unwrap(),
    ]);
    let rows = |args: &[&str]| -> Value { serde_json::from_str(&sb.ok(args)).unwrap() };
    let by_group = rows(&["report", "events-by-group", "--format", "json"]);
    let plain = rows(&[
        "query",
        "--format",
        "json",
        "SELECT g.name AS \"group\", g.kind, g.side, count(*) AS events, \
         coalesce(sum(e.fatalities_best), 0) AS killed \
         FROM (SELECT DISTINCT incident_id, group_id FROM incident_actors) ea \
         JOIN incidents e ON e.id = ea.incident_id JOIN groups g ON g.id = ea.group_id \
         GROUP BY g.id ORDER BY events DESC, killed DESC, \"group\"",
    ]);
    assert!(by_group.as_array().unwrap().len() >= 3, "{by_group}");
    assert_eq!(by_group, plain);

    assert_eq!(
        sb.scalar("SELECT count(*) FROM events WHERE event_date IS NULL"),
        0,
        "every sample event is dated, so a date filter from year 1 keeps them all"
    );
    let list = sb.ok(&["report", "--list", "--format", "csv"]);
    for name in list.lines().skip(1).map(|l| l.split(',').next().unwrap()) {
        let all = rows(&["report", name, "--format", "json"]);
        let filtered = rows(&["report", name, "--format", "json", "--from", "0001-01-01"]);
        assert_eq!(all, filtered, "{name}");
    }
}

#[test]
fn exports_in_acled_ucdp_geojson_csv_and_jsonl_agree_with_the_reports() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", samples().to_str().unwrap()]);
    let summary: Value =
        serde_json::from_str(&sb.ok(&["report", "summary", "--format", "json"])).unwrap();
    let events = summary[0]["events"].as_i64().unwrap() as usize;
    let killed = summary[0]["killed"].as_i64().unwrap();
    let read_csv =
        |format: &str, extra: &[&str]| -> Vec<std::collections::HashMap<String, String>> {
            let mut args = vec!["export", "--format", format];
            args.extend_from_slice(extra);
            let out = sb.ok(&args);
            let mut r = csv::Reader::from_reader(out.as_bytes());
            let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
            r.records()
                .map(|rec| {
                    header
                        .iter()
                        .cloned()
                        .zip(rec.unwrap().iter().map(String::from))
                        .collect()
                })
                .collect()
        };
    let sum = |rows: &[std::collections::HashMap<String, String>], col: &str| -> i64 {
        rows.iter()
            .map(|r| r[col].parse::<i64>().unwrap_or(0))
            .sum()
    };

    let acled = read_csv("acled", &[]);
    assert_eq!(acled.len(), events);
    assert_eq!(sum(&acled, "fatalities"), killed);
    assert!(acled
        .iter()
        .any(|r| r["event_type"] == "Explosions/Remote violence"
            && r["sub_event_type"] == "Air/drone strike"
            && r["country"] == "Palestine"));
    for r in acled.iter().filter(|r| !r["fatalities_low"].is_empty()) {
        let low: i64 = r["fatalities_low"].parse().unwrap();
        assert!(low <= r["fatalities"].parse::<i64>().unwrap(), "{r:?}");
    }

    let ucdp = read_csv("ucdp", &[]);
    assert_eq!(sum(&ucdp, "best"), killed);
    for r in &ucdp {
        let parts = ["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]
            .iter()
            .map(|c| r[*c].parse::<i64>().unwrap())
            .sum::<i64>();
        assert!(parts >= r["best"].parse::<i64>().unwrap(), "{r:?}");
    }

    let syria = read_csv("csv", &["--country", "SY"]);
    assert!(!syria.is_empty() && syria.len() < events);
    assert!(syria.iter().all(|r| r["country"] == "SY"));
    assert!(read_csv("csv", &["--location", "Alep' OR '1'='1"]).is_empty());

    let lines = sb.ok(&["export", "--format", "jsonl"]);
    let objects: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), events);
    assert!(objects
        .iter()
        .all(|o| o["notes"].as_str().is_some_and(|n| !n.is_empty())));

    let path = sb.dir.path().join("events.geojson");
    sb.ok(&[
        "export",
        "--format",
        "geojson",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(!sb.dir.path().join("events.geojson.partial").exists());
    let geo: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().unwrap();
    let located = objects.iter().filter(|o| o["lat"].is_number()).count();
    assert_eq!(features.len(), located);
    for f in features {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        assert_eq!(f["properties"]["lat"].as_f64(), Some(lat));
    }
}

fn incident_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incidents")
}

/// Each incident: its articles (file names, sorted) and its figures.
fn incidents_by_articles(sb: &Sandbox) -> Vec<(Vec<String>, Value, Value, Value, Value)> {
    let rows = sb.query(
        "SELECT i.id, i.fatalities_best AS best, i.fatalities_low AS low, i.fatalities_high AS high, \
         i.fatalities_conservative AS conservative, \
         (SELECT group_concat(input, '|') FROM (SELECT DISTINCT a.input FROM events e \
            JOIN articles a ON a.id = e.article_id WHERE e.incident_id = i.id ORDER BY a.input)) AS inputs \
         FROM incidents i ORDER BY inputs, i.event_date",
    );
    let mut out: Vec<_> = rows
        .iter()
        .map(|r| {
            let mut names: Vec<String> = r["inputs"]
                .as_str()
                .unwrap()
                .split('|')
                .map(|p| {
                    Path::new(p)
                        .file_name()
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            names.sort();
            (
                names,
                r["best"].clone(),
                r["low"].clone(),
                r["high"].clone(),
                r["conservative"].clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out
}

/// The hand-counted incidents of tests/fixtures/incidents (expected.gold.json).
fn hand_counts() -> Value {
    let text = std::fs::read_to_string(incident_fixtures().join("expected.gold.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn articles_on_the_same_incident_become_one_event_with_the_hand_counted_figures() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", incident_fixtures().to_str().unwrap()]);
    let found = incidents_by_articles(&sb);
    let gold = hand_counts();
    let hand = |name_part: &str| -> &Value {
        gold["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"].as_str().unwrap().contains(name_part))
            .unwrap()
    };
    let articles = |i: &Value| -> Vec<String> {
        let mut v: Vec<String> = i["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    // Each incident (2-4 outlets, EN+FR, neighbourhood and city named, an
    // undated funeral piece, a range, a median) is one event with every one
    // of its articles, with UCDP-style low/best/high and ACLED's
    // conservative figure as counted by hand.
    for name in ["Shuja'iyya", "Sadr City", "Ariha", "Souq al-Juma"] {
        let h = hand(name);
        let expected = articles(h);
        let event = found
            .iter()
            .find(|f| expected.iter().all(|a| f.0.contains(a)))
            .unwrap_or_else(|| panic!("{name}: no event with {expected:?} in {found:#?}"));
        assert_eq!(event.1, h["killed_best"], "{name} best");
        assert_eq!(event.2, h["killed_low"], "{name} low");
        assert_eq!(event.3, h["killed_high"], "{name} high");
        assert_eq!(event.4, h["killed_conservative"], "{name} conservative");
    }
    // The corpus totals are the hand-counted ones.
    let totals = &gold["totals"];
    assert_eq!(
        sb.scalar("SELECT sum(fatalities_best) FROM incidents"),
        totals["killed_best"].as_i64().unwrap()
    );
    assert_eq!(
        sb.scalar("SELECT sum(fatalities_conservative) FROM incidents"),
        totals["killed_conservative"].as_i64().unwrap()
    );
    assert_eq!(
        // (Figureless background events two articles share, such as the
        // general strike both Gaza pieces mention, may merge too.)
        sb.scalar(
            "SELECT count(*) FROM incidents WHERE articles >= 2 AND fatalities_best IS NOT NULL"
        ),
        totals["events_with_two_or_more_articles"].as_i64().unwrap()
    );
    let gaza = hand("Shuja'iyya");
    assert!(found
        .iter()
        .any(|f| f.1 == gaza["killed_best"] && f.3 == gaza["killed_high"]));
    // Ariha: the three reports of Monday's shelling are one event; RFI's
    // article gives Thursday's strike, a different incident.
    let ariha = hand("Ariha");
    let monday = found
        .iter()
        .find(|f| f.1 == ariha["killed_best"] && f.0.len() >= 3)
        .unwrap_or_else(|| panic!("no Ariha event in {found:#?}"));
    assert_eq!(
        (&monday.2, &monday.3, &monday.4),
        (
            &ariha["killed_low"],
            &ariha["killed_high"],
            &ariha["killed_conservative"]
        )
    );
    // What must stay apart: the protest in Baghdad the same day, the
    // strike in another town of Idlib the same day.
    for sep in gold["separate"].as_array().unwrap() {
        let own = sep["articles"][0].as_str().unwrap();
        let others: Vec<&str> = sep["articles"].as_array().unwrap()[1..]
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        if own.contains("rfi-idlib") {
            continue; // its background paragraph is rightly part of Monday's event
        }
        for f in found.iter().filter(|f| f.0.iter().any(|a| a == own)) {
            assert!(
                !others.iter().any(|o| f.0.iter().any(|a| a == o)),
                "{own} merged with {:?}: {}",
                f.0,
                sep["why"]
            );
        }
    }
    // Every article event is in exactly one event: nothing counted twice.
    assert_eq!(
        sb.scalar("SELECT count(*) FROM events WHERE incident_id IS NULL"),
        0
    );
    assert_eq!(
        sb.scalar("SELECT count(*) FROM events"),
        sb.scalar("SELECT sum(reports) FROM incidents")
    );
    let summary: Value =
        serde_json::from_str(&sb.ok(&["report", "summary", "--format", "json"])).unwrap();
    assert_eq!(
        summary[0]["killed"],
        sb.scalar("SELECT sum(fatalities_best) FROM incidents")
    );
    assert!(summary[0]["events"].as_i64() < summary[0]["reports"].as_i64());
    let conservative: Value = serde_json::from_str(&sb.ok(&[
        "report",
        "summary",
        "--format",
        "json",
        "--fatalities",
        "conservative",
    ]))
    .unwrap();
    assert!(conservative[0]["killed"].as_i64() < summary[0]["killed"].as_i64());
}

#[test]
fn ingest_order_and_reingesting_do_not_change_the_events() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(incident_fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_str().unwrap().ends_with(".gold.json")
        })
        .collect();
    files.sort();
    let forward = Sandbox::new();
    forward.ok(&["ingest", incident_fixtures().to_str().unwrap()]);
    // One article at a time, in reverse: each ingest merges with what is there.
    let backward = Sandbox::new();
    for f in files.iter().rev() {
        backward.ok(&["ingest", f.to_str().unwrap()]);
    }
    let report = |sb: &Sandbox, name: &str| sb.ok(&["report", name, "--format", "csv"]);
    assert_eq!(
        incidents_by_articles(&forward),
        incidents_by_articles(&backward)
    );
    for name in [
        "casualties-by-location",
        "timeline",
        "events-by-type",
        "groups",
    ] {
        assert_eq!(report(&forward, name), report(&backward, name), "{name}");
    }
    // Extracting and storing everything again gives the same events.
    forward.ok(&["ingest", "--force", incident_fixtures().to_str().unwrap()]);
    assert_eq!(
        incidents_by_articles(&forward),
        incidents_by_articles(&backward)
    );
    assert_eq!(report(&forward, "summary"), report(&backward, "summary"));
}

#[test]
fn show_explains_a_merge_and_unmerge_lasts_through_reingesting() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", incident_fixtures().to_str().unwrap()]);
    let biggest = sb.query("SELECT id FROM incidents ORDER BY reports DESC, id LIMIT 1");
    let id = biggest[0]["id"].as_i64().unwrap().to_string();
    let text = sb.ok(&["show", "event", &id]);
    let reports = sb.query(&format!(
        "SELECT e.id, a.outlet_name, e.merged_with FROM events e JOIN articles a ON a.id = e.article_id \
         WHERE e.incident_id = {id} ORDER BY e.id"
    ));
    assert!(reports.len() >= 3, "{reports:?}");
    for r in &reports {
        assert!(text.contains(&format!("Report {}", r["id"])), "{text}");
        if let Some(o) = r["outlet_name"].as_str() {
            assert!(text.contains(o), "{o} missing from {text}");
        }
    }
    assert!(
        text.contains("merged with report") && text.contains("evidence:"),
        "{text}"
    );
    let json: Value =
        serde_json::from_str(&sb.ok(&["show", "event", &id, "--format", "json"])).unwrap();
    assert_eq!(json["reports"].as_array().unwrap().len(), reports.len());
    let article = reports[0]["id"].as_i64().unwrap();
    let article_id = sb.scalar(&format!(
        "SELECT article_id FROM events WHERE id = {article}"
    ));
    assert!(sb
        .ok(&["show", "article", &article_id.to_string()])
        .contains(&format!("Report {article}")));

    // Take the last report out; it stays out after everything is re-extracted.
    let last = reports.last().unwrap()["id"].as_i64().unwrap().to_string();
    let before = sb
        .scalar("SELECT count(*) FROM incidents")
        .as_i64()
        .unwrap();
    sb.ok(&["unmerge", &last]);
    let after = sb
        .scalar("SELECT count(*) FROM incidents")
        .as_i64()
        .unwrap();
    assert_eq!(after, before + 1);
    assert_eq!(
        sb.scalar(&format!("SELECT incident_id FROM events WHERE id = {last}")),
        last.parse::<i64>().unwrap()
    );
    sb.ok(&["ingest", "--force", incident_fixtures().to_str().unwrap()]);
    assert_eq!(
        sb.scalar("SELECT count(*) FROM incidents")
            .as_i64()
            .unwrap(),
        after
    );
    assert_eq!(
        sb.scalar("SELECT count(*) FROM merge_decisions")
            .as_i64()
            .unwrap() as usize,
        reports.len() - 1
    );
    let missing = sb.run(&["show", "event", "999999"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("event 999999 is not in the database"));
}

#[test]
fn new_filters_are_bound_and_charts_and_the_map_render() {
    let sb = Sandbox::new();
    sb.ok(&["ingest", incident_fixtures().to_str().unwrap()]);
    let rows = |args: &[&str]| -> Vec<Value> {
        let mut a = vec!["report"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--format", "json"]);
        serde_json::from_str::<Value>(&sb.ok(&a))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let all = rows(&["summary"])[0]["events"].as_i64().unwrap();
    let protests = rows(&["summary", "--type", "protests"])[0]["events"]
        .as_i64()
        .unwrap();
    assert!(protests >= 1 && protests < all);
    let civilians = rows(&["summary", "--category", "civilian"])[0]["events"]
        .as_i64()
        .unwrap();
    assert!(civilians >= 1 && civilians < all);
    assert_eq!(
        rows(&["summary", "--source", "Reuters' OR '1'='1"])[0]["events"],
        0
    );
    let weeks = rows(&["timeline", "--by", "week"]);
    assert!(
        weeks.iter().all(|w| {
            let p = w["period"].as_str().unwrap();
            chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d")
                .map(|d| d.format("%u").to_string() == "1")
                .unwrap_or(p == "(unknown)")
        }),
        "{weeks:?}"
    );
    // `groups` reads the sides stored on each (group, event) row
    // (migration 5); they agree with the roles themselves.
    let groups = rows(&["groups"]);
    assert!(!groups.is_empty());
    let by_roles = sb.query(
        "SELECT g.name AS name, \
         count(DISTINCT CASE WHEN ia.role = 'attacker' THEN ia.incident_id END) AS attacker, \
         count(DISTINCT CASE WHEN ia.role IN ('target', 'victim') THEN ia.incident_id END) AS target \
         FROM incident_actors ia JOIN groups g ON g.id = ia.group_id GROUP BY g.id",
    );
    for g in &groups {
        let r = by_roles
            .iter()
            .find(|r| r["name"] == g["group"])
            .unwrap_or_else(|| panic!("{g:?} not in {by_roles:?}"));
        assert_eq!(
            (&g["events_as_attacker"], &g["events_as_target"]),
            (&r["attacker"], &r["target"]),
            "{g:?}"
        );
    }
    // Days, weeks and months add up to the summary's totals.
    let summary = rows(&["summary"]);
    for by in ["day", "week", "month"] {
        let periods = rows(&["timeline", "--by", by]);
        let sum = |k: &str| periods.iter().map(|p| p[k].as_i64().unwrap()).sum::<i64>();
        assert_eq!(
            sum("events"),
            summary[0]["events"].as_i64().unwrap(),
            "{by}"
        );
        assert_eq!(
            sum("killed"),
            summary[0]["killed"].as_i64().unwrap(),
            "{by}"
        );
    }

    let top = rows(&["top-events"]);
    assert!(top
        .windows(2)
        .all(|w| w[0]["killed"].as_i64() >= w[1]["killed"].as_i64()));
    assert!(
        top.iter()
            .any(|t| t["articles"].as_i64() >= Some(3)
                && t["outlets"].as_str().unwrap().contains(';'))
    );

    let svg = sb.dir.path().join("months.svg");
    sb.ok(&[
        "report",
        "timeline",
        "--by",
        "month",
        "--chart",
        svg.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(svg).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(svg.contains("2019-07") && svg.contains("2024-04"));
    assert!(doc
        .descendants()
        .any(|n| n.has_tag_name("polyline") || n.has_tag_name("path")));

    let map = sb.dir.path().join("map.html");
    sb.ok(&[
        "export",
        "--format",
        "html-map",
        "-o",
        map.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(map).unwrap();
    let located = sb.scalar("SELECT count(*) FROM incidents i JOIN locations l ON l.id = i.location_id WHERE l.lat IS NOT NULL");
    assert!(
        html.contains(&format!("Showing {located} events")),
        "{}",
        &html[..400.min(html.len())]
    );
    // Self-contained: nothing is fetched when the page opens offline.
    assert!(!html.contains("<script src") && !html.contains("<link"));
}

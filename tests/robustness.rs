//! Robustness as users meet it: several writers at once, a crash in the
//! middle of an ingest, hostile inputs, read-only queries that run long,
//! and schema upgrades that keep the data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_conflictdb");

fn url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("r.db").display())
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(args)
        .arg("--database-url")
        .arg(url(dir))
        .output()
        .unwrap()
}

fn scalar(dir: &Path, sql: &str) -> i64 {
    let out = run(dir, &["query", sql, "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Every index of the database in `dir` (name and definition), read
/// straight from SQLite: opening it with conflictdb would build the indexes
/// a bulk load deferred.
fn indexes(dir: &Path) -> Vec<(String, String)> {
    let db_url = url(dir);
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::ConnectOptions;
        use std::str::FromStr;
        let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(&db_url)
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::query_as(
            "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap()
    })
}

/// The indexes of a database that only migrations have touched.
fn migrated_indexes() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["migrate"]).status.success());
    indexes(dir.path())
}

/// `n` distinct short articles, each with a figure, in `dir/name/`.
fn corpus(dir: &Path, name: &str, n: usize, offset: usize) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    let places = [
        "Alep", "Homs", "Hama", "Idleb", "Deraa", "Damas", "Raqqa", "Mossoul",
    ];
    for i in 0..n {
        let k = i + offset;
        let text = format!(
            "{p}: {c} civils tués (dépêche {k})\n\n{c} civils ont été tués et {w} autres blessés lundi dans un bombardement à {p}, selon l'OSDH. Dépêche numéro {k}.",
            p = places[k % places.len()],
            c = 2 + k % 17,
            w = 3 + k % 11
        );
        std::fs::write(folder.join(format!("a{k:05}.txt")), text).unwrap();
    }
    folder
}

fn no_orphans(dir: &Path) {
    for sql in [
        "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)",
        "SELECT count(*) FROM casualty_figures WHERE article_id NOT IN (SELECT id FROM articles)",
        "SELECT count(*) FROM casualty_figures WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events)",
        "SELECT count(*) FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)",
        "SELECT count(*) FROM location_mentions WHERE article_id NOT IN (SELECT id FROM articles)",
        "SELECT count(*) FROM article_sources WHERE article_id NOT IN (SELECT id FROM articles)",
        // Every stored article is complete: an article whose text has a figure has its figures.
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM casualty_figures f WHERE f.article_id = a.id)",
    ] {
        assert_eq!(scalar(dir, sql), 0, "{sql}");
    }
    let out = run(dir, &["query", "PRAGMA integrity_check", "--format", "csv"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ok"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn concurrent_ingests_on_one_file_all_succeed_and_store_each_article_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = corpus(dir.path(), "a", 40, 0);
    let b = corpus(dir.path(), "b", 40, 20); // 20 articles in common with a
    let c = corpus(dir.path(), "c", 40, 40); // 20 in common with b
    let spawn = |folder: &Path| {
        Command::new(BIN)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .args([
                "ingest",
                folder.to_str().unwrap(),
                "--quiet",
                "--database-url",
                &url(dir.path()),
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Three writers start together on a database that does not exist yet.
    let children = vec![spawn(&a), spawn(&b), spawn(&c)];
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(scalar(dir.path(), "SELECT count(*) FROM articles"), 80);
    assert_eq!(
        scalar(
            dir.path(),
            "SELECT count(DISTINCT content_hash) FROM articles"
        ),
        80
    );
    no_orphans(dir.path());
}

#[test]
fn a_killed_ingest_leaves_whole_articles_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let n = 3000;
    let folder = corpus(dir.path(), "in", n, 0);
    // Make sure the database exists, so the kill lands in the middle of storing articles.
    assert!(run(dir.path(), &["migrate"]).status.success());
    let reference = migrated_indexes();
    let mut killed_mid_way = false;
    // Fine steps: storing 3,000 articles takes about two seconds, and under
    // load the start-up takes longer, so a coarse step can miss the window.
    for wait_ms in [
        100u64, 200, 300, 400, 600, 800, 1000, 1200, 1600, 2000, 2400, 3200, 4800, 6400,
    ] {
        let mut child = Command::new(BIN)
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .args([
                "ingest",
                folder.to_str().unwrap(),
                "--quiet",
                "--database-url",
                &url(dir.path()),
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        let finished = child.try_wait().unwrap().is_some();
        // SIGKILL: no destructor, no rollback, no flush.
        let _ = child.kill();
        let _ = child.wait();
        let left = indexes(dir.path());
        let stored = scalar(dir.path(), "SELECT count(*) FROM articles");
        no_orphans(dir.path());
        if !finished && stored > 0 && stored < n as i64 {
            // Killed while storing into an empty database: its indexes were
            // dropped for the bulk load, and opening it built them again.
            assert!(left.len() < reference.len(), "{left:?}");
            assert_eq!(indexes(dir.path()), reference);
            killed_mid_way = true;
            break;
        }
    }
    assert!(
        killed_mid_way,
        "the ingest was never caught in the middle; the test proves nothing"
    );
    let out = run(dir.path(), &["ingest", folder.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        scalar(dir.path(), "SELECT count(*) FROM articles"),
        n as i64
    );
    no_orphans(dir.path());
    assert_eq!(indexes(dir.path()), reference);
}

#[test]
fn an_ingest_into_an_empty_database_ends_with_every_index() {
    let dir = tempfile::tempdir().unwrap();
    let folder = corpus(dir.path(), "in", 300, 0);
    let out = run(dir.path(), &["ingest", folder.to_str().unwrap(), "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(indexes(dir.path()), migrated_indexes());
    assert_eq!(
        scalar(
            dir.path(),
            "SELECT count(*) FROM meta WHERE key LIKE 'deferred%'"
        ),
        0
    );
    // A second ingest into the database, which now holds articles, keeps them.
    let more = corpus(dir.path(), "more", 50, 300);
    let out = run(dir.path(), &["ingest", more.to_str().unwrap(), "--quiet"]);
    assert!(out.status.success());
    assert_eq!(scalar(dir.path(), "SELECT count(*) FROM articles"), 350);
    assert_eq!(indexes(dir.path()), migrated_indexes());
}

#[test]
fn hostile_inputs_never_crash_hang_or_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let w = |name: &str, bytes: &[u8]| {
        std::fs::write(d.join(name), bytes).unwrap();
        name.to_string()
    };
    let mut inputs = vec![
        w("empty.txt", b""),
        w("binary.txt", &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3, 0xff, 0xfe, 0]),
        w("invalid-utf8.txt", b"Titre\n\nCinq soldats \xff\xfe tu\xc3s \x80\x81 \xc3\x28 en 2012."),
        w("deep.json", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes()),
        w("html-script.html", b"<html><script>while(1){}</script><body><article><h1>T</h1><p>Deux civils ont \xc3\xa9t\xc3\xa9 tu\xc3\xa9s \xc3\xa0 Alep.<p><div><span>broken"),
        w("numbers.txt", format!("Titre\n\n{} morts et 99999999999999999999 blessés le 3 mai 99999.", "9".repeat(40)).as_bytes()),
        w("long-line.jsonl", format!("{{\"title\":\"T\",\"maintext\":\"{}\"}}\n{{\"title\":\"Homs\",\"maintext\":\"Trois soldats ont été tués à Homs.\"}}\n", "a".repeat(5 * 1024 * 1024)).as_bytes()),
        w("huge.txt", &vec![b'a'; 5 * 1024 * 1024]),
    ];
    // French in Windows-1252 and in UTF-16 with a BOM.
    let french = "Alep\n\nCinq soldats ont été tués et douze civils blessés à Alep, selon l'OSDH.";
    inputs.push(w("cp1252.txt", &encoding_rs::WINDOWS_1252.encode(french).0));
    let mut utf16 = vec![0xFF, 0xFE];
    for u in french.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    inputs.push(w("utf16.txt", &utf16));
    let start = Instant::now();
    let mut args = vec!["extract"];
    args.extend(inputs.iter().map(String::as_str));
    let out = Command::new(BIN)
        .current_dir(d)
        .args(&args)
        .output()
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(out.status.code(), Some(1), "some inputs fail, none crashes");
    let err = String::from_utf8_lossy(&out.stderr);
    for (name, why) in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("deep.json", "JSON"),
        ("huge.txt", "more than"),
        ("long-line.jsonl:1", "more than"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(name) && l.contains(why)),
            "no clear error for {name}: {err}"
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let read: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let inputs_read: Vec<&str> = read.iter().map(|x| x["input"].as_str().unwrap()).collect();
    for ok in [
        "invalid-utf8.txt",
        "html-script.html",
        "numbers.txt",
        "long-line.jsonl:2",
        "cp1252.txt",
        "utf16.txt",
    ] {
        assert!(
            inputs_read.contains(&ok),
            "{ok} was not read: {inputs_read:?}"
        );
    }
    // The legacy encodings were decoded, not mangled: the figures are read.
    for name in ["cp1252.txt", "utf16.txt"] {
        let x = read.iter().find(|x| x["input"] == name).unwrap();
        let counts: Vec<u64> = x["casualties"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["count"].as_u64())
            .collect();
        assert!(
            counts.contains(&5) && counts.contains(&12),
            "{name}: {counts:?}"
        );
        assert_eq!(x["article"]["title"], "Alep");
    }
    // A 40-digit number is no figure.
    let numbers = read.iter().find(|x| x["input"] == "numbers.txt").unwrap();
    assert!(numbers["casualties"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["count"].as_u64().is_none_or(|n| n < 1_000_000_000_000)));
    // A publication date the tool cannot represent is refused clearly.
    let bad_date = Command::new(BIN)
        .current_dir(d)
        .args(["extract", "cp1252.txt", "--published", "99999-01-01"])
        .output()
        .unwrap();
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("--published"));
}

#[test]
fn a_long_query_stops_at_its_timeout() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["migrate"]).status.success());
    let start = Instant::now();
    let out = run(dir.path(), &["query", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", "--timeout", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--timeout"));
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn upgrading_from_the_first_schema_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    std::fs::create_dir_all(&first).unwrap();
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 2,
        "this test needs a second migration to upgrade to"
    );
    std::fs::copy(&files[0], first.join(files[0].file_name().unwrap())).unwrap();
    let db_url = url(dir.path());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::ConnectOptions;
        use std::str::FromStr;
        let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(&db_url).unwrap().create_if_missing(true).connect().await.unwrap();
        sqlx::migrate::Migrator::new(first.as_path()).await.unwrap().run(&mut conn).await.unwrap();
        for sql in [
            "INSERT INTO locations (id, ref_key, name, kind, country) VALUES (1, 'old:aleppo', 'Aleppo', 'city', 'SY')",
            "INSERT INTO articles (id, content_hash, input, title, text, language, extractor_version, ingested_at) VALUES (1, 'h1', 'old.txt', 'Old', 'Old article', 'fr', 'old', '2026-01-01')",
            "INSERT INTO events (id, article_id, local_id, type, location_id, fatalities_best, span_start, span_end) VALUES (1, 1, 'e1', 'battles', 1, 7, 0, 3)",
            "INSERT INTO casualty_figures (article_id, position, event_id, kind, count, qualifier, category, span_start, span_end, evidence) VALUES (1, 0, 1, 'killed', 7, 'exact', 'unknown', 0, 3, 'Old')",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    });
    let out = run(dir.path(), &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        scalar(
            dir.path(),
            "SELECT count(*) FROM articles WHERE content_hash = 'h1'"
        ),
        1
    );
    assert_eq!(
        scalar(
            dir.path(),
            "SELECT killed FROM event_view WHERE event_id = 1"
        ),
        7
    );
    assert_eq!(
        scalar(
            dir.path(),
            "SELECT count(*) FROM casualty_figures WHERE event_id = 1"
        ),
        1
    );
    // The new column is there, empty for old rows.
    assert_eq!(
        scalar(
            dir.path(),
            "SELECT count(*) FROM events WHERE location_precision IS NULL"
        ),
        1
    );
    let status =
        String::from_utf8_lossy(&run(dir.path(), &["migrate", "status", "--format", "csv"]).stdout)
            .to_string();
    assert!(!status.contains(",no,"), "{status}");
}

#[test]
fn a_migration_that_fails_halfway_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("migrations");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("1_good.sql"),
        "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);",
    )
    .unwrap();
    std::fs::write(folder.join("2_bad.sql"), "ALTER TABLE t ADD COLUMN y INTEGER; INSERT INTO t VALUES (2, 2); SELECT no_such_function();").unwrap();
    let db_url = url(dir.path());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::{ConnectOptions, Row};
        use std::str::FromStr;
        let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(&db_url)
            .unwrap()
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        let migrator = sqlx::migrate::Migrator::new(folder.as_path())
            .await
            .unwrap();
        assert!(migrator.run(&mut conn).await.is_err());
        // The failed migration left nothing: no column y, no second row, not recorded as applied.
        let cols: Vec<String> = sqlx::query("SELECT name FROM pragma_table_info('t')")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(cols, vec!["x"]);
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(n, 1);
        let applied: i64 =
            sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(applied, 1);
    });
}

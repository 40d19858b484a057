//! Snapshots of `extract` on the bundled articles: any change to what the
//! extractor says about them shows up as a diff to review (`cargo insta
//! review`, or INSTA_UPDATE=always then `git diff`).

use conflictdb::input::{discover, read_input, Overrides};
use conflictdb::knowledge::Knowledge;
use conflictdb::pipeline::extract;

#[test]
fn extractions_of_the_bundled_articles() {
    let k = Knowledge::embedded().unwrap();
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    for input in discover(&["samples".to_string()]) {
        let input = input.unwrap();
        let name = input
            .name()
            .trim_start_matches("samples/")
            .replace(['.', '/'], "_");
        for article in read_input(input, &Overrides::default()) {
            let mut x = extract(&article.unwrap(), k);
            // The version moves with every release; the content is what is pinned.
            x.extractor_version = "pinned".into();
            insta::assert_json_snapshot!(name.clone(), x);
        }
    }
}

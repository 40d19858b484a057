//! HTML pages: the title and the main text, without navigation, footers,
//! scripts and related-links boxes.

use super::parse_datetime;
use crate::model::Article;
use scraper::{ElementRef, Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn text_of(e: ElementRef) -> String {
    let mut s = String::new();
    for t in e.text() {
        s.push_str(t);
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements whose text is never the article's.
const BOILERPLATE: &[&str] = &[
    "nav",
    "footer",
    "header",
    "aside",
    "script",
    "style",
    "noscript",
    "form",
    "figcaption",
    "button",
];

fn in_boilerplate(e: ElementRef) -> bool {
    e.ancestors().filter_map(ElementRef::wrap).any(|a| {
        let name = a.value().name();
        let class = a.value().attr("class").unwrap_or("").to_ascii_lowercase();
        BOILERPLATE.contains(&name)
            || [
                "related",
                "share",
                "newsletter",
                "comments",
                "sidebar",
                "menu",
                "breadcrumb",
            ]
            .iter()
            .any(|c| class.contains(c))
    })
}

pub fn parse_html(name: &str, contents: &str) -> Article {
    let doc = Html::parse_document(contents);
    let meta = |prop: &str| {
        let s = sel(&format!(
            r#"meta[property="{prop}"], meta[name="{prop}"], meta[itemprop="{prop}"]"#
        ));
        doc.select(&s)
            .find_map(|m| m.value().attr("content"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    // The main container: <article>, else <main>, else the body.
    let root = doc
        .select(&sel("article"))
        .max_by_key(|a| text_of(*a).len())
        .or_else(|| doc.select(&sel("main")).next())
        .or_else(|| doc.select(&sel("body")).next());
    let title = root
        .and_then(|r| r.select(&sel("h1")).next())
        .or_else(|| doc.select(&sel("h1")).next())
        .map(text_of)
        .filter(|t| !t.is_empty())
        .or_else(|| meta("og:title"))
        .or_else(|| doc.select(&sel("title")).next().map(text_of))
        .unwrap_or_default();
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(r) = root {
        for p in r.select(&sel("p, h2, h3, li, blockquote")) {
            if in_boilerplate(p)
                || p.ancestors().filter_map(ElementRef::wrap).any(|a| {
                    matches!(a.value().name(), "p" | "li" | "blockquote") && a.id() != p.id()
                })
            {
                continue;
            }
            let t = text_of(p);
            if !t.is_empty() && t != title {
                paragraphs.push(t);
            }
        }
        if paragraphs.is_empty() {
            let t = text_of(r);
            if !t.is_empty() {
                paragraphs.push(t);
            }
        }
    }
    let published = meta("article:published_time")
        .or_else(|| meta("datePublished"))
        .or_else(|| meta("date"))
        .or_else(|| {
            doc.select(&sel("time[datetime]"))
                .next()
                .and_then(|t| t.value().attr("datetime"))
                .map(str::to_string)
        })
        .and_then(|d| parse_datetime(&d));
    let url = meta("og:url").or_else(|| {
        doc.select(&sel(r#"link[rel="canonical"]"#))
            .next()
            .and_then(|l| l.value().attr("href"))
            .map(str::to_string)
    });
    let language = doc
        .select(&sel("html"))
        .next()
        .and_then(|h| h.value().attr("lang"))
        .map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase())
        .filter(|l| !l.is_empty());
    let outlet = meta("og:site_name");
    Article {
        input: name.to_string(),
        title,
        body: paragraphs.join("\n"),
        published,
        url,
        outlet,
        language,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_text_without_boilerplate() {
        let html = r#"<html lang="fr-FR"><head><title>Site | Titre</title>
            <meta property="article:published_time" content="2018-02-08T10:00:00+01:00">
            <script>var x = "Alep 500 morts";</script></head>
            <body><nav><p>Menu Syrie Liban</p></nav>
            <article><h1>Titre</h1><p>Premier paragraphe.</p><p>Second <b>paragraphe</b>.</p>
            <div class="related"><p>Autre article : 6 morts</p></div></article>
            <footer><p>© 2018</p></footer></body></html>"#;
        let a = parse_html("a.html", html);
        assert_eq!(a.title, "Titre");
        assert_eq!(a.body, "Premier paragraphe.\nSecond paragraphe.");
        assert_eq!(a.language.as_deref(), Some("fr"));
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2018-02-08T10:00:00+01:00"
        );
    }

    #[test]
    fn broken_markup_still_reads() {
        // Unclosed tags nest as browsers nest them; the words are all kept.
        let a = parse_html("b.html", "<html><body><h1>T<p>Un texte <p>sans fin");
        assert!(a.title.starts_with('T'));
        assert!(format!("{} {}", a.title, a.body).contains("Un texte"));
    }
}

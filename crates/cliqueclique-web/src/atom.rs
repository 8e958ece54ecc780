//! Atom feeds (RFC 4287) as text: a feed of entries, every value XML-escaped.
//!
//! An entry's content is the HTML the pages show (escaped text, or markdown and HTML through
//! the sanitiser of [`crate::render`]), carried as `type="html"`, i.e. escaped once more as XML
//! text: a feed reader gets the same sanitised markup as a browser, and nothing in a document can
//! close an element of the feed.

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// A permanent id (`urn:cliqueclique:` and the document id).
    pub id: String,
    /// The title.
    pub title: String,
    /// The author's name as shown.
    pub author: String,
    /// The date, unix seconds.
    pub updated: u64,
    /// The page of the entry (a path on this site).
    pub link: String,
    /// The sanitised HTML of the content.
    pub html: String,
}

/// A feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    /// A permanent id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The page the feed follows (a path on this site).
    pub link: String,
    /// The feed's own address (a path on this site).
    pub self_link: String,
    /// The newest entry's date, or the feed's subject's date.
    pub updated: u64,
    /// The entries, newest first.
    pub entries: Vec<Entry>,
}

/// Escapes text for XML element content and attribute values (as for HTML), dropping the
/// characters XML 1.0 cannot carry at all.
pub fn escape(text: &str) -> String {
    let allowed = |c: &char| {
        matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'))
    };
    crate::render::escape(&text.chars().filter(allowed).collect::<String>())
}

/// Unix seconds as an RFC 3339 date in UTC.
pub fn rfc3339(unix: u64) -> String {
    // `format_date` writes `YYYY-MM-DD HH:MM`; the seconds are added here.
    let minutes = cliqueclique_daemon::api::format_date(unix);
    format!("{}:{:02}Z", minutes.replacen(' ', "T", 1), unix % 60)
}

impl Feed {
    /// The feed document.
    pub fn render(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        out.push_str(&format!("  <id>{}</id>\n", escape(&self.id)));
        out.push_str(&format!("  <title>{}</title>\n", escape(&self.title)));
        out.push_str(&format!("  <updated>{}</updated>\n", rfc3339(self.updated)));
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(&self.self_link)
        ));
        out.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&self.link)
        ));
        out.push_str("  <generator>cliqueclique</generator>\n");
        for entry in &self.entries {
            out.push_str("  <entry>\n");
            out.push_str(&format!("    <id>{}</id>\n", escape(&entry.id)));
            out.push_str(&format!("    <title>{}</title>\n", escape(&entry.title)));
            out.push_str(&format!(
                "    <updated>{}</updated>\n",
                rfc3339(entry.updated)
            ));
            out.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(&entry.author)
            ));
            out.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(&entry.link)
            ));
            out.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                escape(&entry.html)
            ));
            out.push_str("  </entry>\n");
        }
        out.push_str("</feed>\n");
        out
    }
}

//! How the pages show who wrote something: the identicon and fingerprint of the key, the user's
//! petname for it (trusted) beside the name it claims (only a claim), and a warning where another
//! key claims the same name in the same forum. Every page shows authors through [`author_html`].

use crate::render::escape;
use crate::svg::identicon;
use cliqueclique_daemon::api::AuthorView;

/// The HTML of an author: identicon, petname or claimed name, fingerprint, marks and the
/// name-collision warning. Everything from the author is escaped.
pub fn author_html(author: &AuthorView) -> String {
    let mut classes = String::from("author");
    if author.name_collision {
        classes.push_str(" collision");
    }
    if author.muted {
        classes.push_str(" muted-author");
    }
    let claimed = if author.name.is_empty() {
        "no name".to_owned()
    } else {
        escape(&author.name)
    };
    let name = match &author.petname {
        Some(petname) => format!(
            "<strong class=\"petname\" title=\"your name for this key\">{}</strong> \
             <span class=\"claimed\" title=\"the name this key claims\">(claims “{claimed}”)</span>",
            escape(petname)
        ),
        None => format!(
            "<span class=\"claimed\" title=\"the name this key claims; set your own name for it to be sure\">{claimed}</span>"
        ),
    };
    let mut out = format!(
        "<span class=\"{classes}\" data-author=\"{id}\" title=\"{id}\">{icon} {name} <code class=\"fingerprint\">{fp}</code>",
        id = author.id,
        icon = identicon(&author.id),
        fp = escape(&author.fingerprint),
    );
    if author.name_collision {
        out.push_str(
            " <span class=\"name-warning\" role=\"note\">⚠ another key uses this name here: compare the fingerprints</span>",
        );
    }
    if author.muted {
        out.push_str(" <span class=\"mark\">muted</span>");
    }
    if author.blocked {
        out.push_str(" <span class=\"mark\">blocked</span>");
    }
    out.push_str("</span>");
    out
}

/// The author HTML of an optional view, or the plain escaped claimed name when none is known.
pub fn author_or_name(author: Option<&AuthorView>, name: &str) -> String {
    author.map_or_else(|| escape(name), author_html)
}

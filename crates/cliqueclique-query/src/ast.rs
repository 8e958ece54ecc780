//! The parsed form of a query, and its canonical text (which parses back to the same tree).

use std::fmt;

use cliqueclique_doc::DocId;

/// A query: alternatives whose results are united.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// At least one alternative.
    pub alternatives: Vec<Sequence>,
}

/// Steps applied left to right, each to the set the previous one produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// At least one step.
    pub steps: Vec<Step>,
}

/// One step of a sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `->`: semantic children (comments, and documents attached by links).
    Children,
    /// `<-`: semantic parents (what is commented on, and what links attach to).
    Parents,
    /// `>`: structural children (documents naming it as `X-Cc-Parent`, and its `X-Cc-Child`).
    StructuralChildren,
    /// `<`: structural parents.
    StructuralParents,
    /// A filter: keeps the documents that match.
    Filter(Filter),
    /// `!step`: keeps the documents the step would drop (for a navigation, those from which it
    /// reaches nothing).
    Not(Box<Step>),
    /// `has(query)`: keeps the documents from which the query, started at that document alone,
    /// reaches something.
    Has(Box<Query>),
    /// `(query)`: the query applied to the current set.
    Group(Box<Query>),
}

/// A condition on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A full-text term.
    Text(TextTerm),
    /// `is:FLAG`.
    Flag(Flag),
    /// `id:DOCID`.
    Id(DocId),
    /// `header.NAME:VALUE`: the header's value equals VALUE, ignoring case.
    Header {
        /// The header name, lower case.
        name: String,
        /// The value.
        value: String,
    },
}

/// A full-text term: a word or a quoted phrase, optionally a prefix, optionally in one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextTerm {
    /// The text.
    pub text: String,
    /// `word*`: matches words that start with the text.
    pub prefix: bool,
    /// `subject:`, `body:` or `author:`; anywhere when `None`.
    pub field: Option<TextField>,
}

/// The fields of the full-text index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// The subject.
    Subject,
    /// The body text.
    Body,
    /// The author's node id and name.
    Author,
}

/// A user flag or fact about a held document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Marked read.
    Read,
    /// Not marked read.
    Unread,
    /// Bookmarked.
    Bookmarked,
    /// Subscribed.
    Subscribed,
    /// Written by this node.
    Own,
    /// A link document.
    Link,
}

impl Flag {
    /// Every flag with its name.
    pub const ALL: [(Flag, &'static str); 6] = [
        (Flag::Read, "read"),
        (Flag::Unread, "unread"),
        (Flag::Bookmarked, "bookmarked"),
        (Flag::Subscribed, "subscribed"),
        (Flag::Own, "own"),
        (Flag::Link, "link"),
    ];

    fn name(self) -> &'static str {
        Flag::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("read", |(_, n)| n)
    }
}

impl TextField {
    /// Every field with its name.
    pub const ALL: [(TextField, &'static str); 3] = [
        (TextField::Subject, "subject"),
        (TextField::Body, "body"),
        (TextField::Author, "author"),
    ];

    fn name(self) -> &'static str {
        TextField::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("subject", |(_, n)| n)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, alt) in self.alternatives.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{alt}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Sequence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{step}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Children => f.write_str("->"),
            Step::Parents => f.write_str("<-"),
            Step::StructuralChildren => f.write_str(">"),
            Step::StructuralParents => f.write_str("<"),
            Step::Filter(filter) => write!(f, "{filter}"),
            Step::Not(step) => write!(f, "!{step}"),
            Step::Has(query) => write!(f, "has({query})"),
            Step::Group(query) => write!(f, "({query})"),
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Text(term) => {
                if let Some(field) = term.field {
                    write!(f, "{}:", field.name())?;
                }
                write_quoted(f, &term.text)?;
                if term.prefix {
                    f.write_str("*")?;
                }
                Ok(())
            }
            Filter::Flag(flag) => write!(f, "is:{}", flag.name()),
            Filter::Id(id) => write!(f, "id:{id}"),
            Filter::Header { name, value } => {
                write!(f, "header.{name}:")?;
                write_quoted(f, value)
            }
        }
    }
}

/// Writes text as a quoted string: `"` and `\` escaped with a backslash.
fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

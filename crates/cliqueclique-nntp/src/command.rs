//! Command lines (RFC 3977 §3.1): one line of a keyword and arguments, parsed into a [`Command`].
//!
//! Keywords are case-insensitive; arguments keep their case (message-ids and wildmats are
//! case-sensitive). A keyword this server does not know is [`CommandError::Unknown`] (answered
//! 500); a known one with wrong arguments is [`CommandError::Syntax`] (answered 501).

use cliqueclique_doc::DocId;

/// The longest command line, in octets, including its CRLF (RFC 3977 §3.1).
pub const MAX_COMMAND_LINE: usize = 512;

/// The domain of every message-id this server gives out.
pub const MESSAGE_ID_DOMAIN: &str = "cliqueclique";

/// A parsed command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `CAPABILITIES`.
    Capabilities,
    /// `MODE READER`.
    ModeReader,
    /// `QUIT`.
    Quit,
    /// `DATE`.
    Date,
    /// `HELP`.
    Help,
    /// `LIST` with its keyword.
    List(ListKind),
    /// `GROUP name`.
    Group(String),
    /// `LISTGROUP [name [range]]`.
    ListGroup(Option<String>, Option<Range>),
    /// `ARTICLE`, `HEAD`, `BODY` or `STAT`, with the article asked for.
    Article(Part, Selector),
    /// `NEXT`.
    Next,
    /// `LAST`.
    Last,
    /// `OVER` or `XOVER`.
    Over(Selector),
    /// `HDR` (or, with `xhdr`, `XHDR`) of a header or metadata field.
    Hdr {
        /// The header's name, or a metadata item such as `:bytes`.
        field: String,
        /// Which articles.
        selector: Selector,
        /// Asked as `XHDR` (answered 221 instead of 225).
        xhdr: bool,
    },
    /// `NEWGROUPS date time [GMT]`.
    NewGroups(String, String),
    /// `NEWNEWS wildmat date time [GMT]`.
    NewNews(String, String, String),
    /// `POST`.
    Post,
    /// `AUTHINFO USER name`.
    AuthUser(String),
    /// `AUTHINFO PASS password`.
    AuthPass(String),
}

/// What `LIST` lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// `LIST` or `LIST ACTIVE [wildmat]`.
    Active(Option<String>),
    /// `LIST NEWSGROUPS [wildmat]`.
    Newsgroups(Option<String>),
    /// `LIST OVERVIEW.FMT`.
    OverviewFmt,
    /// `LIST HEADERS [MSGID|RANGE]`.
    Headers,
}

/// Which part of an article to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// `ARTICLE`: headers and body (220).
    Whole,
    /// `HEAD` (221).
    Head,
    /// `BODY` (222).
    Body,
    /// `STAT`: only the status line (223).
    Stat,
}

/// The articles a command asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    /// None given: the current article.
    Current,
    /// A range of numbers in the selected group (a single number is a range of one).
    Range(Range),
    /// A message-id naming a document.
    Id(DocId),
    /// A well-formed message-id that is not one of ours: no such article.
    ForeignId,
}

/// A range of article numbers, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The first number.
    pub low: u64,
    /// The last number (`u64::MAX` for an open range `n-`).
    pub high: u64,
    /// It was a single number (`ARTICLE n` answers 423, not an empty list).
    pub single: bool,
}

/// Why a line is not a command this server takes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// Not a command this server knows (500).
    #[error("unknown command")]
    Unknown,
    /// A known command with bad arguments (501).
    #[error("syntax error: {0}")]
    Syntax(&'static str),
}

/// Parses one command line (without its CRLF).
pub fn parse(line: &str) -> Result<Command, CommandError> {
    let mut words = line.split([' ', '\t']).filter(|w| !w.is_empty());
    let keyword = words
        .next()
        .ok_or(CommandError::Unknown)?
        .to_ascii_uppercase();
    let args: Vec<&str> = words.collect();
    let none = |command: Command| {
        if args.is_empty() {
            Ok(command)
        } else {
            Err(CommandError::Syntax("this command takes no arguments"))
        }
    };
    match keyword.as_str() {
        "CAPABILITIES" => Ok(Command::Capabilities),
        "QUIT" => none(Command::Quit),
        "DATE" => none(Command::Date),
        "HELP" => none(Command::Help),
        "NEXT" => none(Command::Next),
        "LAST" => none(Command::Last),
        "POST" => none(Command::Post),
        "MODE" => match args.as_slice() {
            [mode] if mode.eq_ignore_ascii_case("READER") => Ok(Command::ModeReader),
            _ => Err(CommandError::Syntax("only MODE READER is supported")),
        },
        "LIST" => parse_list(&args),
        "GROUP" => match args.as_slice() {
            [name] => Ok(Command::Group((*name).to_owned())),
            _ => Err(CommandError::Syntax("GROUP takes a group name")),
        },
        "LISTGROUP" => match args.as_slice() {
            [] => Ok(Command::ListGroup(None, None)),
            [name] => Ok(Command::ListGroup(Some((*name).to_owned()), None)),
            [name, range] => Ok(Command::ListGroup(
                Some((*name).to_owned()),
                Some(parse_range(range)?),
            )),
            _ => Err(CommandError::Syntax("LISTGROUP takes a group and a range")),
        },
        "ARTICLE" | "HEAD" | "BODY" | "STAT" => {
            let part = match keyword.as_str() {
                "ARTICLE" => Part::Whole,
                "HEAD" => Part::Head,
                "BODY" => Part::Body,
                _ => Part::Stat,
            };
            let selector = match args.as_slice() {
                [] => Selector::Current,
                [arg] if arg.starts_with('<') => parse_message_id(arg)?,
                [arg] => {
                    let number = parse_number(arg)?;
                    Selector::Range(Range {
                        low: number,
                        high: number,
                        single: true,
                    })
                }
                _ => return Err(CommandError::Syntax("one article number or message-id")),
            };
            Ok(Command::Article(part, selector))
        }
        "OVER" | "XOVER" => Ok(Command::Over(parse_selector(&args)?)),
        "HDR" | "XHDR" => match args.split_first() {
            Some((field, rest)) => Ok(Command::Hdr {
                field: (*field).to_owned(),
                selector: parse_selector(rest)?,
                xhdr: keyword == "XHDR",
            }),
            None => Err(CommandError::Syntax("HDR takes a header name")),
        },
        "NEWGROUPS" => match args.as_slice() {
            [date, time] | [date, time, _] if gmt_ok(&args, 2) => {
                Ok(Command::NewGroups((*date).to_owned(), (*time).to_owned()))
            }
            _ => Err(CommandError::Syntax("NEWGROUPS date time [GMT]")),
        },
        "NEWNEWS" => match args.as_slice() {
            [wildmat, date, time] | [wildmat, date, time, _] if gmt_ok(&args, 3) => {
                Ok(Command::NewNews(
                    (*wildmat).to_owned(),
                    (*date).to_owned(),
                    (*time).to_owned(),
                ))
            }
            _ => Err(CommandError::Syntax("NEWNEWS wildmat date time [GMT]")),
        },
        "AUTHINFO" => match args.as_slice() {
            [kind, value] if kind.eq_ignore_ascii_case("USER") => {
                Ok(Command::AuthUser((*value).to_owned()))
            }
            [kind, ..] if kind.eq_ignore_ascii_case("PASS") => {
                // A password may contain spaces: take the rest of the line as it was sent.
                let rest = line.trim_start();
                let rest = rest[rest.find([' ', '\t']).unwrap_or(rest.len())..].trim_start();
                let password = rest[rest.find([' ', '\t']).unwrap_or(rest.len())..]
                    .trim_start_matches([' ', '\t']);
                if password.is_empty() {
                    return Err(CommandError::Syntax("AUTHINFO PASS takes a password"));
                }
                Ok(Command::AuthPass(password.to_owned()))
            }
            _ => Err(CommandError::Syntax(
                "AUTHINFO USER name or AUTHINFO PASS password",
            )),
        },
        _ => Err(CommandError::Unknown),
    }
}

/// The optional last argument of `NEWGROUPS` and `NEWNEWS` must be `GMT` if given.
fn gmt_ok(args: &[&str], required: usize) -> bool {
    args.len() == required || args[required].eq_ignore_ascii_case("GMT")
}

fn parse_list(args: &[&str]) -> Result<Command, CommandError> {
    let wildmat = |rest: &[&str]| match rest {
        [] => Ok(None),
        [w] => Ok(Some((*w).to_owned())),
        _ => Err(CommandError::Syntax("one wildmat")),
    };
    let Some((keyword, rest)) = args.split_first() else {
        return Ok(Command::List(ListKind::Active(None)));
    };
    let kind = match keyword.to_ascii_uppercase().as_str() {
        "ACTIVE" => ListKind::Active(wildmat(rest)?),
        "NEWSGROUPS" => ListKind::Newsgroups(wildmat(rest)?),
        "OVERVIEW.FMT" if rest.is_empty() => ListKind::OverviewFmt,
        "HEADERS" if rest.len() <= 1 => ListKind::Headers,
        _ => return Err(CommandError::Syntax("unsupported LIST keyword")),
    };
    Ok(Command::List(kind))
}

/// The selector of `OVER` and `HDR`: nothing, a range or a message-id.
fn parse_selector(args: &[&str]) -> Result<Selector, CommandError> {
    match args {
        [] => Ok(Selector::Current),
        [arg] if arg.starts_with('<') => parse_message_id(arg),
        [arg] => Ok(Selector::Range(parse_range(arg)?)),
        _ => Err(CommandError::Syntax("one range or message-id")),
    }
}

fn parse_number(text: &str) -> Result<u64, CommandError> {
    if text.is_empty() || text.len() > 16 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CommandError::Syntax("bad article number"));
    }
    text.parse()
        .map_err(|_| CommandError::Syntax("bad article number"))
}

/// `n`, `n-` or `n-m`.
pub fn parse_range(text: &str) -> Result<Range, CommandError> {
    match text.split_once('-') {
        None => {
            let n = parse_number(text)?;
            Ok(Range {
                low: n,
                high: n,
                single: false,
            })
        }
        Some((low, "")) => Ok(Range {
            low: parse_number(low)?,
            high: u64::MAX,
            single: false,
        }),
        Some((low, high)) => Ok(Range {
            low: parse_number(low)?,
            high: parse_number(high)?,
            single: false,
        }),
    }
}

/// A message-id argument: ours (`<document id@cliqueclique>`) names a document; any other
/// well-formed one names nothing here.
fn parse_message_id(text: &str) -> Result<Selector, CommandError> {
    let inner = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .filter(|t| t.contains('@') && t.len() <= 248)
        .ok_or(CommandError::Syntax("bad message-id"))?;
    Ok(message_id_doc(inner).map_or(Selector::ForeignId, Selector::Id))
}

/// The document of a message-id without its angle brackets, if it is one of ours.
pub fn message_id_doc(inner: &str) -> Option<DocId> {
    let (local, domain) = inner.rsplit_once('@')?;
    if domain != MESSAGE_ID_DOMAIN {
        return None;
    }
    local.parse().ok()
}

/// The message-id of a document.
pub fn message_id(doc: &DocId) -> String {
    format!("<{doc}@{MESSAGE_ID_DOMAIN}>")
}

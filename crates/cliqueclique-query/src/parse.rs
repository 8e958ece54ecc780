//! The parser: text to [`Query`]. It never panics, on any input: every mistake is a
//! [`QueryError`] with a position. The grammar is in `docs/query.md`.
//!
//! ```text
//! query := sequence ("|" sequence)*
//! sequence := step+
//! step := "->" | "<-" | ">" | "<" | "!" step | "has(" query ")" | "(" query ")" | term
//! term := WORD ["*"] | "\"phrase\"" ["*"] | FIELD ":" (WORD | "\"phrase\"") ["*"]
//! ```

use cliqueclique_doc::DocId;

use crate::ast::{Filter, Flag, Query, Sequence, Step, TextField, TextTerm};
use crate::error::QueryError;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 4096;
/// How deeply `(`, `has(` and `!` may nest.
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Arrow,
    BackArrow,
    Greater,
    Less,
    Bar,
    Open,
    Has,
    Close,
    Bang,
    Word {
        field: Option<String>,
        text: String,
        prefix: bool,
    },
}

/// Parses a query.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    let len = text.chars().count();
    if len > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong {
            len,
            max: MAX_QUERY_CHARS,
        });
    }
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Err(QueryError::Empty);
    }
    let mut parser = Parser {
        tokens,
        next: 0,
        end: len + 1,
    };
    let query = parser.query(0)?;
    match parser.peek() {
        None => Ok(query),
        Some((at, Token::Close)) => Err(QueryError::UnmatchedParen { at }),
        Some((at, _)) => Err(QueryError::Expected {
            at,
            expected: "the end of the query",
        }),
    }
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | '|' | '!' | '"' | '<' | '>')
}

/// Whether a word goes on at `chars[i]`: a word char that does not start an arrow `->`.
fn continues_word(chars: &[char], i: usize) -> bool {
    i < chars.len()
        && is_word_char(chars[i])
        && !(chars[i] == '-' && chars.get(i + 1) == Some(&'>'))
}

/// Splits the text into tokens, each with its position (counted from 1).
fn lex(text: &str) -> Result<Vec<(usize, Token)>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        let next = chars.get(i + 1).copied();
        let simple = match (c, next) {
            (c, _) if c.is_whitespace() => {
                i += 1;
                continue;
            }
            ('-', Some('>')) => Some((Token::Arrow, 2)),
            ('<', Some('-')) => Some((Token::BackArrow, 2)),
            ('>', _) => Some((Token::Greater, 1)),
            ('<', _) => Some((Token::Less, 1)),
            ('|', _) => Some((Token::Bar, 1)),
            ('(', _) => Some((Token::Open, 1)),
            (')', _) => Some((Token::Close, 1)),
            ('!', _) => Some((Token::Bang, 1)),
            _ => None,
        };
        if let Some((token, width)) = simple {
            tokens.push((at, token));
            i += width;
            continue;
        }
        if c == '"' {
            let (text, after) = quoted(&chars, i)?;
            i = after;
            let prefix = star(&chars, &mut i);
            tokens.push((
                at,
                Token::Word {
                    field: None,
                    text,
                    prefix,
                },
            ));
            continue;
        }
        // A word, possibly FIELD:value (the value may be quoted), possibly ending in `*`.
        let start = i;
        while continues_word(&chars, i) && chars[i] != ':' {
            i += 1;
        }
        let head: String = chars[start..i].iter().collect();
        if head == "has" && chars.get(i) == Some(&'(') {
            tokens.push((at, Token::Has));
            i += 1;
            continue;
        }
        if chars.get(i) == Some(&':') {
            i += 1;
            let (value, prefix) = if chars.get(i) == Some(&'"') {
                let (text, after) = quoted(&chars, i)?;
                i = after;
                (text, star(&chars, &mut i))
            } else {
                let value_start = i;
                while continues_word(&chars, i) {
                    i += 1;
                }
                strip_star(chars[value_start..i].iter().collect(), &chars, &mut i)
            };
            tokens.push((
                at,
                Token::Word {
                    field: Some(head),
                    text: value,
                    prefix,
                },
            ));
        } else {
            let (text, prefix) = strip_star(head, &chars, &mut i);
            tokens.push((
                at,
                Token::Word {
                    field: None,
                    text,
                    prefix,
                },
            ));
        }
    }
    Ok(tokens)
}

/// Reads a quoted string starting at `chars[start] == '"'`; returns it and the index after it.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let mut out = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((out, i + 1)),
            '\\' if i + 1 < chars.len() => {
                out.push(chars[i + 1]);
                i += 2;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err(QueryError::UnclosedQuote { at: start + 1 })
}

/// Consumes a `*` right after a quoted string.
fn star(chars: &[char], i: &mut usize) -> bool {
    if chars.get(*i) == Some(&'*') {
        *i += 1;
        true
    } else {
        false
    }
}

/// Removes a trailing `*` from an unquoted word (or takes one that follows a quoted value).
fn strip_star(mut text: String, chars: &[char], i: &mut usize) -> (String, bool) {
    if text.ends_with('*') {
        text.pop();
        (text, true)
    } else {
        let prefix = star(chars, i);
        (text, prefix)
    }
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<(usize, Token)> {
        self.tokens.get(self.next).cloned()
    }

    fn at(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |(at, _)| *at)
    }

    fn query(&mut self, depth: usize) -> Result<Query, QueryError> {
        let mut alternatives = vec![self.sequence(depth)?];
        while let Some((_, Token::Bar)) = self.peek() {
            self.next += 1;
            alternatives.push(self.sequence(depth)?);
        }
        Ok(Query { alternatives })
    }

    fn sequence(&mut self, depth: usize) -> Result<Sequence, QueryError> {
        let mut steps = Vec::new();
        while let Some((_, token)) = self.peek() {
            if matches!(token, Token::Bar | Token::Close) {
                break;
            }
            steps.push(self.step(depth)?);
        }
        if steps.is_empty() {
            return Err(QueryError::Expected {
                at: self.at(),
                expected: "a word, a flag such as is:unread, or a step such as ->",
            });
        }
        Ok(Sequence { steps })
    }

    fn step(&mut self, depth: usize) -> Result<Step, QueryError> {
        let Some((at, token)) = self.peek() else {
            return Err(QueryError::Expected {
                at: self.end,
                expected: "a step",
            });
        };
        if depth >= MAX_DEPTH && matches!(token, Token::Open | Token::Has | Token::Bang) {
            return Err(QueryError::TooDeep { at, max: MAX_DEPTH });
        }
        self.next += 1;
        Ok(match token {
            Token::Arrow => Step::Children,
            Token::BackArrow => Step::Parents,
            Token::Greater => Step::StructuralChildren,
            Token::Less => Step::StructuralParents,
            Token::Bang => {
                if matches!(self.peek(), None | Some((_, Token::Bar | Token::Close))) {
                    return Err(QueryError::Expected {
                        at: self.at(),
                        expected: "a step after `!`",
                    });
                }
                Step::Not(Box::new(self.step(depth + 1)?))
            }
            Token::Open | Token::Has => {
                let inner = self.query(depth + 1)?;
                match self.peek() {
                    Some((_, Token::Close)) => self.next += 1,
                    _ => return Err(QueryError::UnclosedParen { at }),
                }
                if token == Token::Has {
                    Step::Has(Box::new(inner))
                } else {
                    Step::Group(Box::new(inner))
                }
            }
            Token::Close => return Err(QueryError::UnmatchedParen { at }),
            Token::Bar => {
                return Err(QueryError::Expected {
                    at,
                    expected: "a step before `|`",
                });
            }
            Token::Word {
                field,
                text,
                prefix,
            } => Step::Filter(filter(at, field, text, prefix)?),
        })
    }
}

/// Interprets one word.
fn filter(
    at: usize,
    field: Option<String>,
    text: String,
    prefix: bool,
) -> Result<Filter, QueryError> {
    let written = match &field {
        Some(f) => format!("{f}:{text}"),
        None => text.clone(),
    };
    let empty = || QueryError::EmptyTerm {
        at,
        text: written.clone(),
    };
    let Some(field) = field else {
        if !text.chars().any(char::is_alphanumeric) {
            return Err(empty());
        }
        return Ok(Filter::Text(TextTerm {
            text,
            prefix,
            field: None,
        }));
    };
    let lower = field.to_lowercase();
    if let Some((f, _)) = TextField::ALL.iter().find(|(_, n)| *n == lower) {
        if !text.chars().any(char::is_alphanumeric) {
            return Err(empty());
        }
        return Ok(Filter::Text(TextTerm {
            text,
            prefix,
            field: Some(*f),
        }));
    }
    match lower.as_str() {
        "is" => Flag::ALL
            .iter()
            .find(|(_, n)| text.eq_ignore_ascii_case(n) && !prefix)
            .map(|(f, _)| Filter::Flag(*f))
            .ok_or(QueryError::UnknownFlag { at, name: text }),
        "id" => text
            .parse::<DocId>()
            .ok()
            .filter(|_| !prefix)
            .map(Filter::Id)
            .ok_or(QueryError::BadId { at, text }),
        _ => match lower.strip_prefix("header.") {
            Some(name) if !name.is_empty() => {
                if text.is_empty() {
                    return Err(empty());
                }
                Ok(Filter::Header {
                    name: name.to_owned(),
                    value: if prefix { format!("{text}*") } else { text },
                })
            }
            _ => Err(QueryError::UnknownField { at, field }),
        },
    }
}

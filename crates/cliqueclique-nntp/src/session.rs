//! The session state machine: fed one line at a time, it answers with [`Response`]s and keeps
//! what RFC 3977 makes a connection remember (the authenticated node, the selected group, the
//! current article, an article being posted).
//!
//! It owns no socket: the server reads lines and writes the answers, and everything the session
//! needs from the installation comes through a [`Backend`], so the whole protocol is tested by
//! feeding lines to a session over an in-memory backend.

use crate::article::{self, HDR_FIELDS, OVERVIEW_FMT, PostError};
use crate::command::{self, Command, CommandError, ListKind, Part, Range, Selector, message_id};
use crate::group::wildmat;
use crate::response::Response;
use crate::time;
use cliqueclique_daemon::handle::{ArticleAt, GroupState, NewsArticle, NewsDocument};
use cliqueclique_doc::{DocId, NodeId};
use std::future::Future;

/// The largest article accepted by `POST`, in bytes (headers and body, as sent).
pub const MAX_POST_BYTES: usize = 256 * 1024;

/// Failed `AUTHINFO PASS` attempts before the connection is closed.
pub const MAX_AUTH_FAILURES: u32 = 3;

/// A failure of the installation behind the session (answered 403).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BackendError(pub String);

/// What the session asks of the installation.
pub trait Backend: Send + Sync {
    /// The node whose password is `password` for account `user`, if they match.
    fn authenticate(
        &self,
        user: &str,
        password: &str,
    ) -> impl Future<Output = Result<Option<NodeId>, BackendError>> + Send;
    /// `node`'s groups, after numbering what arrived.
    fn groups(
        &self,
        node: NodeId,
    ) -> impl Future<Output = Result<Vec<GroupState>, BackendError>> + Send;
    /// The served articles of group `root` numbered `low..=high`.
    fn overview(
        &self,
        node: NodeId,
        root: DocId,
        low: u64,
        high: u64,
    ) -> impl Future<Output = Result<Vec<NewsArticle>, BackendError>> + Send;
    /// One served article with its document.
    fn document(
        &self,
        node: NodeId,
        at: ArticleAt,
    ) -> impl Future<Output = Result<Option<NewsDocument>, BackendError>> + Send;
    /// Articles numbered since `since`, with their groups.
    fn since(
        &self,
        node: NodeId,
        since: u64,
    ) -> impl Future<Output = Result<Vec<(String, DocId)>, BackendError>> + Send;
    /// Posts a plain-text document as `node` under `parent`; refusals are the `Err` text.
    fn post(
        &self,
        node: NodeId,
        subject: String,
        body: String,
        parent: DocId,
    ) -> impl Future<Output = Result<Result<DocId, String>, BackendError>> + Send;
    /// The current time, unix seconds.
    fn now(&self) -> u64;
}

/// Who may use a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Acts as this node without logging in (a local installation), or refuses reading and
    /// posting when there is none.
    Local(Option<NodeId>),
    /// Every command but a few needs `AUTHINFO` first; the session then acts as the account's node.
    Accounts,
}

/// What a line led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The answer to send (none while an article is being received).
    pub response: Option<Response>,
    /// Close the connection after sending it.
    pub close: bool,
}

impl Output {
    fn send(response: Response) -> Output {
        Output {
            response: Some(response),
            close: false,
        }
    }
}

/// An article being received after `POST`.
#[derive(Debug, Default)]
struct Receiving {
    lines: Vec<Vec<u8>>,
    bytes: usize,
    too_large: bool,
}

/// One connection's state.
#[derive(Debug)]
pub struct Session {
    access: Access,
    node: Option<NodeId>,
    user: Option<String>,
    auth_failures: u32,
    group: Option<GroupState>,
    current: Option<u64>,
    receiving: Option<Receiving>,
}

impl Session {
    /// A new session and its greeting.
    pub fn new(access: Access) -> (Session, Response) {
        let node = match access {
            Access::Local(node) => node,
            Access::Accounts => None,
        };
        let greeting = match (access, node) {
            (Access::Local(None), _) => Response::new(
                201,
                "cliqueclique NNTP server ready (no local node: reading only)",
            ),
            (Access::Accounts, _) => Response::new(
                200,
                "cliqueclique NNTP server ready (log in with AUTHINFO USER and PASS)",
            ),
            _ => Response::new(200, "cliqueclique NNTP server ready (posting allowed)"),
        };
        (
            Session {
                access,
                node,
                user: None,
                auth_failures: 0,
                group: None,
                current: None,
                receiving: None,
            },
            greeting,
        )
    }

    /// Whether the session is receiving an article (its lines are not commands).
    pub fn receiving(&self) -> bool {
        self.receiving.is_some()
    }

    /// Handles one line, without its CRLF.
    pub async fn handle_line(&mut self, line: &[u8], backend: &impl Backend) -> Output {
        if let Some(receiving) = &mut self.receiving {
            if line == b"." {
                let receiving = self.receiving.take().unwrap_or_default();
                return Output::send(self.finish_post(receiving, backend).await);
            }
            let line = line.strip_prefix(b".").unwrap_or(line);
            receiving.bytes += line.len() + 2;
            if receiving.bytes > MAX_POST_BYTES {
                receiving.too_large = true;
                receiving.lines.clear();
            } else {
                receiving.lines.push(line.to_vec());
            }
            return Output {
                response: None,
                close: false,
            };
        }
        if line.len() + 2 > command::MAX_COMMAND_LINE {
            return Output::send(Response::new(501, "command line too long"));
        }
        let Ok(text) = std::str::from_utf8(line) else {
            return Output::send(Response::new(501, "command line is not UTF-8"));
        };
        let command = match command::parse(text) {
            Ok(command) => command,
            Err(CommandError::Unknown) => {
                return Output::send(Response::new(500, "unknown command"));
            }
            Err(error @ CommandError::Syntax(_)) => {
                return Output::send(Response::new(501, error.to_string()));
            }
        };
        match self.run(command, backend).await {
            Ok(output) => output,
            Err(error) => {
                tracing::warn!(%error, "NNTP command failed");
                Output::send(Response::new(403, format!("internal error: {error}")))
            }
        }
    }

    async fn run(
        &mut self,
        command: Command,
        backend: &impl Backend,
    ) -> Result<Output, BackendError> {
        let open = matches!(
            command,
            Command::Capabilities
                | Command::Quit
                | Command::ModeReader
                | Command::Help
                | Command::Date
                | Command::AuthUser(_)
                | Command::AuthPass(_)
        );
        let node = match self.node {
            Some(node) => node,
            // The commands open to everyone read no node: this id is never used.
            None if open => NodeId([0; 32]),
            None if self.access == Access::Accounts => {
                return Ok(Output::send(Response::new(
                    480,
                    "log in first: AUTHINFO USER name, then AUTHINFO PASS password",
                )));
            }
            None => {
                return Ok(Output::send(Response::new(
                    502,
                    "this installation has no local node yet: create one first",
                )));
            }
        };
        let response = match command {
            Command::Capabilities => self.capabilities(),
            Command::ModeReader => match (self.access, self.node) {
                (Access::Local(None), _) => Response::new(201, "reader mode, posting prohibited"),
                _ => Response::new(200, "reader mode, posting allowed"),
            },
            Command::Quit => {
                return Ok(Output {
                    response: Some(Response::new(205, "closing connection")),
                    close: true,
                });
            }
            Command::Date => Response::new(111, time::compact(backend.now())),
            Command::Help => Response::multi(
                100,
                "help text follows",
                vec![
                    b"See docs/nntp.md of cliqueclique for the commands and the mapping.".to_vec(),
                ],
            ),
            Command::AuthUser(user) => self.auth_user(user),
            Command::AuthPass(password) => return self.auth_pass(&password, backend).await,
            Command::List(kind) => self.list(node, kind, backend).await?,
            Command::Group(name) => match find_group(backend.groups(node).await?, &name) {
                Some(group) => {
                    let response = group_line(211, &group);
                    self.current = (group.count > 0).then_some(group.low);
                    self.group = Some(group);
                    response
                }
                None => Response::new(411, "no such newsgroup"),
            },
            Command::ListGroup(name, range) => self.list_group(node, name, range, backend).await?,
            Command::Article(part, selector) => self.article(node, part, selector, backend).await?,
            Command::Next => self.step(node, true, backend).await?,
            Command::Last => self.step(node, false, backend).await?,
            Command::Over(selector) => self.over(node, selector, None, backend).await?,
            Command::Hdr {
                field,
                selector,
                xhdr,
            } => {
                self.over(node, selector, Some((field, xhdr)), backend)
                    .await?
            }
            Command::NewGroups(date, time) => {
                match time::parse_date_time(&date, &time, backend.now()) {
                    None => Response::new(501, "bad date or time"),
                    Some(since) => {
                        let lines = backend
                            .groups(node)
                            .await?
                            .iter()
                            .filter(|g| g.group.created_at >= since)
                            .map(active_line)
                            .collect();
                        Response::multi(231, "list of new newsgroups follows", lines)
                    }
                }
            }
            Command::NewNews(pattern, date, time) => {
                match time::parse_date_time(&date, &time, backend.now()) {
                    None => Response::new(501, "bad date or time"),
                    Some(since) => {
                        let lines = backend
                            .since(node, since)
                            .await?
                            .into_iter()
                            .filter(|(group, _)| wildmat(&pattern, group))
                            .map(|(_, doc)| message_id(&doc).into_bytes())
                            .collect();
                        Response::multi(230, "list of new articles follows", lines)
                    }
                }
            }
            Command::Post => match self.access {
                Access::Local(None) => Response::new(440, "posting not permitted: no local node"),
                _ => {
                    self.receiving = Some(Receiving::default());
                    Response::new(340, "send article to be posted; end with <CR-LF>.<CR-LF>")
                }
            },
        };
        Ok(Output::send(response))
    }

    fn capabilities(&self) -> Response {
        let mut lines = vec!["VERSION 2", "IMPLEMENTATION cliqueclique"];
        if self.node.is_some() {
            lines.extend([
                "READER",
                "POST",
                "LIST ACTIVE NEWSGROUPS OVERVIEW.FMT HEADERS",
                "OVER MSGID",
                "HDR",
                "NEWNEWS",
            ]);
        } else {
            lines.push("READER");
        }
        if self.access == Access::Accounts && self.node.is_none() {
            lines.push("AUTHINFO USER");
        }
        Response::multi(
            101,
            "capability list follows",
            lines.into_iter().map(|l| l.as_bytes().to_vec()).collect(),
        )
    }

    fn auth_user(&mut self, user: String) -> Response {
        if self.access != Access::Accounts || self.node.is_some() {
            return Response::new(502, "already authenticated");
        }
        self.user = Some(user);
        Response::new(381, "password required")
    }

    async fn auth_pass(
        &mut self,
        password: &str,
        backend: &impl Backend,
    ) -> Result<Output, BackendError> {
        if self.access != Access::Accounts || self.node.is_some() {
            return Ok(Output::send(Response::new(502, "already authenticated")));
        }
        let Some(user) = self.user.take() else {
            return Ok(Output::send(Response::new(482, "send AUTHINFO USER first")));
        };
        match backend.authenticate(&user, password).await? {
            Some(node) => {
                self.node = Some(node);
                Ok(Output::send(Response::new(281, "authentication accepted")))
            }
            None => {
                self.auth_failures += 1;
                Ok(Output {
                    response: Some(Response::new(481, "authentication failed")),
                    close: self.auth_failures >= MAX_AUTH_FAILURES,
                })
            }
        }
    }

    async fn list(
        &self,
        node: NodeId,
        kind: ListKind,
        backend: &impl Backend,
    ) -> Result<Response, BackendError> {
        let lines = match kind {
            ListKind::Active(pattern) => backend
                .groups(node)
                .await?
                .iter()
                .filter(|g| pattern.as_deref().is_none_or(|p| wildmat(p, &g.group.name)))
                .map(active_line)
                .collect(),
            ListKind::Newsgroups(pattern) => {
                let groups = backend.groups(node).await?;
                let mut lines = Vec::new();
                for g in groups
                    .iter()
                    .filter(|g| pattern.as_deref().is_none_or(|p| wildmat(p, &g.group.name)))
                {
                    let subject = backend
                        .document(node, ArticleAt::Id(g.group.root))
                        .await?
                        .map(|d| d.article.row.info.subject)
                        .unwrap_or_default();
                    lines.push(
                        format!(
                            "{}\t{}",
                            g.group.name,
                            subject.replace(['\t', '\r', '\n'], " ")
                        )
                        .into_bytes(),
                    );
                }
                lines
            }
            ListKind::OverviewFmt => OVERVIEW_FMT.iter().map(|f| f.as_bytes().to_vec()).collect(),
            ListKind::Headers => HDR_FIELDS.iter().map(|f| f.as_bytes().to_vec()).collect(),
        };
        Ok(Response::multi(215, "information follows", lines))
    }

    async fn list_group(
        &mut self,
        node: NodeId,
        name: Option<String>,
        range: Option<Range>,
        backend: &impl Backend,
    ) -> Result<Response, BackendError> {
        let group = match name {
            Some(name) => match find_group(backend.groups(node).await?, &name) {
                Some(group) => group,
                None => return Ok(Response::new(411, "no such newsgroup")),
            },
            None => match &self.group {
                Some(group) => group.clone(),
                None => return Ok(Response::new(412, "no newsgroup selected")),
            },
        };
        let (low, high) = range.map_or((1, u64::MAX), |r| (r.low, r.high));
        let numbers: Vec<Vec<u8>> = backend
            .overview(node, group.group.root, low, high)
            .await?
            .iter()
            .map(|a| a.row.number.to_string().into_bytes())
            .collect();
        let status = group_line(211, &group);
        self.current = (group.count > 0).then_some(group.low);
        self.group = Some(group);
        Ok(Response::multi(
            status.code,
            format!("{} list follows", status.text),
            numbers,
        ))
    }

    /// The articles a selector names, with their numbers in the selected group (0 for a
    /// message-id), or the error response.
    async fn select(
        &self,
        node: NodeId,
        selector: Selector,
        backend: &impl Backend,
    ) -> Result<Result<Vec<(u64, NewsArticle, String)>, Response>, BackendError> {
        match selector {
            Selector::ForeignId => Ok(Err(Response::new(430, "no article with that message-id"))),
            Selector::Id(doc) => Ok(match backend.document(node, ArticleAt::Id(doc)).await? {
                Some(found) => Ok(vec![(0, found.article, found.group)]),
                None => Err(Response::new(430, "no article with that message-id")),
            }),
            Selector::Current | Selector::Range(_) => {
                let Some(group) = &self.group else {
                    return Ok(Err(Response::new(412, "no newsgroup selected")));
                };
                let (low, high) = match selector {
                    Selector::Range(r) => (r.low, r.high),
                    _ => match self.current {
                        Some(n) => (n, n),
                        None => {
                            return Ok(Err(Response::new(
                                420,
                                "current article number is invalid",
                            )));
                        }
                    },
                };
                let found = backend.overview(node, group.group.root, low, high).await?;
                if found.is_empty() {
                    return Ok(Err(match selector {
                        Selector::Current => {
                            Response::new(420, "current article number is invalid")
                        }
                        _ => Response::new(423, "no articles in that range"),
                    }));
                }
                Ok(Ok(found
                    .into_iter()
                    .map(|a| (a.row.number, a, group.group.name.clone()))
                    .collect()))
            }
        }
    }

    async fn article(
        &mut self,
        node: NodeId,
        part: Part,
        selector: Selector,
        backend: &impl Backend,
    ) -> Result<Response, BackendError> {
        let at = match selector {
            Selector::Id(doc) => ArticleAt::Id(doc),
            Selector::ForeignId => {
                return Ok(Response::new(430, "no article with that message-id"));
            }
            Selector::Current | Selector::Range(_) => {
                let Some(group) = &self.group else {
                    return Ok(Response::new(412, "no newsgroup selected"));
                };
                let number = match (selector, self.current) {
                    (Selector::Range(r), _) => r.low,
                    (_, Some(n)) => n,
                    _ => return Ok(Response::new(420, "current article number is invalid")),
                };
                ArticleAt::Number(group.group.root, number)
            }
        };
        let Some(doc) = backend.document(node, at).await? else {
            return Ok(match at {
                ArticleAt::Id(_) => Response::new(430, "no article with that message-id"),
                ArticleAt::Number(..) if selector == Selector::Current => {
                    Response::new(420, "current article number is invalid")
                }
                ArticleAt::Number(..) => Response::new(423, "no article with that number"),
            });
        };
        let number = match at {
            ArticleAt::Number(_, n) => {
                self.current = Some(n);
                n
            }
            ArticleAt::Id(_) => 0,
        };
        let status = format!("{number} {}", message_id(&doc.article.row.info.doc));
        Ok(match part {
            Part::Stat => Response::new(223, status),
            Part::Head => Response::multi(221, status, article::head(&doc)),
            Part::Body => Response::multi(222, status, article::body(&doc)),
            Part::Whole => {
                let mut lines = article::head(&doc);
                lines.push(Vec::new());
                lines.extend(article::body(&doc));
                Response::multi(220, status, lines)
            }
        })
    }

    async fn step(
        &mut self,
        node: NodeId,
        forward: bool,
        backend: &impl Backend,
    ) -> Result<Response, BackendError> {
        let Some(group) = &self.group else {
            return Ok(Response::new(412, "no newsgroup selected"));
        };
        let Some(current) = self.current else {
            return Ok(Response::new(420, "current article number is invalid"));
        };
        let found = if forward {
            backend
                .overview(node, group.group.root, current.saturating_add(1), u64::MAX)
                .await?
                .into_iter()
                .next()
        } else if current > 1 {
            backend
                .overview(node, group.group.root, 1, current - 1)
                .await?
                .pop()
        } else {
            None
        };
        Ok(match found {
            Some(article) => {
                self.current = Some(article.row.number);
                Response::new(
                    223,
                    format!(
                        "{} {}",
                        article.row.number,
                        message_id(&article.row.info.doc)
                    ),
                )
            }
            None if forward => Response::new(421, "no next article in this group"),
            None => Response::new(422, "no previous article in this group"),
        })
    }

    /// `OVER`, or with a field `HDR`/`XHDR`.
    async fn over(
        &self,
        node: NodeId,
        selector: Selector,
        hdr: Option<(String, bool)>,
        backend: &impl Backend,
    ) -> Result<Response, BackendError> {
        let articles = match self.select(node, selector, backend).await? {
            Ok(articles) => articles,
            Err(response) => return Ok(response),
        };
        Ok(match hdr {
            None => Response::multi(
                224,
                "overview information follows",
                articles
                    .iter()
                    .map(|(n, a, group)| article::overview_line(a, *n, group))
                    .collect(),
            ),
            Some((field, xhdr)) => {
                let lines = articles
                    .iter()
                    .map(|(n, a, group)| {
                        let value = article::field(a, group, &field).unwrap_or_default();
                        let value: String = value
                            .chars()
                            .map(|c| if c.is_control() { ' ' } else { c })
                            .collect();
                        format!("{n} {value}").into_bytes()
                    })
                    .collect();
                if xhdr {
                    Response::multi(221, "header follows", lines)
                } else {
                    Response::multi(225, "headers follow", lines)
                }
            }
        })
    }

    async fn finish_post(&mut self, receiving: Receiving, backend: &impl Backend) -> Response {
        let node = match self.node {
            Some(node) => node,
            None => return Response::new(440, "posting not permitted"),
        };
        if receiving.too_large {
            return refused(PostError::TooLarge(MAX_POST_BYTES));
        }
        let posted = match article::parse_post(&receiving.lines) {
            Ok(posted) => posted,
            Err(error) => return refused(error),
        };
        match self.post(node, posted, backend).await {
            Ok(response) => response,
            Err(error) => Response::new(441, format!("posting failed: {error}")),
        }
    }

    async fn post(
        &mut self,
        node: NodeId,
        posted: article::Posted,
        backend: &impl Backend,
    ) -> Result<Response, BackendError> {
        let groups = backend.groups(node).await?;
        let Some(group) = posted
            .newsgroups
            .iter()
            .find_map(|name| find_group(groups.clone(), name))
        else {
            return Ok(Response::new(
                441,
                "posting failed: none of the Newsgroups is a forum this node follows",
            ));
        };
        let parent = if posted.has_references {
            // The newest referenced article of ours is the one answered.
            let mut parent = None;
            for doc in posted.references.iter().rev() {
                if backend.document(node, ArticleAt::Id(*doc)).await?.is_some() {
                    parent = Some(*doc);
                    break;
                }
            }
            match parent {
                Some(parent) => parent,
                None => {
                    return Ok(Response::new(
                        441,
                        "posting failed: the References name no article of this server",
                    ));
                }
            }
        } else {
            group.group.root
        };
        Ok(
            match backend
                .post(node, posted.subject, posted.body, parent)
                .await?
            {
                Ok(doc) => Response::new(240, format!("article received {}", message_id(&doc))),
                Err(refusal) => Response::new(441, format!("posting failed: {refusal}")),
            },
        )
    }
}

fn refused(error: PostError) -> Response {
    Response::new(441, format!("posting failed: {error}"))
}

fn find_group(groups: Vec<GroupState>, name: &str) -> Option<GroupState> {
    groups.into_iter().find(|g| g.group.name == name)
}

/// `211 count low high name`.
fn group_line(code: u16, group: &GroupState) -> Response {
    Response::new(
        code,
        format!(
            "{} {} {} {}",
            group.count, group.low, group.high, group.group.name
        ),
    )
}

/// A line of `LIST ACTIVE`: name, high, low, and `y` (posting allowed).
fn active_line(group: &GroupState) -> Vec<u8> {
    format!("{} {} {} y", group.group.name, group.high, group.low).into_bytes()
}

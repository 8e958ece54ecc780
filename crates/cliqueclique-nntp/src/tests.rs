//! The protocol without sockets: a [`Session`] fed lines over an in-memory [`Backend`] of one
//! forum, and the parsers and formatters on their own.

use crate::article::{self, PostError, parse_post};
use crate::command::{self, Command, CommandError, Selector};
use crate::group::{group_name, valid_group_name as valid_name, wildmat};
use crate::response::Response;
use crate::session::{Access, Backend, BackendError, MAX_POST_BYTES, Session};
use crate::time;
use cliqueclique_daemon::handle::{ArticleAt, GroupState, NewsArticle, NewsDocument};
use cliqueclique_doc::{DocId, Document, DocumentBuilder, Identity, NodeId};
use cliqueclique_store::{ArticleInfo, ArticleRow, NewsGroup};
use std::sync::Mutex;

const GROUP: &str = "cc.test";

/// One forum of numbered documents; posts are recorded.
struct Forum {
    root: DocId,
    articles: Vec<(NewsArticle, Document)>,
    posted: Mutex<Vec<(String, String, DocId)>>,
    node: NodeId,
}

impl Forum {
    /// A root, a thread under it and a reply to the thread, numbered 1, 2 and 4 (3 is a gap).
    fn new() -> Forum {
        let alice = Identity::from_secret_bytes([7; 32]);
        let root = DocumentBuilder::new("The forum")
            .date(1_700_000_000)
            .author_name("alice")
            .text("Welcome.\n.dot first\n")
            .build(&alice);
        let thread = DocumentBuilder::new("A thread")
            .date(1_700_000_100)
            .author_name("alice")
            .parent(root.id())
            .text("Let us talk.")
            .build(&alice);
        let reply = DocumentBuilder::new("Re: A thread")
            .date(1_700_000_200)
            .author_name("bob")
            .parent(thread.id())
            .text("Yes.")
            .build(&Identity::from_secret_bytes([8; 32]));
        let numbered = [(1, &root, vec![]), (2, &thread, vec![root.id()])];
        let mut articles: Vec<(NewsArticle, Document)> = numbered
            .into_iter()
            .map(|(n, d, refs)| (news_article(root.id(), n, d, refs), d.clone()))
            .collect();
        articles.push((
            news_article(root.id(), 4, &reply, vec![root.id(), thread.id()]),
            reply,
        ));
        Forum {
            root: root.id(),
            articles,
            posted: Mutex::new(Vec::new()),
            node: alice.node_id(),
        }
    }

    fn group(&self) -> GroupState {
        GroupState {
            group: NewsGroup {
                root: self.root,
                name: GROUP.into(),
                renamed: false,
                created_at: 1_700_000_000,
            },
            low: 1,
            high: 4,
            count: 3,
        }
    }

    fn doc(&self, n: usize) -> DocId {
        self.articles[n].0.row.info.doc
    }
}

fn news_article(root: DocId, number: u64, d: &Document, references: Vec<DocId>) -> NewsArticle {
    NewsArticle {
        row: ArticleRow {
            root,
            number,
            arrived_at: 1_700_000_000 + number,
            info: ArticleInfo {
                doc: d.id(),
                parent: d.parent(),
                served: true,
                author: d.author(),
                author_name: d.author_name().into(),
                subject: d.subject().into(),
                date: d.date(),
                bytes: d.len() as u64,
                lines: article::body_lines(d),
            },
        },
        author_display: d.author_name().into(),
        references,
    }
}

impl Backend for Forum {
    async fn authenticate(&self, user: &str, pass: &str) -> Result<Option<NodeId>, BackendError> {
        Ok((user == "alice" && pass == "correct horse").then_some(self.node))
    }

    async fn groups(&self, _: NodeId) -> Result<Vec<GroupState>, BackendError> {
        Ok(vec![self.group()])
    }

    async fn overview(
        &self,
        _: NodeId,
        root: DocId,
        low: u64,
        high: u64,
    ) -> Result<Vec<NewsArticle>, BackendError> {
        Ok(self
            .articles
            .iter()
            .filter(|(a, _)| root == self.root && (low..=high).contains(&a.row.number))
            .map(|(a, _)| a.clone())
            .collect())
    }

    async fn document(
        &self,
        _: NodeId,
        at: ArticleAt,
    ) -> Result<Option<NewsDocument>, BackendError> {
        Ok(self
            .articles
            .iter()
            .find(|(a, _)| match at {
                ArticleAt::Number(root, n) => root == self.root && a.row.number == n,
                ArticleAt::Id(doc) => a.row.info.doc == doc,
            })
            .map(|(a, d)| NewsDocument {
                article: a.clone(),
                group: GROUP.into(),
                document: d.clone(),
            }))
    }

    async fn since(&self, _: NodeId, since: u64) -> Result<Vec<(String, DocId)>, BackendError> {
        Ok(self
            .articles
            .iter()
            .filter(|(a, _)| a.row.arrived_at >= since)
            .map(|(a, _)| (GROUP.to_owned(), a.row.info.doc))
            .collect())
    }

    async fn post(
        &self,
        _: NodeId,
        subject: String,
        body: String,
        parent: DocId,
    ) -> Result<Result<DocId, String>, BackendError> {
        self.posted.lock().unwrap().push((subject, body, parent));
        Ok(Ok(DocId([9; 32])))
    }

    fn now(&self) -> u64 {
        1_733_300_000
    }
}

/// Feeds `lines` to a session and returns every answer, encoded.
async fn converse(forum: &Forum, access: Access, lines: &[&str]) -> Vec<String> {
    let (mut session, greeting) = Session::new(access);
    let mut out = vec![String::from_utf8(greeting.encode()).unwrap()];
    for line in lines {
        let output = session.handle_line(line.as_bytes(), forum).await;
        if let Some(response) = output.response {
            out.push(String::from_utf8(response.encode()).unwrap());
        }
    }
    out
}

fn codes(answers: &[String]) -> Vec<&str> {
    answers.iter().map(|a| &a[..3]).collect()
}

fn local(forum: &Forum) -> Access {
    Access::Local(Some(forum.node))
}

#[tokio::test]
async fn every_error_has_its_code() {
    let forum = Forum::new();
    let answers = converse(
        &forum,
        local(&forum),
        &[
            "FROBNICATE",
            "MODE WRITER",
            "ARTICLE",
            "NEXT",
            "OVER",
            "LISTGROUP",
            "GROUP nope",
            "ARTICLE <nothing@example.org>",
            "ARTICLE <aaaa@cliqueclique>",
            "GROUP cc.test",
            "ARTICLE 3",
            "LAST",
            "ARTICLE 4",
            "NEXT",
            "OVER 10-20",
            "ARTICLE x",
            "AUTHINFO USER alice",
            "NEWNEWS * 2024 000000",
            "LIST FOO",
        ],
    )
    .await;
    assert_eq!(
        codes(&answers),
        [
            "200", "500", "501", "412", "412", "412", "412", "411", "430", "430", "211", "423",
            "422", "220", "421", "423", "501", "502", "501", "501"
        ],
        "{answers:#?}"
    );
}

#[tokio::test]
async fn a_reader_lists_selects_and_reads() {
    let forum = Forum::new();
    let (thread, reply) = (forum.doc(1), forum.doc(2));
    let answers = converse(
        &forum,
        local(&forum),
        &[
            "CAPABILITIES",
            "MODE READER",
            "LIST",
            "LIST ACTIVE cc.*",
            "LIST OVERVIEW.FMT",
            "GROUP cc.test",
            "LISTGROUP",
            "XOVER 1-",
            "HDR Subject 2-4",
            "XHDR from",
            "STAT",
            "NEXT",
            "HEAD",
            &format!("BODY <{reply}@cliqueclique>"),
            "ARTICLE 1",
            "DATE",
            "NEWGROUPS 20231114 000000 GMT",
            "NEWNEWS cc.* 20231114 221323",
            "QUIT",
        ],
    )
    .await;
    assert!(answers[1].contains("\r\nREADER\r\n") && answers[1].contains("OVER MSGID"));
    assert_eq!(answers[2], "200 reader mode, posting allowed\r\n");
    assert_eq!(
        answers[3],
        "215 information follows\r\ncc.test 4 1 y\r\n.\r\n"
    );
    assert_eq!(answers[4], answers[3]);
    assert!(
        answers[5].ends_with(":bytes\r\n:lines\r\nXref:full\r\n.\r\n"),
        "{}",
        answers[5]
    );
    assert_eq!(answers[6], "211 3 1 4 cc.test\r\n");
    assert_eq!(
        answers[7],
        "211 3 1 4 cc.test list follows\r\n1\r\n2\r\n4\r\n.\r\n"
    );
    let over: Vec<&str> = answers[8].split("\r\n").collect();
    assert_eq!(over[0], "224 overview information follows");
    let fields: Vec<&str> = over[2].split('\t').collect();
    assert_eq!(fields[..2], ["2", "A thread"]);
    assert!(fields[2].starts_with("\"alice\" <") && fields[2].ends_with("@cliqueclique.invalid>"));
    assert_eq!(fields[3], "Tue, 14 Nov 2023 22:15:00 +0000");
    assert_eq!(fields[4], format!("<{thread}@cliqueclique>"));
    assert_eq!(fields[5], format!("<{}@cliqueclique>", forum.root));
    assert_eq!(fields[8], "Xref: cliqueclique cc.test:2");
    assert_eq!(
        answers[9],
        "225 headers follow\r\n2 A thread\r\n4 Re: A thread\r\n.\r\n"
    );
    assert!(answers[10].starts_with("221 header follows\r\n1 \"alice\""));
    assert_eq!(
        answers[11],
        format!("223 1 <{}@cliqueclique>\r\n", forum.root)
    );
    assert_eq!(answers[12], format!("223 2 <{thread}@cliqueclique>\r\n"));
    assert!(
        answers[13].contains("\r\nSubject: A thread\r\n"),
        "{}",
        answers[13]
    );
    assert!(answers[13].contains(&format!(
        "\r\nReferences: <{}@cliqueclique>\r\n",
        forum.root
    )));
    assert!(answers[14].starts_with(&format!("222 0 <{reply}@cliqueclique>\r\n")));
    // The body is the stored text part, base64: "Yes." is "WWVzLg==".
    assert!(
        answers[14].contains("\r\nWWVzLg==\r\n.\r\n"),
        "{}",
        answers[14]
    );
    assert!(answers[15].contains("\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
    assert_eq!(answers[16], "111 20241204081320\r\n");
    assert_eq!(
        answers[17],
        "231 list of new newsgroups follows\r\ncc.test 4 1 y\r\n.\r\n"
    );
    assert!(answers[18].starts_with("230 ") && answers[18].contains(&format!("<{reply}@")));
    assert!(!answers[18].contains(&format!("<{}@", forum.root)));
    assert_eq!(answers[19], "205 closing connection\r\n");
}

#[tokio::test]
async fn posting_a_follow_up_and_a_new_thread() {
    let forum = Forum::new();
    let thread = forum.doc(1);
    let follow_up = format!(
        "From: x <x@example.org>\r\nNewsgroups: cc.test\r\nSubject: =?UTF-8?Q?Re:_caf=C3=A9?=\r\nReferences: <{}@cliqueclique> <{thread}@cliqueclique>\r\n\r\nLine one\r\n..dot-stuffed\r\n.\r\n",
        forum.root
    );
    let new_thread = "Newsgroups: cc.test\r\nSubject: New\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nau lait\r\n.\r\n";
    let mut script = vec!["POST".to_owned()];
    script.extend(
        follow_up
            .trim_end_matches("\r\n")
            .split("\r\n")
            .map(str::to_owned),
    );
    script.push("POST".into());
    script.extend(
        new_thread
            .trim_end_matches("\r\n")
            .split("\r\n")
            .map(str::to_owned),
    );
    script.push("POST".into());
    script.extend(
        "Newsgroups: alt.elsewhere\r\nSubject: x\r\n\r\nbody\r\n."
            .split("\r\n")
            .map(str::to_owned),
    );
    script.push("POST".into());
    script.extend(
        "Newsgroups: cc.test\r\nSubject: x\r\nReferences: <other@example.org>\r\n\r\nbody\r\n."
            .split("\r\n")
            .map(str::to_owned),
    );
    let script: Vec<&str> = script.iter().map(String::as_str).collect();
    let answers = converse(&forum, local(&forum), &script).await;
    assert_eq!(
        codes(&answers),
        [
            "200", "340", "240", "340", "240", "340", "441", "340", "441"
        ],
        "{answers:#?}"
    );
    let posted = forum.posted.lock().unwrap().clone();
    assert_eq!(
        posted,
        [
            (
                "Re: café".to_owned(),
                "Line one\n.dot-stuffed".to_owned(),
                thread
            ),
            ("New".to_owned(), "café au lait".to_owned(), forum.root),
        ]
    );
}

#[tokio::test]
async fn an_oversized_post_is_refused_and_the_session_goes_on() {
    let forum = Forum::new();
    let (mut session, _) = Session::new(local(&forum));
    let start = session.handle_line(b"POST", &forum).await;
    assert_eq!(start.response.unwrap().code, 340);
    for line in ["Newsgroups: cc.test", "Subject: big", ""] {
        assert!(
            session
                .handle_line(line.as_bytes(), &forum)
                .await
                .response
                .is_none()
        );
    }
    let line = vec![b'x'; 1000];
    for _ in 0..(MAX_POST_BYTES / 1000 + 2) {
        assert!(session.handle_line(&line, &forum).await.response.is_none());
    }
    let end = session.handle_line(b".", &forum).await.response.unwrap();
    assert_eq!(end.code, 441, "{end:?}");
    assert!(forum.posted.lock().unwrap().is_empty());
    let next = session.handle_line(b"DATE", &forum).await.response.unwrap();
    assert_eq!(next.code, 111);
}

#[tokio::test]
async fn a_website_needs_authinfo_and_closes_after_failures() {
    let forum = Forum::new();
    let answers = converse(
        &forum,
        Access::Accounts,
        &[
            "CAPABILITIES",
            "GROUP cc.test",
            "POST",
            "AUTHINFO PASS x",
            "AUTHINFO USER alice",
            "AUTHINFO PASS correct horse",
            "GROUP cc.test",
            "AUTHINFO USER alice",
        ],
    )
    .await;
    assert!(answers[1].contains("AUTHINFO USER"), "{}", answers[1]);
    assert_eq!(
        codes(&answers),
        [
            "200", "101", "480", "480", "482", "381", "281", "211", "502"
        ]
    );
    let (mut session, _) = Session::new(Access::Accounts);
    for attempt in 1..=3 {
        session.handle_line(b"AUTHINFO USER alice", &forum).await;
        let out = session.handle_line(b"AUTHINFO PASS wrong", &forum).await;
        assert_eq!(out.response.unwrap().code, 481);
        assert_eq!(out.close, attempt == 3);
    }
}

#[tokio::test]
async fn a_local_installation_without_a_node_reads_nothing() {
    let forum = Forum::new();
    let answers = converse(
        &forum,
        Access::Local(None),
        &["MODE READER", "LIST", "POST"],
    )
    .await;
    assert_eq!(codes(&answers), ["201", "201", "502", "502"]);
}

#[test]
fn commands_parse_and_refuse() {
    assert_eq!(command::parse("mode reader"), Ok(Command::ModeReader));
    assert_eq!(
        command::parse("AUTHINFO PASS two words"),
        Ok(Command::AuthPass("two words".into()))
    );
    assert_eq!(
        command::parse("ARTICLE <a@b>"),
        Ok(Command::Article(command::Part::Whole, Selector::ForeignId))
    );
    assert_eq!(command::parse(""), Err(CommandError::Unknown));
    assert!(matches!(
        command::parse("OVER 5-x"),
        Err(CommandError::Syntax(_))
    ));
    assert!(matches!(
        command::parse("ARTICLE <no-at>"),
        Err(CommandError::Syntax(_))
    ));
    assert!(matches!(
        command::parse("NEWGROUPS 20240101 000000 UTC"),
        Err(CommandError::Syntax(_))
    ));
    assert!(matches!(
        command::parse("ARTICLE 99999999999999999999"),
        Err(CommandError::Syntax(_))
    ));
}

#[test]
fn multi_line_answers_are_dot_stuffed() {
    let r = Response::multi(
        222,
        "0 <x@y>",
        vec![b".a".to_vec(), b"b".to_vec(), b".".to_vec()],
    );
    assert_eq!(r.encode(), b"222 0 <x@y>\r\n..a\r\nb\r\n..\r\n.\r\n");
}

#[test]
fn posts_are_read_back_or_refused() {
    let lines =
        |text: &str| -> Vec<Vec<u8>> { text.split('\n').map(|l| l.as_bytes().to_vec()).collect() };
    assert_eq!(
        parse_post(&lines("Subject: x")),
        Err(PostError::Malformed("no blank line after the headers"))
    );
    assert_eq!(
        parse_post(&lines("Subject: x\n\nbody")),
        Err(PostError::Missing("Newsgroups"))
    );
    assert!(matches!(
        parse_post(&lines(
            "Newsgroups: a\nSubject: x\nContent-Type: text/html\n\n<b>"
        )),
        Err(PostError::Unsupported(_))
    ));
    assert!(matches!(
        parse_post(&lines(
            "Newsgroups: a\nSubject: x\nContent-Type: text/plain; charset=koi8-r\n\nbody"
        )),
        Err(PostError::Unsupported(_))
    ));
    let posted = parse_post(&lines(
        "Newsgroups: a, b\nSubject: =?ISO-8859-1?B?Y2Fm6Q==?= =?UTF-8?Q?_ok?=\n continued\nContent-Transfer-Encoding: base64\n\naMOp\n",
    ))
    .unwrap();
    assert_eq!(posted.newsgroups, ["a", "b"]);
    assert_eq!(posted.subject, "café ok continued");
    assert_eq!(posted.body, "hé");
    assert!(!posted.has_references);
}

#[test]
fn group_names_and_wildmats() {
    let root = DocId([1; 32]);
    assert_eq!(
        group_name(Some("Rust Users: Berlin!"), &root).as_deref(),
        Some("rust-users-berlin")
    );
    assert_eq!(group_name(Some("...!!!"), &root), None);
    let fallback = group_name(None, &root).unwrap();
    assert!(fallback.starts_with("cc.") && fallback.len() == 15 && valid_name(&fallback));
    assert!(!valid_name("Upper") && !valid_name("a..b") && !valid_name(".a") && !valid_name(""));
    assert!(wildmat("cc.*", "cc.abc"));
    assert!(!wildmat("cc.*,!cc.a*", "cc.abc"));
    assert!(wildmat("*,!cc.a*,cc.ab?", "cc.abc"));
    assert!(!wildmat("a*b*c*d*e*f*g*h*z", &"ab".repeat(200)));
}

#[test]
fn dates_round_trip() {
    assert_eq!(time::rfc5322(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    assert_eq!(time::compact(951_782_400), "20000229000000");
    assert_eq!(
        time::parse_date_time("20000229", "000000", 0),
        Some(951_782_400)
    );
    // Two-digit years are the nearest: within the century, unless more than 50 years ahead.
    let now = 1_733_300_000; // 2024
    assert_eq!(
        time::parse_date_time("000229", "000000", now),
        Some(951_782_400)
    );
    assert_eq!(
        time::parse_date_time("991231", "235959", now),
        Some(946_684_799)
    );
    assert_eq!(time::parse_date_time("20001301", "000000", now), None);
    assert_eq!(time::parse_date_time("2000", "000000", now), None);
}

/// A connected pair of loopback sockets: the server's read half, buffered, and the client.
async fn socket_pair() -> (
    tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>,
    tokio::net::TcpStream,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = tokio::net::TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    let (read, write) = server.into_split();
    // The write half is dropped: these tests only read.
    drop(write);
    (tokio::io::BufReader::new(read), client)
}

#[tokio::test]
async fn lines_are_bounded_in_length_and_time() {
    use crate::server::{Limits, LineError, read_line};
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let limits = Limits {
        max_connections: 1,
        idle: Duration::from_millis(200),
        max_line: 64,
    };
    let (mut reader, mut client) = socket_pair().await;
    let mut line = Vec::new();
    client.write_all(b"GROUP a\r\nbare lf\n").await.unwrap();
    read_line(&mut reader, &mut line, &limits).await.unwrap();
    assert_eq!(line, b"GROUP a");
    read_line(&mut reader, &mut line, &limits).await.unwrap();
    assert_eq!(line, b"bare lf");
    // Silence ends the connection.
    let idle = read_line(&mut reader, &mut line, &limits).await;
    assert!(matches!(idle, Err(LineError::Idle)), "{idle:?}");
    // So does a line longer than the limit, even arriving in pieces.
    for _ in 0..10 {
        client.write_all(&[b'x'; 10]).await.unwrap();
    }
    let long = read_line(&mut reader, &mut line, &limits).await;
    assert!(matches!(long, Err(LineError::TooLong(64))), "{long:?}");
    drop(client);
    let (mut reader, client) = socket_pair().await;
    drop(client);
    let closed = read_line(&mut reader, &mut line, &limits).await;
    assert!(matches!(closed, Err(LineError::Closed)), "{closed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_limit_are_told_to_come_back() {
    use crate::server::{Limits, serve};
    use std::io::{BufRead, BufReader};
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let daemon =
        cliqueclique_daemon::Daemon::start(cliqueclique_daemon::testing::config(dir.path()))
            .await
            .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let limits = Limits {
        max_connections: 1,
        idle: Duration::from_secs(5),
        max_line: 1024,
    };
    let server = tokio::spawn(serve(
        listener,
        crate::Installation::new(daemon.handle()),
        false,
        limits,
    ));
    let greetings = tokio::task::spawn_blocking(move || {
        let greeting = |stream: &std::net::TcpStream| {
            let mut line = String::new();
            BufReader::new(stream).read_line(&mut line).unwrap();
            line
        };
        let first = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let first_greeting = greeting(&first);
        let second = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let second_greeting = greeting(&second);
        drop(first);
        (first_greeting, second_greeting)
    })
    .await
    .unwrap();
    // No local node yet: reading only.
    assert!(greetings.0.starts_with("201 "), "{greetings:?}");
    assert!(greetings.1.starts_with("400 "), "{greetings:?}");
    server.abort();
    daemon.stop().await.unwrap();
}

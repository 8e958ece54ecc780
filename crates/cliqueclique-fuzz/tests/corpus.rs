//! The committed fuzz corpus as a regression suite: every input of `fuzz/corpus/TARGET/` goes through the
//! target's function, exactly as the fuzzer runs it.
//!
//! The seeds themselves are written by `write_seeds` (ignored; run it after changing a format):
//!
//! ```sh
//! cargo test -p cliqueclique-fuzz --test corpus -- --ignored write_seeds
//! ```
//!
//! Seeds are named by the BLAKE3 hash of their bytes, so writing them again changes nothing unless the
//! formats changed; inputs that crashed a target once are added beside them under any name.

use std::fs;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, DocumentBuilder, Export, Identity, LinkDirection};
use cliqueclique_net::SessionMessage;
use cliqueclique_proto::{Advert, Batch, Part, Rank, ThreadClaim};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus")
}

#[test]
fn every_target_replays_its_corpus() {
    for (name, target) in cliqueclique_fuzz::TARGETS {
        let dir = corpus().join(name);
        let mut inputs = 0;
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            let bytes = fs::read(&path).expect("a corpus file");
            eprintln!("{name}: {}", path.display());
            target(&bytes);
            inputs += 1;
        }
        assert!(inputs > 0, "no seeds for {name}");
    }
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus"]
fn write_seeds() {
    for (name, seeds) in seeds() {
        let dir = corpus().join(name);
        fs::create_dir_all(&dir).expect("the corpus directory");
        for seed in seeds {
            let file = dir.join(format!("seed-{}", &blake3::hash(&seed).to_hex()[..16]));
            fs::write(file, seed).expect("a seed file");
        }
    }
}

/// A few small valid inputs per target, made by the crates' own encoders.
fn seeds() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let alice = Identity::from_secret_bytes([1; 32]);
    let bob = Identity::from_secret_bytes([2; 32]);
    let card = ContactCard::new(
        &alice,
        "alice",
        vec![
            "tcp://192.0.2.7:7117".into(),
            "tcp://[2001:db8::1]:7117".into(),
        ],
        1_700_000_000,
    );
    let root = DocumentBuilder::new("A forum")
        .text("Welcome.\n\nSay *hello*.")
        .date(1_700_000_000)
        .author_name("alice")
        .build(&alice);
    let comment = DocumentBuilder::new("Re: A forum")
        .parent(root.id())
        .body(
            "text/markdown; charset=utf-8",
            "# Hi\n\n[link](https://example.org)",
        )
        .attach("notes.txt", "text/plain", "some notes")
        .date(1_700_000_100)
        .build(&bob);
    let link = DocumentBuilder::new("")
        .link(root.id(), comment.id(), LinkDirection::Reversed)
        .date(0)
        .build(&bob);
    let directory =
        cliqueclique_dir::root_document(&alice, "Places", "Names of places", 1_700_000_000);
    let edit = DocumentBuilder::new("Re: A forum (edited)")
        .parent(root.id())
        .supersedes(comment.id())
        .text("Hi again")
        .date(1_700_000_200)
        .build(&bob);
    let retraction = DocumentBuilder::new("")
        .parent(root.id())
        .retracts(comment.id())
        .date(1_700_000_300)
        .build(&bob);
    let hide = DocumentBuilder::new("")
        .parent(root.id())
        .moderation(cliqueclique_doc::Moderation::Hide(comment.id()))
        .date(1_700_000_400)
        .build(&alice);
    let documents = [
        &root,
        &comment,
        &link,
        &directory,
        &edit,
        &retraction,
        &hide,
    ];

    let advert = Advert {
        center: alice.node_id(),
        rank: Rank {
            subscribed: true,
            author: true,
        },
        seq: 3,
        dist: 1,
        flags: Advert::SUBSCRIBED | Advert::HAS_BODY,
    };
    let batches = [
        Batch {
            from: alice.node_id(),
            to: bob.node_id(),
            parts: vec![
                Part::Update {
                    doc: root.id(),
                    serial: 1,
                    advert,
                    body: Some(root.bytes().clone()),
                    thread: Some(ThreadClaim {
                        root: root.id(),
                        below: 1,
                        digest: [9; 8],
                    }),
                },
                Part::Ack {
                    doc: root.id(),
                    serial: 1,
                    has_body: true,
                },
            ],
        },
        Batch {
            from: bob.node_id(),
            to: alice.node_id(),
            parts: vec![
                Part::NeedBody { doc: comment.id() },
                Part::Card { card: card.clone() },
                Part::CardRequest,
                Part::Goodbye {
                    doc: link.id(),
                    serial: 4,
                    suggestions: vec![card.clone()],
                },
            ],
        },
    ];

    let messages = [
        SessionMessage::Ping,
        SessionMessage::Pong,
        SessionMessage::Lookup {
            request: 42,
            doc: root.id(),
        },
        SessionMessage::LookupReply {
            request: 42,
            cards: vec![card.clone()],
        },
        SessionMessage::Batch(Bytes::from(batches[1].encode())),
    ];
    let frames: Vec<Vec<u8>> = messages.iter().map(|m| framed(&m.encode())).collect();
    let mut two = frames[0].clone();
    two.extend_from_slice(&frames[2]);

    let i2p_keys = i2p_private_keys();
    let i2p_name = cliqueclique_net::i2p::DestinationKeys::from_private(&i2p_keys)
        .expect("valid keys")
        .address()
        .to_string();

    vec![
        ("frame", frames.into_iter().chain([two]).collect()),
        ("batch", batches.iter().map(Batch::encode).collect()),
        (
            "document",
            documents
                .iter()
                .map(|d| d.bytes().to_vec())
                .chain(documents.iter().map(|d| content_of(d.bytes())))
                .collect(),
        ),
        (
            "export",
            vec![
                Export::new(&alice, card.clone(), root.clone()).to_bytes(&alice),
                Export::new(&alice, card.clone(), comment.clone()).to_bytes(&alice),
            ],
        ),
        (
            "card",
            vec![
                postcard::to_stdvec(&card).expect("a card encodes"),
                b"tcp://example.org:7117".to_vec(),
                i2p_name.into_bytes(),
            ],
        ),
        (
            "sam",
            vec![
                b"HELLO REPLY RESULT=OK VERSION=3.1".to_vec(),
                b"SESSION STATUS RESULT=DUPLICATED_DEST MESSAGE=\"Duplicate destination\"".to_vec(),
                b"STREAM STATUS RESULT=CANT_REACH_PEER".to_vec(),
                format!("DEST REPLY PUB=AAAA PRIV={i2p_keys}").into_bytes(),
            ],
        ),
        (
            "query",
            [
                "tomato* is:unread",
                "id:ROOT ->",
                "is:bookmarked -> is:unread",
                "subject:\"weekly report\" <-",
                "has(-> is:unread) | is:own",
            ]
            .map(|q| q.as_bytes().to_vec())
            .to_vec(),
        ),
        (
            "name",
            ["New York", "  new   york ", "Zürich", "new "]
                .map(|n| n.as_bytes().to_vec())
                .to_vec(),
        ),
        (
            "api",
            vec![
                selected(
                    0,
                    r#"{"subject":"Hi","body":"text","parent":null,"attachments":[{"filename":"a.txt","content_type":"text/plain","data":"aGk="}]}"#,
                ),
                selected(1, r#"{"name":"bob"}"#),
                selected(2, r#"{"subscribed":true,"thread":true,"read":false}"#),
                selected(
                    3,
                    &format!(
                        r#"{{"address":"tcp://192.0.2.7:7117","doc":"{}","timeout_ms":500}}"#,
                        root.id()
                    ),
                ),
                selected(4, r#"{"title":"Places","description":"names"}"#),
                selected(
                    5,
                    &format!(r#"{{"name":"New York","target":"{}"}}"#, root.id()),
                ),
                selected(6, "prefix=new+&limit=10&after=newark"),
                selected(7, "q=tomato*+is%3Aunread&limit=20"),
            ],
        ),
        (
            "form",
            vec![
                selected(0, "username=alice&password=correct+horse&csrf=abc"),
                selected(2, "csrf=abc&current=old&new=new1234567&confirm=new1234567"),
                selected(10, "csrf=abc&flag=bookmarked&value=true&back=%2Fd%2Fx"),
                selected(
                    13,
                    &format!(
                        "csrf=abc&address=tcp%3A%2F%2F192.0.2.7%3A7117&doc={}",
                        root.id()
                    ),
                ),
                selected(14, "q=subject%3A%22weekly+report%22"),
                selected(
                    9,
                    &format!("csrf=abc&root={}&name=New+York", directory.id()),
                ),
            ],
        ),
        (
            "render",
            vec![
                selected(0, "plain <b>text</b>"),
                selected(
                    1,
                    "# Title\n\n*em* [a](https://example.org) <script>x</script>\n\n```\ncode\n```",
                ),
                selected(
                    2,
                    "<p onclick=\"x()\">html <a href=\"javascript:x()\">a</a></p>",
                ),
            ],
        ),
    ]
}

/// `bytes` behind the selector byte that picks the type.
fn selected(selector: u8, bytes: &str) -> Vec<u8> {
    let mut out = vec![selector];
    out.extend_from_slice(bytes.as_bytes());
    out
}

/// One frame: the length prefix and the body.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = cliqueclique_net::frame::header(body.len(), usize::MAX)
        .expect("a small body")
        .to_vec();
    out.extend_from_slice(body);
    out
}

/// The content entity of a document: the first part of its signed envelope (`FORMAT.md`).
fn content_of(bytes: &[u8]) -> Vec<u8> {
    let text = bytes.to_vec();
    let start = find(&text, b"boundary=\"").expect("an envelope") + 10;
    let end = start + find(&text[start..], b"\"").expect("a quoted boundary");
    let mut delimiter = b"\r\n--".to_vec();
    delimiter.extend_from_slice(&text[start..end]);
    delimiter.extend_from_slice(b"\r\n");
    let first = find(&text, &delimiter).expect("a first part") + delimiter.len();
    let last = first + find(&text[first..], &delimiter).expect("a second part");
    text[first..last].to_vec()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// I2P private keys as a SAM bridge returns them: a destination of 384 bytes and a certificate with a
/// 4-byte payload, then private key bytes, in I2P's base64.
fn i2p_private_keys() -> String {
    let mut bytes: Vec<u8> = (0..384u32).map(|i| (i * 7) as u8).collect();
    bytes.extend_from_slice(&[5, 0, 4, 0, 7, 0, 4]);
    bytes.extend((0..64u32).map(|i| i as u8));
    let mut spec = data_encoding::Specification::new();
    spec.symbols
        .push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~");
    spec.padding = Some('=');
    spec.encoding()
        .expect("a valid specification")
        .encode(&bytes)
}

#[test]
fn seeds_decode() {
    // The seeds are valid inputs: the ones of the document target parse, so the fuzzer starts deep.
    let seeds = seeds();
    let documents = &seeds
        .iter()
        .find(|(n, _)| *n == "document")
        .expect("document seeds")
        .1;
    for seed in documents.iter().take(7) {
        let parsed =
            cliqueclique_doc::Document::parse(Bytes::from(seed.clone()), &Default::default())
                .expect("a seed document parses");
        assert_eq!(parsed.id(), DocId::of(seed));
    }
}

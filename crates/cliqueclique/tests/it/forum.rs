//! (a) Five installations join a forum by address along a chain and a branch; replies are pushed
//! to subscribers only (and to the forum's creator, who follows every thread of it).

use crate::support::{Installation, eventually, join};
use cliqueclique_daemon::api::DocId;

/// Waits until no local node has unacknowledged state: the network is quiet.
pub async fn quiet(installations: &[&Installation]) {
    eventually("the network is quiet", || async {
        for installation in installations {
            let status = installation.status().await;
            if status.nodes.iter().any(|n| n.unacked_links > 0) {
                return false;
            }
        }
        true
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_installations_join_by_address_and_replies_reach_subscribers() {
    let all = Installation::start_each(&["a", "b", "c", "d", "e"]).await;
    let [a, b, c, d, e] = &all[..] else {
        unreachable!()
    };

    let root: DocId = a.start_forum("The forum", "Welcome to the forum.");
    // A chain and a branch: B through A, C through B, D and E through C.
    let out = join(b, "b", a, root);
    assert!(out.contains("joined \"The forum\""), "{out}");
    join(c, "c", b, root);
    join(d, "d", c, root);
    join(e, "e", c, root);
    let d_view = d.show("d", root).await.expect("d holds the root");
    assert_eq!(
        d_view.document.unwrap().body.as_deref(),
        Some("Welcome to the forum.")
    );
    // D joined through C; introductions may since have given it more neighbours.
    let d_links = d_view.state.unwrap().links;
    assert!(
        d_links.iter().any(|l| l.name.as_deref() == Some("c")),
        "{d_links:?}"
    );

    // A thread on the forum reaches everybody: they all subscribed to the root by joining.
    let thread = a.post("a", "A thread", "Let us talk.", Some(root)).await;
    for (x, node) in [(d, "d"), (e, "e")] {
        eventually(&format!("{node} gets the thread"), || async {
            x.holds(node, thread).await
        })
        .await;
    }
    d.cli_ok(&["subscribe", &thread.to_string()]);

    // A reply posted on E reaches D (subscribed) and A (the thread's author) within seconds.
    let reply: DocId = e
        .cli_ok_with_input(&["reply", &thread.to_string()], Some("I agree."))
        .trim()
        .parse()
        .expect("an id");
    for (x, node) in [(d, "d"), (a, "a")] {
        eventually(&format!("{node} gets e's reply"), || async {
            x.holds(node, reply).await
        })
        .await;
    }
    let view = a.show("a", reply).await.unwrap().document.unwrap();
    assert_eq!(view.subject, "Re: A thread");
    assert_eq!(view.parent, Some(thread));

    // A thread nobody else follows: its comment stays with its author and the forum's creator
    // (who follows every thread of the forum), although every node holds the thread itself.
    let lonely = b.post("b", "Quiet corner", "Anyone?", Some(root)).await;
    for (x, node) in [(a, "a"), (c, "c"), (d, "d"), (e, "e")] {
        eventually(&format!("{node} gets the quiet thread"), || async {
            x.holds(node, lonely).await
        })
        .await;
    }
    let monologue = b
        .post("b", "Re: Quiet corner", "Talking to myself.", Some(lonely))
        .await;
    eventually("the creator gets the comment", || async {
        a.holds("a", monologue).await
    })
    .await;
    quiet(&[a, b, c, d, e]).await;
    for (x, node) in [(c, "c"), (d, "d"), (e, "e")] {
        assert!(x.holds(node, lonely).await, "{node} holds the thread");
        assert!(
            !x.holds(node, monologue).await,
            "{node} holds a comment body it did not ask for"
        );
    }

    // An export of the thread, imported by a second node on D's installation: it connects to A.
    let file = d.dir.join("thread.export");
    let out = a.cli_ok(&["export", &thread.to_string(), "-o", file.to_str().unwrap()]);
    assert!(out.starts_with("wrote "), "{out}");
    d.create_node("d2");
    let out = d.cli_ok(&["--node", "d2", "import", file.to_str().unwrap()]);
    assert!(out.contains("imported \"A thread\""), "{out}");
    assert!(d.holds("d2", thread).await);
    eventually("d2 links to a, the exporter", || async {
        d.show("d2", thread)
            .await
            .and_then(|v| v.state)
            .is_some_and(|s| {
                s.links
                    .iter()
                    .any(|l| l.name.as_deref() == Some("a") && l.has_body)
            })
    })
    .await;
    let peers = c.cli_ok(&["peers"]);
    assert!(
        peers.contains("sessions") && peers.contains(" up "),
        "{peers}"
    );

    // The newsreader view on D.
    let text = d.cli_ok(&["--node", "d", "thread", &root.to_string()]);
    assert!(
        text.contains("A thread") && text.contains("Re: A thread"),
        "{text}"
    );
}

//! `cliqueclique demo`: several installations on loopback, each with an owner account, sharing a
//! small sample forum; prints their web addresses and runs until Ctrl-C.

use crate::flags::Demo;
use anyhow::{Context, bail};
use cliqueclique_daemon::api::NewPost;
use cliqueclique_daemon::{Config, Daemon};
use cliqueclique_web::Settings;
use std::time::Duration;

/// The owners' names, in order.
const PEOPLE: [&str; 6] = ["ann", "bob", "cleo", "dan", "eve", "finn"];

pub async fn run(flags: &Demo) -> anyhow::Result<()> {
    if flags.installations == 0 || flags.installations > PEOPLE.len() {
        bail!("the demo runs 1 to {} installations", PEOPLE.len());
    }
    let root_dir = std::env::temp_dir().join(format!("cliqueclique-demo-{}", std::process::id()));
    let mut daemons = Vec::new();
    for (i, name) in PEOPLE.iter().take(flags.installations).enumerate() {
        let port = if flags.port == 0 {
            0
        } else {
            flags.port + i as u16
        };
        let config = Config {
            data_dir: root_dir.join(name),
            listen: vec!["tcp://127.0.0.1:0".to_owned()],
            api: ([127, 0, 0, 1], port).into(),
            ..Config::default()
        };
        let daemon = Daemon::start_with(config, |state| {
            Ok(cliqueclique_web::router(state, Settings::local()))
        })
        .await
        .with_context(|| format!("starting {name}'s installation"))?;
        let state = daemon.state();
        cliqueclique_web::pages::account::create_owner(
            &state,
            &Default::default(),
            name,
            flags.password.clone(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        daemons.push((name, daemon));
    }
    let (_, first) = &daemons[0];
    let ann = first.handle().node_infos().await?[0].id;
    let welcome = NewPost {
        subject: "Welcome to the demo forum".into(),
        body: Some(
            "This forum lives on every installation of the demo.\n\nOpen it in two browsers, log in \
             to each, and reply: the reply travels to the others within a second."
                .into(),
        ),
        content_type: Some("text/markdown; charset=utf-8".into()),
        ..NewPost::default()
    };
    let root = first.handle().post(ann, welcome).await?;
    let first_comment = NewPost {
        subject: "Gardening".into(),
        body: Some("Tomatoes need sun. What else grows well on a balcony?".into()),
        parent: Some(root),
        ..NewPost::default()
    };
    first.handle().post(ann, first_comment).await?;
    let address = first.state().listening[0].clone();
    for (name, daemon) in daemons.iter().skip(1) {
        let node = daemon.handle().node_infos().await?[0].id;
        cliqueclique_daemon::join::join(
            &daemon.state(),
            node,
            &address,
            root,
            Duration::from_secs(30),
        )
        .await
        .with_context(|| format!("{name} joining the forum"))?;
    }
    println!("The demo forum is {root}.");
    println!(
        "Log in with the name shown and the password {:?}:",
        flags.password
    );
    for (name, daemon) in &daemons {
        println!("  {name:6} http://{}/t/{root}", daemon.api_addr());
    }
    println!(
        "Press Ctrl-C to stop (the demo's data is in {}).",
        root_dir.display()
    );
    super::serve::shutdown_signal().await;
    for (_, daemon) in daemons {
        daemon.stop().await?;
    }
    let _ = std::fs::remove_dir_all(&root_dir);
    Ok(())
}

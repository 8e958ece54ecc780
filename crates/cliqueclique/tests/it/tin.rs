//! tin, the full-screen newsreader, driven under tmux against `serve --nntp`: it reads a thread
//! and posts a follow-up, which arrives as a reply in the forum. The pane of tin reading the
//! thread is kept in `target/screenshots/tin-reading.{txt,html}`.

use crate::support::{Installation, client_present, eventually};
use cliqueclique_daemon::api::DocId;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One tmux session running tin; killed when dropped.
struct Tmux {
    name: String,
}

impl Tmux {
    fn start(name: &str, home: &Path, port: u16) -> Tmux {
        let editor = home.join("edit.sh");
        let command = format!(
            "env HOME={home} TERM=xterm LANG=C.UTF-8 EDITOR={editor} VISUAL={editor} tin -r -g 127.0.0.1 -p {port}",
            home = home.display(),
            editor = editor.display()
        );
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "100",
                "-y",
                "30",
                &command,
            ])
            .status()
            .expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        Tmux {
            name: name.to_owned(),
        }
    }

    fn pane(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &str) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.name, keys])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Waits until the pane shows `text`; fails with the pane.
    async fn shows(&self, text: &str) -> String {
        let mut last = String::new();
        eventually(&format!("tin shows {text:?}"), || {
            last = self.pane();
            let found = last.contains(text);
            if !found {
                eprintln!("--- waiting for {text:?}; pane:\n{last}");
            }
            async move { found }
        })
        .await;
        last
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

fn screenshots() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("screenshots")
}

/// The pane as a page of light text on a dark background, for a screenshot.
fn pane_html(pane: &str) -> String {
    let escaped = pane
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><meta charset=\"utf-8\"><title>tin</title><body style=\"margin:0;background:#1d1f21\">\
         <pre style=\"margin:0;padding:12px;color:#e0e0e0;font:15px/1.25 'DejaVu Sans Mono',monospace\">{escaped}</pre>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tin_reads_a_thread_and_posts_a_follow_up() {
    if !client_present("tin", &["-V"], "tin") || !client_present("tmux", &["-V"], "tmux") {
        return;
    }
    let a = Installation::start_with_args("a", &["--nntp", "127.0.0.1:0"]).await;
    a.create_node("alice");
    let root: DocId = a.start_forum("Gardening", "A forum about gardens.");
    let thread = a
        .post(
            "alice",
            "Tomatoes in December",
            "Mine are still green. Anyone?",
            Some(root),
        )
        .await;
    a.post(
        "alice",
        "Re: Tomatoes in December",
        "Pick them and let them ripen indoors.",
        Some(thread),
    )
    .await;
    let port = a.nntp_port().await;

    let home = tempfile::tempdir().expect("home");
    let group = format!("cc.{}", &root.to_string()[..12]);
    std::fs::write(home.path().join(".newsrc"), format!("{group}:\n")).unwrap();
    std::fs::create_dir_all(home.path().join(".tin")).unwrap();
    // tin refuses a From: without a domain; the address is the newsreader's, not the node's.
    std::fs::write(
        home.path().join(".tin/tinrc"),
        "mail_address=tester@example.org\n",
    )
    .unwrap();
    let editor = home.path().join("edit.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nfor last; do :; done\nprintf '\\nFollow-up from tin.\\n' >> \"$last\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let tin = Tmux::start(&format!("cc-tin-{}", std::process::id()), home.path(), port);
    // With a tinrc in place tin skips its welcome page and opens the group selection.
    tin.shows(&group).await;
    tin.shows("Gardening").await;
    tin.keys("Enter");
    tin.shows("alice").await;
    tin.keys("Enter");
    tin.shows("A forum about gardens.").await;
    tin.keys("Tab");
    let pane = tin.shows("Mine are still green. Anyone?").await;
    assert!(pane.contains("Tomatoes in December"), "{pane}");
    let dir = screenshots();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tin-reading.txt"), &pane).unwrap();
    std::fs::write(dir.join("tin-reading.html"), pane_html(&pane)).unwrap();

    tin.keys("f");
    tin.shows("p=post").await;
    tin.keys("p");
    tin.shows("Article posted").await;

    eventually("the follow-up is a reply in the thread", || async {
        let entry = a.thread("alice", thread).await;
        for child in &entry.children {
            let body = a
                .show("alice", child.id)
                .await
                .and_then(|v| v.document)
                .and_then(|c| c.body)
                .unwrap_or_default();
            if body.contains("Follow-up from tin.") {
                return true;
            }
        }
        false
    })
    .await;
}

//! A daemon with the web router, and a cookie-keeping browser stand-in.

use crate::render::url_escape;
use crate::{Settings, router};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use cliqueclique_daemon::Daemon;
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use tower::ServiceExt;

/// The address every request comes from.
pub const CLIENT: [u8; 4] = [192, 0, 2, 1];

/// A running installation and its router.
pub struct Harness {
    pub daemon: Option<Daemon>,
    pub router: Router,
    _dir: tempfile::TempDir,
}

impl Harness {
    pub async fn start(settings: Settings) -> Harness {
        Harness::start_with(settings, |_| {}).await
    }

    /// [`Harness::start`] with the daemon's settings changed by `configure`.
    pub async fn start_with(
        settings: Settings,
        configure: impl FnOnce(&mut cliqueclique_daemon::Config),
    ) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut config = cliqueclique_daemon::testing::config(dir.path());
        config.public = settings.public;
        configure(&mut config);
        let daemon = Daemon::start(config).await.unwrap();
        let router = router(daemon.state(), settings);
        Harness {
            daemon: Some(daemon),
            router,
            _dir: dir,
        }
    }

    pub async fn stop(mut self) {
        if let Some(d) = self.daemon.take() {
            d.stop().await.unwrap();
        }
    }
}

/// One answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden `csrf` field.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("a csrf field in {}", self.body));
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

/// A browser stand-in: keeps cookies, sends same-origin requests.
#[derive(Default, Clone)]
pub struct Browser {
    pub cookies: BTreeMap<String, String>,
    pub bearer: Option<String>,
}

impl Browser {
    pub async fn send(
        &mut self,
        h: &Harness,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if !extra.iter().any(|(k, _)| *k == "host") {
            request = request.header(header::HOST, "127.0.0.1:8080");
        }
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header(header::COOKIE, cookie.join("; "));
        }
        if let Some(token) = &self.bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (k, v) in extra {
            request = request.header(*k, *v);
        }
        // As the daemon's server does: the peer address of the connection, for the rate limits.
        let client: std::net::SocketAddr = (CLIENT, 50_000).into();
        request = request.extension(axum::extract::ConnectInfo(client));
        let response = h
            .router
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// A login attempt with the form's token, sending `extra` headers.
    pub async fn login(
        &mut self,
        h: &Harness,
        csrf: &str,
        username: &str,
        password: &str,
        extra: &[(&str, &str)],
    ) -> Answer {
        let fields = [
            ("csrf", csrf),
            ("username", username),
            ("password", password),
        ];
        self.form_with(h, "/login", &fields, extra).await
    }

    pub async fn get(&mut self, h: &Harness, path: &str) -> Answer {
        self.send(h, Method::GET, path, None, Vec::new(), &[]).await
    }

    pub async fn form(&mut self, h: &Harness, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.form_with(h, path, fields, &[]).await
    }

    /// A form sent with `extra` headers.
    pub async fn form_with(
        &mut self,
        h: &Harness,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Answer {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", url_escape(k), url_escape(v)))
            .collect();
        self.send(
            h,
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body.join("&").into_bytes(),
            extra,
        )
        .await
    }

    pub async fn multipart(&mut self, h: &Harness, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.multipart_with(h, path, fields, &[]).await
    }

    /// A multipart form with files: `(field, file name, content type, bytes)`.
    pub async fn multipart_with(
        &mut self,
        h: &Harness,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Answer {
        let boundary = "XBOUNDARYX";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (field, filename, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
                     Content-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={boundary}");
        self.send(h, Method::POST, path, Some(&ct), body, &[]).await
    }

    /// Sets up the owner account through the setup page.
    pub async fn setup(&mut self, h: &Harness, name: &str) {
        let page = self.get(h, "/setup").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let csrf = page.csrf();
        let done = self
            .form(
                h,
                "/setup",
                &[
                    ("csrf", &csrf),
                    ("username", name),
                    ("password", "correct horse"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert!(self.cookies.contains_key("cc_session"));
    }

    /// The session's CSRF token, from the home page.
    pub async fn csrf(&mut self, h: &Harness) -> String {
        self.get(h, "/").await.csrf()
    }

    /// Posts a forum "Gardening" with the topic "Tomatoes" and a reply under it; returns their
    /// ids, root first.
    pub async fn gardening(&mut self, h: &Harness) -> [String; 3] {
        let root = self.post(h, "Gardening", "About gardens.", None).await;
        let topic = self
            .post(h, "Tomatoes", "When to plant?", Some(&root))
            .await;
        let reply = self
            .post(h, "Re: Tomatoes", "After the frost.", Some(&topic))
            .await;
        [root, topic, reply]
    }

    /// Posts through the compose form; returns the new document's id.
    pub async fn post(
        &mut self,
        h: &Harness,
        subject: &str,
        body: &str,
        parent: Option<&str>,
    ) -> String {
        let csrf = self.csrf(h).await;
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("subject", subject),
            ("body", body),
            ("content_type", "text/plain; charset=utf-8"),
        ];
        if let Some(p) = parent {
            fields.push(("parent", p));
        }
        let answer = self.multipart(h, "/compose", &fields).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        // A reply is shown in its whole thread, scrolled to it; a topic or a forum on its page.
        let location = answer.location();
        location
            .rsplit_once("#c-")
            .map_or_else(|| location.trim_start_matches("/t/"), |(_, id)| id)
            .to_owned()
    }
}

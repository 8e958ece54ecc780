//! A small client for the local API, used by the `cliqueclique` command and the tests.
//!
//! It speaks HTTP/1.1 through hyper's connection-level client, which axum already brings in, so the
//! command needs no HTTP client crate of its own (no TLS, no pool, no redirects: the API is on
//! 127.0.0.1). Each request uses a fresh connection; the API is local and the command makes a few.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
pub use hyper::{Method, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// Why an API request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// Nothing answers at the address.
    #[error("no cliqueclique daemon answers at {addr} ({error}): is `cliqueclique serve` running?")]
    Connect {
        /// The API address.
        addr: SocketAddr,
        /// The connection error.
        error: std::io::Error,
    },
    /// The HTTP exchange failed.
    #[error("talking to the daemon failed: {0}")]
    Http(#[from] hyper::Error),
    /// The daemon answered with an error.
    #[error("{message}")]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The daemon's message.
        message: String,
    },
    /// The answer is not what was expected.
    #[error("unexpected answer from the daemon: {0}")]
    Decode(#[from] serde_json::Error),
}

/// A client of one daemon's API.
#[derive(Clone, Debug)]
pub struct Client {
    addr: SocketAddr,
    token: Option<String>,
}

impl Client {
    /// A client of the API at `addr`.
    pub fn new(addr: SocketAddr) -> Client {
        Client { addr, token: None }
    }

    /// Sends `Authorization: Bearer TOKEN` with every request (a public website's API needs the
    /// owner token or an account's API token).
    pub fn with_token(mut self, token: Option<String>) -> Client {
        self.token = token;
        self
    }

    /// The API address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Sends one request; returns the body of a successful answer.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<(Vec<u8>, &str)>,
    ) -> Result<Bytes, ClientError> {
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(|error| ClientError::Connect {
                addr: self.addr,
                error,
            })?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, self.addr.to_string());
        if let Some(token) = &self.token {
            request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let bytes = match body {
            Some((bytes, content_type)) => {
                request = request.header(hyper::header::CONTENT_TYPE, content_type);
                Bytes::from(bytes)
            }
            None => Bytes::new(),
        };
        let request = request
            .body(Full::new(bytes))
            .expect("a request of a method, a path and two headers is valid");
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        if status.is_success() {
            return Ok(body);
        }
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
            .unwrap_or_else(|| format!("{status}: {}", String::from_utf8_lossy(&body)));
        Err(ClientError::Api { status, message })
    }

    /// `GET path`, decoding JSON.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let body = self.request(Method::GET, path, None).await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// `DELETE path`, decoding JSON.
    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let body = self.request(Method::DELETE, path, None).await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// `POST path` with a JSON body, decoding JSON.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let json = serde_json::to_vec(body)?;
        let answer = self
            .request(Method::POST, path, Some((json, "application/json")))
            .await?;
        Ok(serde_json::from_slice(&answer)?)
    }

    /// `POST path` with raw bytes, decoding JSON.
    pub async fn post_bytes<T: DeserializeOwned>(
        &self,
        path: &str,
        bytes: Vec<u8>,
    ) -> Result<T, ClientError> {
        let answer = self
            .request(
                Method::POST,
                path,
                Some((bytes, "application/octet-stream")),
            )
            .await?;
        Ok(serde_json::from_slice(&answer)?)
    }
}

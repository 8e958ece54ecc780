//! The installation's Noise static key: [`StaticKey`] (secret) and [`InstallationKey`] (public).
//!
//! One x25519 key pair per installation, generated once and stored by the daemon, authenticates the
//! installation in every Noise handshake; the remote sees its public half, the [`InstallationKey`],
//! which is how sessions to the same installation are recognised and deduplicated.
//! Nodes are *not* identified by this key: each node proves it is hosted by the installation with an
//! [`Attestation`](crate::Attestation).

use std::fmt;

use snow::params::DHChoice;
use snow::resolvers::{CryptoResolver, DefaultResolver};

/// The secret x25519 static key of an installation.
///
/// Any 32 random bytes make a valid key (x25519 clamps them); `Debug` shows only the public half.
#[derive(Clone)]
pub struct StaticKey {
    secret: [u8; 32],
    public: InstallationKey,
}

impl StaticKey {
    /// Restores a key from its 32 secret bytes; the daemon makes them with a CSPRNG and stores them.
    pub fn from_secret_bytes(secret: [u8; 32]) -> StaticKey {
        let mut dh = DefaultResolver
            .resolve_dh(&DHChoice::Curve25519)
            .expect("the default resolver always provides curve25519");
        dh.set(&secret);
        let mut public = [0; 32];
        public.copy_from_slice(dh.pubkey());
        StaticKey {
            secret,
            public: InstallationKey(public),
        }
    }

    /// The 32 secret bytes, for storing the key. Keep them secret.
    pub fn secret_bytes(&self) -> &[u8; 32] {
        &self.secret
    }

    /// The public half.
    pub fn public(&self) -> InstallationKey {
        self.public
    }
}

impl fmt::Debug for StaticKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("StaticKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// The public x25519 static key of an installation, as proved by a Noise handshake.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstallationKey(pub [u8; 32]);

impl InstallationKey {
    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for InstallationKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in &self.0 {
            write!(formatter, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for InstallationKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.to_string();
        write!(formatter, "InstallationKey({})", &text[..8])
    }
}

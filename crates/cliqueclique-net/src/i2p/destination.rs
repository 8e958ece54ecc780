//! The installation's I2P destination: its private keys as the SAM bridge hands them out, the public
//! destination inside them, the `.b32.i2p` name derived from it, and the key file that keeps the name stable.
//!
//! A SAM bridge returns a destination's private keys as one I2P-base64 string (the alphabet of base64 with
//! `-` and `~` for `+` and `/`): the public destination, then the encryption and signing private keys.
//! The public destination is 384 bytes of keys and padding followed by a certificate (type, two-byte length,
//! payload), so its length is read from the certificate; its SHA-256 hash in lower-case base32 without
//! padding is the 52-character `NAME` of `NAME.b32.i2p`.
//!
//! The key file holds that string and nothing else, written atomically with mode 0600: whoever reads it can
//! impersonate the installation's I2P address (not its nodes: those are authenticated above the transport).

use std::fmt;
use std::io::Write;
use std::path::Path;

use data_encoding::{BASE32_NOPAD, Encoding, Specification};
use sha2::{Digest, Sha256};

use crate::address::PeerAddress;
use crate::error::{I2pError, SamError};

/// The keys and padding before a destination's certificate.
const KEYS_LEN: usize = 384;
/// The certificate's type byte and two-byte length.
const CERTIFICATE_HEADER: usize = 3;

/// The I2P variant of base64, with padding.
fn i2p_base64() -> Encoding {
    let mut spec = Specification::new();
    spec.symbols
        .push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~");
    spec.padding = Some('=');
    spec.encoding()
        .expect("a constant, valid base64 specification")
}

/// The length of the public destination at the start of `bytes`, if it is complete.
fn destination_len(bytes: &[u8]) -> Option<usize> {
    let header = bytes.get(KEYS_LEN..KEYS_LEN + CERTIFICATE_HEADER)?;
    let payload = usize::from(u16::from_be_bytes([header[1], header[2]]));
    let len = KEYS_LEN + CERTIFICATE_HEADER + payload;
    (bytes.len() >= len).then_some(len)
}

fn name_of(destination: &[u8]) -> String {
    BASE32_NOPAD
        .encode(&Sha256::digest(destination))
        .to_ascii_lowercase()
}

/// A destination's private keys and its name.
#[derive(Clone, PartialEq, Eq)]
pub struct DestinationKeys {
    private: String,
    name: String,
}

impl fmt::Debug for DestinationKeys {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("DestinationKeys")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl DestinationKeys {
    /// Parses the private keys as a SAM bridge returns them (`DEST GENERATE`'s `PRIV`).
    pub fn from_private(text: &str) -> Result<DestinationKeys, SamError> {
        let text = text.trim();
        let bytes = i2p_base64()
            .decode(text.as_bytes())
            .map_err(|_| SamError::BadDestination)?;
        let len = destination_len(&bytes).ok_or(SamError::BadDestination)?;
        // Private keys follow the public destination; a blob of only the public part is not a key.
        if bytes.len() <= len {
            return Err(SamError::BadDestination);
        }
        Ok(DestinationKeys {
            private: text.to_owned(),
            name: name_of(&bytes[..len]),
        })
    }

    /// The base32 name, without `.b32.i2p`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The address other installations dial: `i2p://NAME.b32.i2p`.
    pub fn address(&self) -> PeerAddress {
        PeerAddress::I2p {
            name: self.name.clone(),
        }
    }

    /// The private keys, for `SESSION CREATE`.
    pub(crate) fn private(&self) -> &str {
        &self.private
    }

    /// Reads the key file; `None` if it does not exist.
    pub fn load(path: &Path) -> Result<Option<DestinationKeys>, I2pError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                DestinationKeys::from_private(&text)
                    .map(Some)
                    .map_err(|_| I2pError::BadKeyFile {
                        path: path.to_owned(),
                    })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(I2pError::KeyFile {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Writes the key file atomically, readable by the owner only.
    pub fn save(&self, path: &Path) -> Result<(), I2pError> {
        let key_file = |source| I2pError::KeyFile {
            path: path.to_owned(),
            source,
        };
        let temporary = path.with_extension("tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temporary).map_err(key_file)?;
        file.write_all(self.private.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.sync_all())
            .map_err(key_file)?;
        std::fs::rename(&temporary, path).map_err(key_file)
    }
}

/// Keys that parse, made from `seed`, for tests that need a key file but no router.
#[cfg(test)]
pub(crate) fn test_keys(seed: u8) -> DestinationKeys {
    let (bytes, _) = tests::blob(seed);
    DestinationKeys::from_private(&i2p_base64().encode(&bytes)).expect("valid keys")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A destination as routers make them: random keys, a key certificate (type 5, length 4,
    /// signature type 7 = Ed25519, crypto type 0), then 256 + 32 bytes of private keys.
    pub(super) fn blob(seed: u8) -> (Vec<u8>, usize) {
        let mut bytes: Vec<u8> = (0..KEYS_LEN).map(|i| (i as u8) ^ seed).collect();
        bytes.extend_from_slice(&[5, 0, 4, 0, 7, 0, 0]);
        let public = bytes.len();
        bytes.extend((0..288).map(|i| (i as u8).wrapping_mul(seed)));
        (bytes, public)
    }

    #[test]
    fn name_is_the_base32_sha256_of_the_public_part() {
        let (bytes, public) = blob(7);
        let text = i2p_base64().encode(&bytes);
        let keys = DestinationKeys::from_private(&text).unwrap();
        assert_eq!(keys.name().len(), 52);
        assert_eq!(keys.name(), name_of(&bytes[..public]));
        let address = keys.address().to_string();
        assert_eq!(address.parse::<PeerAddress>().unwrap(), keys.address());
        assert!(!format!("{keys:?}").contains(&text[..40]));
    }

    #[test]
    fn the_alphabet_is_i2p_base64() {
        let encoded = i2p_base64().encode(&[0xfb, 0xff, 0xfe]);
        assert_eq!(encoded, "-~~-");
    }

    #[test]
    fn damaged_keys_are_refused() {
        let (bytes, public) = blob(3);
        for bad in [
            String::new(),
            "not base64 at all!".to_owned(),
            i2p_base64().encode(&bytes[..public]),
            i2p_base64().encode(&bytes[..100]),
        ] {
            assert!(DestinationKeys::from_private(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_key_file_round_trips_with_owner_only_permissions() {
        let dir = std::env::temp_dir().join(format!("cc-i2p-key-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("i2p.key");
        assert_eq!(DestinationKeys::load(&path).unwrap(), None);
        let keys = DestinationKeys::from_private(&i2p_base64().encode(&blob(9).0)).unwrap();
        keys.save(&path).unwrap();
        assert_eq!(DestinationKeys::load(&path).unwrap(), Some(keys));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "garbage").unwrap();
        assert!(matches!(
            DestinationKeys::load(&path),
            Err(I2pError::BadKeyFile { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! Airline keys: each node signs what it sends with its Ed25519 key, and checks what it receives
//! against the public keys it has pinned for its peers.
//!
//! A key file holds the 32-byte secret seed in base64, readable by its owner only. Public keys
//! travel as base64 of their 32 bytes. `passcom keygen` makes a key file and prints the public
//! key to pin in the peers' configurations; a node without a key file makes one on first start.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use crate::clock::Entropy;

/// This node's signing key.
pub struct AirlineKey {
    signing: SigningKey,
}

impl AirlineKey {
    /// A new key from `entropy`.
    pub fn generate(entropy: &dyn Entropy) -> Self {
        let mut seed = [0; 32];
        entropy.fill(&mut seed);
        Self { signing: SigningKey::from_bytes(&seed) }
    }

    /// The key in `path`, or a new one written there if the file does not exist.
    pub fn load_or_create(path: &Path, entropy: &dyn Entropy) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(text.trim())
                .with_context(|| format!("{} is not a key file", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate(entropy);
                key.write_new(path)?;
                tracing::info!(path = %path.display(), public_key = %key.public_key(), "generated this airline's key");
                Ok(key)
            }
            Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Writes the key to a new file at `path`, readable by its owner only.
    pub fn write_new(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        writeln!(file, "{}", STANDARD.encode(self.signing.to_bytes()))?;
        Ok(())
    }

    fn parse(text: &str) -> anyhow::Result<Self> {
        let seed: [u8; 32] =
            STANDARD.decode(text)?.try_into().map_err(|_| anyhow::anyhow!("a key is 32 bytes"))?;
        Ok(Self { signing: SigningKey::from_bytes(&seed) })
    }

    /// The public key, to pin at peers.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> String {
        STANDARD.encode(self.signing.sign(message).to_bytes())
    }
}

/// A peer's pinned public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Parses base64 of 32 bytes.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let bytes: [u8; 32] = STANDARD
            .decode(text.trim())?
            .try_into()
            .map_err(|_| anyhow::anyhow!("a public key is 32 bytes"))?;
        Ok(Self(VerifyingKey::from_bytes(&bytes)?))
    }

    /// Whether `signature` (base64) is this key's signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &str) -> bool {
        let Ok(bytes) = STANDARD.decode(signature) else { return false };
        let Ok(bytes) = <[u8; 64]>::try_from(bytes) else { return false };
        self.0.verify_strict(message, &Signature::from_bytes(&bytes)).is_ok()
    }
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&STANDARD.encode(self.0.to_bytes()))
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SeededEntropy;

    #[test]
    fn a_signature_verifies_only_with_its_key_and_message() {
        let key = AirlineKey::generate(&SeededEntropy::new(1));
        let other = AirlineKey::generate(&SeededEntropy::new(2));
        let signature = key.sign(b"hello");
        assert!(key.public_key().verifies(b"hello", &signature));
        assert!(!key.public_key().verifies(b"hellO", &signature));
        assert!(!other.public_key().verifies(b"hello", &signature));
        assert!(!key.public_key().verifies(b"hello", "not base64!"));
    }

    #[test]
    fn keys_survive_their_file_and_public_keys_their_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peer.key");
        let made = AirlineKey::load_or_create(&path, &SeededEntropy::new(3)).unwrap();
        let loaded = AirlineKey::load_or_create(&path, &SeededEntropy::new(4)).unwrap();
        assert_eq!(made.public_key(), loaded.public_key());
        let text = made.public_key().to_string();
        assert_eq!(PublicKey::parse(&text).unwrap(), made.public_key());
        assert!(PublicKey::parse("too short").is_err());
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

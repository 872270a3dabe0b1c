//! The command line's helpers for deployments: `passcom keygen --keep --public-out` (a key
//! made on the first start only, its public key handed to the peers as a file) and
//! `passcom healthcheck` (a container's health check).

use std::path::Path;
use std::process::{Command, Output};

use crate::helpers::spawn_node;

fn passcom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passcom")).args(args).output().unwrap()
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn keygen_keeps_the_key_it_is_told_to_keep_and_hands_out_its_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("data/peer.key");
    let public = dir.path().join("rumos.pub");
    let (key, public) = (key.to_str().unwrap(), public.to_str().unwrap());
    let args = ["keygen", "--keep", "--out", key, "--public-out", public];

    let made = passcom(&args);
    assert!(made.status.success(), "{made:?}");
    let printed = String::from_utf8(made.stdout).unwrap();
    assert_eq!(text(public.as_ref()), printed);
    let private = text(key.as_ref());

    let again = passcom(&["keygen", "--out", key]);
    assert!(!again.status.success(), "without --keep an existing key is not replaced");
    let kept = passcom(&args);
    assert!(kept.status.success(), "{kept:?}");
    assert_eq!(String::from_utf8(kept.stdout).unwrap(), printed);
    assert_eq!(text(key.as_ref()), private);
    assert_eq!(text(public.as_ref()), printed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthcheck_passes_while_the_node_answers_and_fails_once_it_is_gone() {
    let node = spawn_node("rumos").await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rumos.toml");
    // The node listens on loopback; a config saying "every address" checks loopback too.
    let port = node.running.address.port();
    std::fs::write(
        &config,
        format!("[airline]\nid = \"rumos\"\n[http]\nlisten = \"0.0.0.0:{port}\"\n"),
    )
    .unwrap();
    let check = move || passcom(&["healthcheck", "--config", config.to_str().unwrap()]);

    let healthy = tokio::task::spawn_blocking(check.clone()).await.unwrap();
    assert!(healthy.status.success(), "{healthy:?}");
    node.stop().await;
    let gone = tokio::task::spawn_blocking(check).await.unwrap();
    assert!(!gone.status.success());
    assert!(String::from_utf8_lossy(&gone.stderr).contains("cannot reach"), "{gone:?}");
}

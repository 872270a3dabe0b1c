//! The web app at `/`: its page and files, the single-page-app fallback, and the API's JSON
//! 404 kept for API paths. Debug builds read `web/dist` at run time, so what is checked depends
//! on whether the app was built (`./scripts/test` builds it before these tests run).

use std::path::Path;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};

use crate::helpers::spawn_node;

/// Whether `web/dist` holds a built app.
fn app_built() -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist/index.html").exists()
}

async fn text(
    node: &crate::helpers::TestNode,
    path: &str,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let response = node.client.get(node.url(path)).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

#[tokio::test]
async fn the_root_serves_the_apps_html_and_every_page_falls_back_to_it() {
    let node = spawn_node("rumos").await;
    let (status, headers, root) = text(&node, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert_eq!(headers[CACHE_CONTROL], "no-cache");
    if app_built() {
        assert!(root.contains("<div id=\"root\">"), "the app's index.html: {root}");
    } else {
        assert!(root.contains("npm run build"), "the how-to-build page: {root}");
    }
    for page in ["/trips", "/trips/K7M2QX", "/network", "/book?flights=RU1001-2026-12-01"] {
        let (status, _, body) = text(&node, page).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, root.as_str()), "{page}");
    }
}

#[tokio::test]
async fn api_and_peer_paths_keep_their_json_404() {
    let node = spawn_node("rumos").await;
    for path in ["/api/nope", "/api/v1/nothing-here", "/api", "/peer/nope"] {
        let answer = node.get(path, None).await;
        assert_eq!((answer.status, answer.code()), (StatusCode::NOT_FOUND, "not_found"), "{path}");
    }
    let missing_file = node.get("/assets/gone-0000.js", None).await;
    assert_eq!((missing_file.status, missing_file.code()), (StatusCode::NOT_FOUND, "not_found"));
    let post = node.call(reqwest::Method::POST, "/trips", None, None).await;
    assert_eq!((post.status, post.code()), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_revalidated_by_etag() {
    if !app_built() {
        eprintln!("web/dist is not built; skipping the assets' caching check");
        return;
    }
    let node = spawn_node("rumos").await;
    let (_, headers, index) = text(&node, "/").await;
    let script = index
        .split('"')
        .find(|part| part.starts_with("/assets/") && part.ends_with(".js"))
        .expect("index.html loads a script from /assets/");
    let (status, asset_headers, _) = text(&node, script).await;
    assert_eq!(status, StatusCode::OK);
    assert!(asset_headers[CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    assert_eq!(asset_headers[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(!asset_headers.contains_key(CONTENT_ENCODING), "not compressed unless asked");

    let compressed = node
        .client
        .get(node.url(script))
        .header(ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.status(), StatusCode::OK);
    assert_eq!(compressed.headers()[CONTENT_ENCODING], "gzip");
    assert!(compressed.headers()[CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    let bytes = compressed.bytes().await.unwrap();
    assert_eq!(bytes[..2], [0x1f, 0x8b], "a gzip stream");

    let etag = headers[ETAG].clone();
    let again = node.client.get(node.url("/")).header(IF_NONE_MATCH, etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

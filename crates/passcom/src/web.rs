//! The customers' web app, served at `/` by every node.
//!
//! The app (React + TypeScript, in `web/`) is built by Vite into `web/dist`, which this module
//! embeds into the binary with `rust-embed`: a release binary carries the app and needs nothing
//! on disk (debug builds read `web/dist` at run time instead, so a rebuilt app shows without
//! recompiling the node). A binary built before the app was answers every page with a short
//! note saying how to build it; `./scripts/demo` builds the app first.
//!
//! What is served where:
//! - a file of the app (`/assets/index-3f9a….js`, …) with its content type; files under
//!   `/assets/` have content hashes in their names, so they are cached for a year as immutable;
//!   anything else, `index.html` above all, must be revalidated (`no-cache`) against its
//!   `ETag`, so a new release reaches browsers on their next visit;
//! - any other `GET` of a path that is not a file (`/trips/K7M2QX`) gets `index.html`: the
//!   app's router reads the path (the single-page-app fallback);
//! - paths under `/api/` and `/peer/`, missing files (a last segment with a dot) and methods
//!   other than `GET` and `HEAD` keep the API's JSON 404.
//!
//! The build writes a gzip copy next to each text file (`index-3f9a….js.gz`); a browser that
//! accepts gzip gets it (`Content-Encoding: gzip`), the others the file itself.
//!
//! The hook into the router is [`app`], the router's fallback: whatever no route matched comes
//! here.

use std::future::Future;
use std::pin::Pin;

use axum::extract::{OriginalUri, Request};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, REFERRER_POLICY, VARY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::{Embed, EmbeddedFile};

/// The built app: every file of `web/dist`.
#[derive(Embed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct App;

/// Where the app's entry point is.
const INDEX: &str = "index.html";

/// Files named after their content's hash (Vite's `assets/` folder): they never change.
const IMMUTABLE_PREFIX: &str = "assets/";

/// How long browsers keep immutable files: a year, the longest `max-age` caches honour.
const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// Everything else is revalidated on every use (cheap: a 304 for an unchanged `ETag`).
const REVALIDATE_CACHE: &str = "no-cache";

/// The app loads only its own scripts, styles and API; images may be inline (`data:`, the
/// favicon). Styles the app sets from script (CSS variables) are not affected.
const CONTENT_SECURITY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What a node answers when it was built without the app.
const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>PassCom</title></head><body>\n<h1>PassCom</h1>\n\
<p>This node was built without its web app. Build it with <code>./scripts/demo</code> (which \
builds the app, then the node), or run <code>npm ci &amp;&amp; npm run build</code> in \
<code>web/</code> and build the node again.</p>\n\
<p>The API is at <a href=\"/api/v1/about\">/api/v1</a>; its documentation at \
<a href=\"/api/docs/\">/api/docs/</a>.</p>\n</body></html>\n";

type Answer = Pin<Box<dyn Future<Output = Response> + Send>>;

/// The router's fallback: the app's files and pages, and `api_not_found`'s answer for paths
/// that belong to the API (or are not the app's).
pub fn app<F, Fut, R>(
    api_not_found: F,
) -> impl FnOnce(Request) -> Answer + Clone + Send + Sync + 'static
where
    F: FnOnce() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoResponse,
{
    move |request: Request| -> Answer {
        Box::pin(async move {
            match page(&request) {
                Some(response) => response,
                None => api_not_found().await.into_response(),
            }
        })
    }
}

/// The answer to `request` if it is the app's to give.
fn page(request: &Request) -> Option<Response> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return None;
    }
    // Inside a nested router (`/peer/v1`) the path has lost its prefix; the original has it.
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |original| original.0.path())
        .to_owned();
    if is_reserved(&path) {
        return None;
    }
    let file = path.trim_start_matches('/');
    if !file.is_empty()
        && let Some(content) = App::get(file)
    {
        return Some(serve(file, content, request.headers()));
    }
    if looks_like_file(file) {
        return None;
    }
    Some(match App::get(INDEX) {
        Some(index) => serve(INDEX, index, request.headers()),
        None => not_built(),
    })
}

/// Paths that are never the app's: the APIs, and anything trying to climb out of its folder.
fn is_reserved(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    under("/api") || under("/peer") || path.split('/').any(|segment| segment == "..")
}

/// A path whose last segment has an extension names a file, not a page of the app.
fn looks_like_file(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// The file `name`, its gzip copy if there is one and the browser accepts it.
fn serve(name: &str, content: EmbeddedFile, request: &HeaderMap) -> Response {
    let accepts_gzip = request
        .get(ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|coding| coding.trim().starts_with("gzip")));
    let gzip_copy = App::get(&format!("{name}.gz"));
    let has_gzip = gzip_copy.is_some();
    let gzipped = gzip_copy.filter(|_| accepts_gzip);
    let mime = content.metadata.mimetype().to_owned();
    let mut response = match gzipped {
        Some(gzipped) => {
            let mut response = respond(name, gzipped, &mime, request);
            if response.status() == StatusCode::OK {
                response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            response
        }
        None => respond(name, content, &mime, request),
    };
    if has_gzip {
        response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// `content` served as `name` of type `mime`, with its cache policy and `ETag`; 304 if the
/// browser has it already.
fn respond(name: &str, content: EmbeddedFile, mime: &str, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", hex::encode(content.metadata.sha256_hash()));
    let cache = if name.starts_with(IMMUTABLE_PREFIX) { IMMUTABLE_CACHE } else { REVALIDATE_CACHE };
    let mut headers = HeaderMap::new();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, value);
    }
    if name == INDEX {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY));
        // `frame-ancestors` says the same to browsers that read CSP; this, to those that do not.
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    }
    let fresh = request
        .get(IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    if let Ok(value) = HeaderValue::from_str(&content_type(mime)) {
        headers.insert(CONTENT_TYPE, value);
    }
    (StatusCode::OK, headers, content.data).into_response()
}

/// The `Content-Type` of a file of type `mime`: text in UTF-8, as Vite writes it.
fn content_type(mime: &str) -> String {
    let textual = mime.starts_with("text/")
        || matches!(mime, "application/javascript" | "application/json" | "image/svg+xml");
    if textual && !mime.contains("charset") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_owned()
    }
}

/// The page of a node built without the app.
fn not_built() -> Response {
    (
        StatusCode::OK,
        [(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, REVALIDATE_CACHE)],
        NOT_BUILT,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_and_peer_paths_are_never_the_apps() {
        for path in ["/api", "/api/", "/api/nope", "/api/v1/x", "/peer", "/peer/v1/nope", "/a/../b"]
        {
            assert!(is_reserved(path), "{path}");
        }
        for path in ["/", "/trips", "/trips/K7M2QX", "/apiary", "/peers"] {
            assert!(!is_reserved(path), "{path}");
        }
    }

    #[test]
    fn a_last_segment_with_a_dot_is_a_file() {
        assert!(looks_like_file("assets/index-abc.js"));
        assert!(looks_like_file("favicon.ico"));
        assert!(!looks_like_file("trips/K7M2QX"));
        assert!(!looks_like_file(""));
    }

    #[test]
    fn text_is_served_as_utf8() {
        assert_eq!(content_type("text/html"), "text/html; charset=utf-8");
        assert_eq!(content_type("application/javascript"), "application/javascript; charset=utf-8");
        assert_eq!(content_type("image/png"), "image/png");
    }
}

//! Rebuilds the node when the web app is built or rebuilt.
//!
//! `rust-embed` (see `src/web.rs`) looks at `web/dist` when this crate compiles. Cargo tracks
//! the files it embedded, but not a folder that was missing: without this, a binary compiled
//! before the app was first built would go on answering "built without its web app" after it
//! was. The app's `index.html` changes with every build that changes the app (it names the
//! hashed assets), so it is the one file to watch; while it is missing, cargo checks again at
//! every build.

fn main() {
    println!("cargo:rerun-if-changed=../../web/dist/index.html");
}

//! `passcom`: runs airline nodes. See `passcom --help`.

fn main() -> std::process::ExitCode {
    passcom::crash::configure();
    passcom::cli::run()
}

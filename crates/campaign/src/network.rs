//! The network file: each airline's URL and admin token. Two forms are read, so that an operator
//! writes none by hand for the deployments PassCom ships:
//!
//! - JSON, as `scripts/hosts` writes it (`network.json`):
//!   `{"airlines": [{"id": "rumos", "url": "http://…:7777", "admin_token": "…"}, …]}`;
//! - the lines `passcom demo` prints (`passcom demo > demo.txt`): each airline's line holds its
//!   name, its URL and `admin token TOKEN`; the id is the name in lower case.

use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

/// One airline of the network under test.
#[derive(Clone, Debug, Deserialize)]
pub struct Airline {
    /// Its id, like `rumos`.
    pub id: String,
    /// Where its customer and admin APIs answer, like `http://127.0.0.1:7777`.
    pub url: String,
    /// Its admin token (the `admin.token` of its config).
    pub admin_token: String,
}

#[derive(Deserialize)]
struct NetworkFile {
    airlines: Vec<Airline>,
}

/// The airlines listed in the file at `path`, in either form.
pub fn load(path: &Path) -> anyhow::Result<Vec<Airline>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the network file {}", path.display()))?;
    parse(&text).with_context(|| format!("in the network file {}", path.display()))
}

/// The airlines listed in `text`, in either form; at least two.
pub fn parse(text: &str) -> anyhow::Result<Vec<Airline>> {
    let mut airlines = if text.trim_start().starts_with('{') {
        serde_json::from_str::<NetworkFile>(text)?.airlines
    } else {
        text.lines().filter_map(demo_line).collect()
    };
    for airline in &mut airlines {
        airline.url = airline.url.trim_end_matches('/').to_owned();
    }
    anyhow::ensure!(
        airlines.len() >= 2,
        "it lists {} airlines; a campaign needs at least two",
        airlines.len()
    );
    Ok(airlines)
}

/// An airline from one line of `passcom demo`'s output:
/// `  Rumos   http://127.0.0.1:7777  console 127.0.0.1:7770  admin token 3f…`.
fn demo_line(line: &str) -> Option<Airline> {
    let (before, token) = line.split_once("admin token ")?;
    let mut words = before.split_whitespace();
    let name = words.next()?;
    let url = words.next().filter(|url| url.starts_with("http"))?;
    Some(Airline {
        id: name.to_lowercase(),
        url: url.to_owned(),
        admin_token: token.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_demo_prints() {
        let printed = "PassCom demo: three airlines, connected, data in data/demo\n\n\
            \x20 Rumos   http://127.0.0.1:7777  console 127.0.0.1:7770  admin token aa11\n\
            \x20 Giro    http://127.0.0.1:8888  console 127.0.0.1:7771  admin token bb22\n\
            \nAPI docs at /api/docs/ on each. Ctrl-C stops all three.\n";
        let airlines = parse(printed).unwrap();
        let ids: Vec<_> =
            airlines.iter().map(|a| (a.id.as_str(), a.admin_token.as_str())).collect();
        assert_eq!(ids, [("rumos", "aa11"), ("giro", "bb22")]);
        assert_eq!(airlines[1].url, "http://127.0.0.1:8888");
    }

    #[test]
    fn reads_the_hosts_network_file() {
        let file = r#"{"airlines": [
            {"id": "rumos", "url": "http://10.0.0.11:7777/", "admin_token": "t1"},
            {"id": "giro", "url": "http://10.0.0.12:7777", "admin_token": "t2"}]}"#;
        let airlines = parse(file).unwrap();
        assert_eq!(airlines[0].url, "http://10.0.0.11:7777");
        assert!(parse(r#"{"airlines": []}"#).is_err());
    }
}

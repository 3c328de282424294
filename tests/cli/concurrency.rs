//! Config edits from many tether processes at once: every command that
//! changes the config takes the config lock, reads the file again under it,
//! applies its edit and writes atomically, so no edit drops another.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::Env;

/// `service add` processes started at once.
const SERVICES: usize = 20;
/// `connect --stdin` processes started at once, in each round.
const CONNECTS: usize = 10;
/// Rounds of parallel connects, on the same config.
const ROUNDS: usize = 5;

/// The `name` of every object in a JSON list, as a set.
fn names(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .expect("a JSON list")
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn twenty_parallel_service_adds_keep_twenty_services() {
    let env = Env::new();
    let config = env.config_path();
    let wanted: BTreeSet<String> = (0..SERVICES).map(|i| format!("s{i:02}")).collect();
    let running: Vec<_> = wanted
        .iter()
        .map(|name| {
            let url = format!("https://{name}.example.com");
            env.cmd(&[
                "service",
                "add",
                name,
                "--auth",
                "bearer",
                "--base-url",
                &url,
            ])
            .stderr(format!(
                "Added service `{name}` (bearer) to {}\n",
                config.display()
            ))
            .spawn()
        })
        .collect();
    for run in running {
        run.ok();
    }
    let listed = env.cmd(&["service", "list", "--json"]).ok().json();
    assert_eq!(names(&listed), wanted, "{}", env.read_config());
    // Each service kept its own keys.
    for service in listed.as_array().unwrap() {
        let name = service["name"].as_str().unwrap();
        assert_eq!(service["base_url"], format!("https://{name}.example.com"));
    }
}

#[test]
fn ten_parallel_connects_keep_ten_connections_every_round() {
    let env = Env::new();
    env.write_config(
        "# connections made in parallel\n[services.api]\nauth = \"bearer\"\nbase_url = \"https://api.example.com\"\n",
    );
    let mut wanted = BTreeSet::new();
    for round in 0..ROUNDS {
        let batch: Vec<String> = (0..CONNECTS).map(|i| format!("c{round}-{i}")).collect();
        let running: Vec<_> = batch
            .iter()
            .map(|name| {
                env.cmd(&["connect", name, "--service", "api", "--stdin"])
                    .stdin(format!("token-of-{name}\n"))
                    .stderr(env.connected_static(name, "api"))
                    .spawn()
            })
            .collect();
        for run in running {
            run.ok();
        }
        wanted.extend(batch);

        // Every connection made so far is in the config, with its tokens.
        let listed = env.cmd(&["connection", "list", "--json"]).ok().json();
        assert_eq!(
            names(&listed),
            wanted,
            "round {round}:\n{}",
            env.read_config()
        );
        for connection in listed.as_array().unwrap() {
            assert_eq!(connection["status"], "connected", "{connection}");
        }
    }
    assert!(
        env.read_config()
            .starts_with("# connections made in parallel\n")
    );
    for name in &wanted {
        env.cmd(&["token", name])
            .stdout(format!("token-of-{name}\n"))
            .ok();
    }
}
